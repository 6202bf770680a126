"""Policy variables (`${aws:username}`, `${key, 'default'}`, `${*}` `${?}` `${$}`) in Resource and
condition values (IAM User Guide, "IAM policy elements: Variables and tags").

A template is parsed once into parts; substitution yields a *marked pattern*: literal characters
stay as they are and the wildcard characters of the policy text become WILD_STAR / WILD_ONE, so a
`*` that came from `${*}` or from a context value is matched literally. Documents with a Version
other than "2012-10-17" (the 2008 grammar, or no Version) treat `${...}` as literal text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

WILD_STAR = "\ue000"  # a `*` wildcard from the policy text
WILD_ONE = "\ue001"  # a `?` wildcard from the policy text

_ESCAPES = {"*": "*", "?": "?", "$": "$"}

# A lookup maps a lowercase condition key to: its single value (str), None (absent, or
# multi-valued: cannot be a variable), or UNKNOWN (the analysis cannot fix it).
UNKNOWN = object()
Lookup = Callable[[str], object]


class Var:
    """`${key}` or `${key, 'default'}` inside a template."""

    __slots__ = ("key", "default")

    def __init__(self, key: str, default: str | None) -> None:
        self.key = key
        self.default = default


def mark(text: str) -> str:
    """Policy text without variables -> marked pattern (its `*`/`?` are wildcards)."""
    return text.replace("*", WILD_STAR).replace("?", WILD_ONE)


def _parse_default(body: str) -> tuple[str, str | None] | None:
    """`key, 'def''ault'` -> (key, "def'ault"); `key` -> (key, None); bad grammar -> None."""
    if "," not in body:
        key = body.strip()
        return (key, None) if key and " " not in key else None
    key, _, rest = body.partition(",")
    key, rest = key.strip(), rest.strip()
    if not key or len(rest) < 2 or rest[0] != "'" or rest[-1] != "'":
        return None
    inner = rest[1:-1]
    # a lone quote inside the default is a grammar error; '' stands for one quote
    if inner.replace("''", "").count("'"):
        return None
    return key, inner.replace("''", "'")


@lru_cache(maxsize=65536)
def parse_template(text: str) -> tuple[object, ...] | None:
    """Split `text` into marked literal chunks (str) and Var parts; None when it has no `${`."""
    if "${" not in text:
        return None
    parts: list[object] = []
    i, n = 0, len(text)
    buf: list[str] = []
    while i < n:
        j = text.find("${", i)
        if j < 0:
            buf.append(mark(text[i:]))
            break
        buf.append(mark(text[i:j]))
        end = text.find("}", j + 2)
        if end < 0:  # unterminated: the rest is literal text
            buf.append(mark(text[j:]))
            break
        body = text[j + 2 : end]
        if body in _ESCAPES:
            buf.append(_ESCAPES[body])  # literal character, not a wildcard
        else:
            parsed = _parse_default(body)
            if parsed is None:  # not a variable: keep the text literally
                buf.append(mark(text[j : end + 1]))
            else:
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(Var(parsed[0].lower(), parsed[1]))
        i = end + 1
    if buf:
        parts.append("".join(buf))
    return tuple(parts)


def substitute(text: str, lookup: Lookup | None) -> tuple[str | None, str | None]:
    """Resolve `text` -> (marked pattern, unknown key).

    (pattern, None): resolved. (None, None): a variable has no value and no default, so the
    element cannot match. (None, key): a variable depends on a key the analysis cannot fix.
    `lookup=None` means variables are literal text (2008 policy grammar).
    """
    if lookup is None:
        return mark(text), None
    parts = parse_template(text)
    if parts is None:
        return mark(text), None
    out: list[str] = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
            continue
        assert isinstance(p, Var)
        v = lookup(p.key)
        if v is UNKNOWN:
            return None, p.key
        if v is None:
            if p.default is None:
                return None, None
            v = p.default
        out.append(str(v))
    return "".join(out), None


def has_variables(text: str) -> bool:
    return "${" in text
