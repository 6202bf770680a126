"""Action / Resource / Principal matching (IAM User Guide: "IAM JSON policy elements: Action,
NotAction, Resource, NotResource, Principal, NotPrincipal").

- Actions: case-insensitive, `*` any run of characters, `?` one character.
- Resources: case-sensitive; `*`/`?` work inside an ARN segment and a `*` that ends a segment (or
  the pattern) may expand across `:` ("Using wildcards in resource ARNs"); policy variables are
  substituted first (see `variables`).
- Principals: exact ARNs (no wildcards besides `"*"`), account ids / `:root` (both name the
  account, also when the caller is the root user), a role ARN also covers its assumed-role
  sessions, an IAM user ARN its federated-user sessions.

Three-valued results use True / False / None (None = depends on a key the analysis cannot fix).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from functools import lru_cache

from ..model import Principal, Statement
from .variables import WILD_ONE, WILD_STAR, Lookup, mark, substitute

Matcher = Callable[[str], bool]


def _always(_: str) -> bool:
    return True


@lru_cache(maxsize=65536)
def compile_marked(marked: str, arn_segments: bool = False) -> Matcher:
    """A matcher for a marked pattern (WILD_STAR / WILD_ONE are wildcards, the rest literal).

    `arn_segments`: a WILD_STAR not followed by `:` or the end does not cross a `:`.
    Every matcher runs in O(len(value) x len(pattern)) at worst, never backtracking (see
    `GlobProgram`); hostile patterns such as `a*a*a*a*a*a*a*b` cost the same as plain ones.
    """
    if marked == WILD_STAR:
        return _always
    if WILD_STAR not in marked and WILD_ONE not in marked:
        return marked.__eq__
    head = marked[:-1]
    if marked.endswith(WILD_STAR) and WILD_STAR not in head and WILD_ONE not in head:
        return lambda s, _p=head: s.startswith(_p)  # type: ignore[misc]
    prog = GlobProgram(marked, arn_segments)
    if prog._nfa is None:
        return prog.match
    return _prefiltered(GlobProgram(marked, False).match, prog.match, marked)


# Answers of the segment-bound matchers (`_prefiltered`), one memo for all of them: keyed by
# (marked pattern, value), at most `_NFA_MEMO_CAP` entries in all (a few MB), then it starts afresh.
# A memo per matcher would let the 65,536 cached matchers hold 4,096 values each.
_NFA_MEMO_CAP = 65536
_nfa_seen: dict[tuple[str, str], bool] = {}


def _prefiltered(relaxed: Matcher, exact: Matcher, marked: str) -> Matcher:
    """`exact` (a segment-bound NFA program for `marked`) behind `relaxed`, the same pattern with
    every `*` free: it accepts a superset, so a value it rejects is rejected; str.find places its
    pieces, which is much cheaper than the NFA's step per character on the many values that miss.
    Both stay within len(value) x len(pattern). Answers are kept in `_nfa_seen` (the matcher is
    shared by every statement with the pattern, and one build asks it about the same ARNs again)."""
    seen = _nfa_seen

    def match(value: str) -> bool:
        key = (marked, value)
        hit = seen.get(key)
        if hit is None:
            if len(seen) >= _NFA_MEMO_CAP:
                seen.clear()
            hit = seen[key] = relaxed(value) and exact(value)
        return hit

    return match


class _Piece:
    """A run of pattern characters without `*`: literal text, or literal text with `?` (a regex
    of literals and `.` only: no quantifier, so matching at or searching from a position costs
    O(len(text)) per candidate position)."""

    __slots__ = ("rx", "size", "text")

    def __init__(self, marked: str) -> None:
        self.text = marked
        self.size = len(marked)
        self.rx = (
            re.compile("".join("." if c == WILD_ONE else re.escape(c) for c in marked), re.DOTALL)
            if WILD_ONE in marked
            else None
        )

    def at(self, value: str, i: int) -> bool:
        if self.rx is None:
            return value.startswith(self.text, i)
        return self.rx.match(value, i, i + self.size) is not None

    def find(self, value: str, start: int, end: int) -> int:
        """Leftmost i >= start with the piece wholly inside value[start:end] (-1: none)."""
        if self.rx is None:
            return value.find(self.text, start, end)
        m = self.rx.search(value, start, end)
        return -1 if m is None else m.start()


class GlobProgram:
    """A compiled wildcard pattern with a proven bound: no backtracking.

    Patterns whose every `*` may match any character (Action, NotAction, StringLike, ArnLike
    segments; in resource ARNs a `*` followed by `:` or at the end) are split at `*` into pieces:
    the first must match at the start, the last at the end, and each middle piece is placed at
    its leftmost occurrence after the previous one. Leftmost placement is optimal (a later
    placement leaves a subset of the suffix to the rest), so the search never revisits a
    position: at most len(value) x len(pattern) character comparisons, done by str.find / re
    with quantifier-free pieces.

    Resource patterns with a segment-bound `*` (`[^:]*`) run as a bit-parallel NFA (one integer
    bit per pattern position): one pass over the value, O(len(value) x len(pattern) / 64) word
    operations.
    """

    __slots__ = ("_min_len", "_nfa", "_pieces", "arn_segments", "pattern")

    def __init__(self, marked: str, arn_segments: bool = False) -> None:
        self.pattern = marked
        self.arn_segments = arn_segments
        tokens = _tokens(marked, arn_segments)
        self._nfa: _Nfa | None = None
        self._pieces: tuple[_Piece, ...] = ()
        self._min_len = 0
        if _BOUNDED_STAR in tokens:
            self._nfa = _compile_nfa(tokens)
        else:
            chunks: list[list[str]] = [[]]
            for t in tokens:
                if isinstance(t, int):
                    chunks.append([])
                else:
                    chunks[-1].append(t)
            self._pieces = tuple(_Piece("".join(c)) for c in chunks)
            self._min_len = sum(p.size for p in self._pieces)

    def match(self, value: str) -> bool:
        """Does `value` match the whole pattern?"""
        return self._run(value, None)

    def cost(self, value: str) -> tuple[bool, int]:
        """(match result, an upper bound of the character comparisons the match performed):
        for tests that check the bound len(value) x len(pattern)."""
        ops = [0]
        return self._run(value, ops), ops[0]

    def _run(self, value: str, ops: list[int] | None) -> bool:
        if self._nfa is not None:
            return _run_nfa(self._nfa, value, ops)
        pieces = self._pieces
        n = len(value)
        first = pieces[0]
        if len(pieces) == 1:  # no `*`: `?` and literals, a fixed length
            if ops is not None:
                ops[0] += first.size
            return n == first.size and first.at(value, 0)
        if n < self._min_len:
            return False
        last = pieces[-1]
        end = n - last.size
        if ops is not None:
            ops[0] += first.size + last.size
        if not first.at(value, 0) or not last.at(value, end):
            return False
        pos = first.size
        for piece in pieces[1:-1]:
            if piece.size == 0:
                continue
            i = piece.find(value, pos, end)
            if ops is not None:  # every start position tried, each up to size compares
                ops[0] += ((i if i >= 0 else end) - pos + 1) * piece.size
            if i < 0:
                return False
            pos = i + piece.size
        return True


_FREE_STAR = 1  # token: `*` that may cross `:` (also every `*` outside ARN mode)
_BOUNDED_STAR = 2  # token: ARN-mode `*` that stays inside one `:`-segment


def _tokens(marked: str, arn_segments: bool) -> list[str | int]:
    """Pattern characters, with each run of `*` collapsed into one star token (a run is free
    when any of its stars is: `[^:]*.*` matches what `.*` does)."""
    out: list[str | int] = []
    n = len(marked)
    for i, ch in enumerate(marked):
        if ch != WILD_STAR:
            out.append(ch)
            continue
        free = not arn_segments or i + 1 == n or marked[i + 1] == ":"
        kind = _FREE_STAR if free else _BOUNDED_STAR
        if out and out[-1] in (_FREE_STAR, _BOUNDED_STAR):
            if kind == _FREE_STAR:
                out[-1] = _FREE_STAR
            continue
        out.append(kind)
    return out


_Nfa = tuple[dict[str, int], int, int, int, int, int, str, int]


def _compile_nfa(tokens: list[str | int]) -> _Nfa:
    """Masks of the bit-parallel NFA. Bit i = "the first i tokens are matched".

    (literal char -> bits of the tokens it matches (`?` included), bits of `?` tokens,
    star bits, free-star bits, start state, accepting bit, the literal text before the first
    wildcard, the state once the value has matched that text: the only state it can give)."""
    by_char: dict[str, int] = {}
    any_bits = star_bits = free_bits = 0
    for i, t in enumerate(tokens, start=1):
        bit = 1 << i
        if t == _FREE_STAR:
            star_bits |= bit
            free_bits |= bit
        elif t == _BOUNDED_STAR:
            star_bits |= bit
        elif t == WILD_ONE:
            any_bits |= bit
        else:
            assert isinstance(t, str)
            by_char[t] = by_char.get(t, 0) | bit
    for c in by_char:
        by_char[c] |= any_bits
    start = 1 | ((1 << 1) & star_bits)
    k = 0
    while k < len(tokens) and isinstance(tokens[k], str) and tokens[k] != WILD_ONE:
        k += 1
    prefix = "".join(t for t in tokens[:k] if isinstance(t, str))
    after = (1 << k) | ((1 << (k + 1)) & star_bits)
    return by_char, any_bits, star_bits, free_bits, start, 1 << len(tokens), prefix, after


def _run_nfa(nfa: _Nfa, value: str, ops: list[int] | None) -> bool:
    """The NFA over `value`; its literal prefix is compared as text (each of its tokens matches
    exactly one character, so the state after it is fixed) and the steps start after it."""
    by_char, any_bits, star_bits, free_bits, state, accept, prefix, after = nfa
    get = by_char.get
    steps = len(prefix)
    if prefix:
        if ops is not None:
            ops[0] += steps
        if not value.startswith(prefix):
            return False
        state = after
        value = value[steps:]
        steps = 0
    for c in value:
        # consume c: a non-star token advances, a star stays; `:` only through a free star
        state = ((state << 1) & get(c, any_bits)) | (state & (free_bits if c == ":" else star_bits))
        state |= (state << 1) & star_bits  # a star may match the empty string (never two in a row)
        steps += 1
        if not state:
            break
    if ops is not None:
        ops[0] += steps
    return bool(state & accept)


def glob_match(pattern: str, value: str) -> bool:
    """Case-sensitive `*`/`?` match over the whole string (StringLike semantics)."""
    return compile_marked(mark(pattern))(value)


# ---- actions -----------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _action_matcher(pattern_lower: str) -> Matcher:
    return compile_marked(mark(pattern_lower))


def action_matches(pattern: str, action: str) -> bool:
    """`pattern` (from Action/NotAction) matches `action`, case-insensitively."""
    return _action_matcher(pattern.lower())(action.lower())


class _ActionSet:
    """Precompiled Action/NotAction list: exact lowercase names + wildcard matchers."""

    __slots__ = ("any", "exact", "globs")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        lowered = [p.lower() for p in patterns]
        self.any = "*" in lowered
        self.exact = frozenset(p for p in lowered if "*" not in p and "?" not in p)
        self.globs = tuple(_action_matcher(p) for p in lowered if "*" in p or "?" in p)

    def __call__(self, action_lower: str) -> bool:
        if self.any or action_lower in self.exact:
            return True
        for g in self.globs:
            if g(action_lower):
                return True
        return False


@lru_cache(maxsize=65536)
def action_set(patterns: tuple[str, ...]) -> _ActionSet:
    return _ActionSet(patterns)


def statement_matches_action(stmt: Statement, action: str) -> bool:
    """Action matches one pattern, or NotAction matches none (NotAction page)."""
    a = action.lower()
    if stmt.actions is not None:
        return action_set(stmt.actions)(a)
    return not action_set(stmt.not_actions or ())(a)


# ---- resources ---------------------------------------------------------------------------


def resource_matches_tri(
    pattern: str, resource: str, variables: Lookup | None = None
) -> tuple[bool | None, str | None]:
    """Three-valued resource match: (result, unknown key that made it None).

    (False, "") means a variable has no value and no default: the pattern cannot be matched.
    """
    if variables is None or "${" not in pattern:
        return _resource_matcher(pattern)(resource), None
    # variables only in the resource portion, after the fifth colon; before it they are literal
    # text (Variables page, "Resource element")
    cut = _fifth_colon(pattern)
    marked, unknown = substitute(pattern[cut:], variables)
    if marked is None:
        return (None, unknown) if unknown is not None else (False, "")
    return compile_marked(mark(pattern[:cut]) + marked, True)(resource), None


@lru_cache(maxsize=65536)
def _resource_matcher(pattern: str) -> Matcher:
    """The matcher of a Resource pattern taken literally (no variables)."""
    return compile_marked(mark(pattern), True)


def _fifth_colon(pattern: str) -> int:
    """Index just past the fifth `:` of an ARN pattern (0 when it has fewer: all of it is resource)."""
    i = -1
    for _ in range(5):
        i = pattern.find(":", i + 1)
        if i < 0:
            return 0
    return i + 1


def resource_matches(pattern: str, resource: str, variables: Lookup | None = None) -> bool:
    """Case-sensitive ARN wildcard match; an unresolvable variable does not match.

    `variables`: key (lowercase) -> value, None (absent) or variables.UNKNOWN; None = literal text.
    """
    if variables is None or "${" not in pattern:
        return _resource_matcher(pattern)(resource)
    ok, _ = resource_matches_tri(pattern, resource, variables)
    return ok is True


def statement_matches_resource(
    stmt: Statement, resource: str, variables: Lookup | None = None
) -> tuple[bool | None, frozenset[str]]:
    """Resource/NotResource match (three-valued) and the unknown keys involved.

    A statement with neither element (trust policies) matches any resource.
    """
    if stmt.resources is not None:
        pats, negate = stmt.resources, False
    elif stmt.not_resources is not None:
        pats, negate = stmt.not_resources, True
    else:
        return True, frozenset()
    unknown: set[str] = set()
    hit: bool | None = False
    unresolved = False
    for p in pats:
        ok, key = resource_matches_tri(p, resource, variables)
        if ok is True:
            hit = True
            break
        if ok is None:
            hit = None
            if key:
                unknown.add(key)
        elif key == "":
            unresolved = True
    if hit is None:
        return None, frozenset(unknown)
    if negate and unresolved and not hit:
        # "any attempt to match it fails and causes the statement to be invalid" (Variables page)
        return False, frozenset()
    return (not hit) if negate else hit, frozenset()


# ---- principals --------------------------------------------------------------------------


class PrincipalMatch(Enum):
    """How a request's principal matches a Principal element."""

    NONE = 0
    ACCOUNT = 1  # names the caller's account only: delegates to its identity policies
    PARENT = 2  # names a role ARN (the caller's role or its session's role) / the user of a
    # federated session: such grants are limited by boundary and session policy
    EXACT = 3  # names the caller itself (user/session ARN, "*", service, federated, canonical)


class Caller:
    """The request's principal, pre-split for principal matching."""

    __slots__ = ("account", "arn", "is_role", "is_root", "is_service", "is_service_linked", "parent", "partition")

    def __init__(self, arn: str) -> None:
        self.arn = arn
        parts = arn.split(":", 5)
        self.is_service = len(parts) != 6
        self.account = parts[4] if len(parts) == 6 else ""
        self.partition = parts[1] if len(parts) == 6 else "aws"
        self.parent: str | None = None
        self.is_role = len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role/")
        self.is_root = len(parts) == 6 and parts[2] == "iam" and parts[5] == "root"
        # service-linked roles live under the path /aws-service-role/ and are named AWSServiceRoleFor*
        self.is_service_linked = self.is_role and parts[5].startswith("role/aws-service-role/")
        if len(parts) == 6 and parts[2] == "sts":
            segs = parts[5].split("/")
            if segs[0] == "assumed-role" and len(segs) >= 3:
                self.parent = f"arn:{parts[1]}:iam::{parts[4]}:role/{segs[1]}"
                self.is_service_linked = segs[1].startswith("AWSServiceRoleFor")
            elif segs[0] == "federated-user" and len(segs) >= 2:
                self.parent = f"arn:{parts[1]}:iam::{parts[4]}:user/{segs[1]}"


def caller_facts(arn: str) -> tuple[str, bool, bool]:
    """`Caller(arn)`'s account, is_service and is_service_linked, read directly for an IAM ARN
    (Caller's `sts` branch does not apply to one: it is `is_role` and the service-role path)."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "iam":
        return (parts[4], False, parts[5].startswith("role/aws-service-role/"))
    c = Caller(arn)
    return (c.account, c.is_service, c.is_service_linked)


def _names_parent(entry: str, parent: str) -> bool:
    """`arn:P:iam::A:role/path/R` names the session parent `arn:P:iam::A:role/R` (sessions drop the
    path); same for `user/` and federated-user sessions."""
    if entry == parent:
        return True
    e, p = entry.split(":", 5), parent.split(":", 5)
    if len(e) != 6 or e[:5] != p[:5]:
        return False
    e_kind, _, e_rest = e[5].partition("/")
    p_kind, _, p_name = p[5].partition("/")
    return e_kind == p_kind and e_rest.rsplit("/", 1)[-1] == p_name


def match_aws_principal(entry: str, caller: Caller) -> PrincipalMatch:
    """One `"AWS"` entry against the caller."""
    if entry == "*":
        return PrincipalMatch.EXACT
    if caller.is_service:
        return PrincipalMatch.NONE
    if entry == caller.arn and not caller.is_root:
        # a grant to a role ARN is limited by the role's boundary/session policy, like PARENT
        return PrincipalMatch.PARENT if caller.is_role else PrincipalMatch.EXACT
    if entry.isdigit() and len(entry) == 12:
        return PrincipalMatch.ACCOUNT if entry == caller.account else PrincipalMatch.NONE
    parts = entry.split(":", 5)
    if len(parts) != 6:
        return PrincipalMatch.NONE
    if parts[2] == "iam" and parts[5] == "root":
        return PrincipalMatch.ACCOUNT if parts[4] == caller.account else PrincipalMatch.NONE
    if caller.parent is not None and _names_parent(entry, caller.parent):
        return PrincipalMatch.PARENT
    return PrincipalMatch.NONE


def match_principal(p: Principal, caller: Caller) -> PrincipalMatch:
    """Best match of a Principal element (its entries are OR'ed)."""
    if p.wildcard:
        return PrincipalMatch.EXACT
    best = PrincipalMatch.NONE
    for e in p.aws:
        m = match_aws_principal(e, caller)
        if m.value > best.value:
            best = m
            if m is PrincipalMatch.EXACT:
                return m
    for group in (p.service, p.federated, p.canonical_user):
        for e in group:
            if e == "*" or e == caller.arn:
                return PrincipalMatch.EXACT
    return best


def statement_principal_match(stmt: Statement, caller: Caller) -> PrincipalMatch:
    """Principal / NotPrincipal of a resource-policy statement against the caller.

    NotPrincipal: the statement applies to every caller whose own identity (its ARN, or the role of
    its session / the IAM user of its federated session) is not listed; it then counts as EXACT.
    Listing the account excludes only the account's root user: the NotPrincipal page's example lists
    `user/Bob` and the account so that only Bob escapes the Deny. No element at all: no match.
    """
    if stmt.principal is not None:
        return match_principal(stmt.principal, caller)
    if stmt.not_principal is not None:
        m = match_principal(stmt.not_principal, caller)
        excluded = (
            m is PrincipalMatch.EXACT or m is PrincipalMatch.PARENT or (m is PrincipalMatch.ACCOUNT and caller.is_root)
        )
        return PrincipalMatch.NONE if excluded else PrincipalMatch.EXACT
    return PrincipalMatch.NONE
