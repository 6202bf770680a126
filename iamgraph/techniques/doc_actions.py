"""Per-document action index: which actions a policy document's Allow statements name, and the
resource patterns they allow them on. Built once per distinct document and kept in the
document's own `memo` (freed with it), so the thousands of principals holding the same managed
policy share one index and one answer per action instead of rebuilding it each. Documents
whose Allow statements name the same Action/NotAction lists (the inline policies of principals
made alike) share the Action part of it and its answers as well (`_allowed`).
"""

from __future__ import annotations

from functools import lru_cache

from ..evaluate.matching import action_matches, statement_matches_action
from ..model import Effect, PolicyDocument, Statement

_MEMO_KEY = "techniques.doc_actions"

ListKey = tuple[object, ...]  # an Allow statement's Action list, or (None, its NotAction list)


class DocActions:
    """Allow-statement action index of one document; answers are memoised per action."""

    __slots__ = (
        "_denies",
        "_named",
        "_named_ids",
        "_patterns",
        "allowed",
        "answers",
        "deny",
        "doc",
        "exact",
        "negated",
        "other",
        "star",
        "svcs",
    )

    def __init__(self, doc: PolicyDocument, *, share: bool = True) -> None:
        """`share`: take the index and its answer memos from the documents of the same Allow
        Action/NotAction lists (`_allowed`); False: a fresh one of this document's own (tests)."""
        self.doc = doc
        negated: list[Statement] = []
        deny: list[Statement] = []
        lists: list[ListKey] = []
        for st in doc.statements:
            if st.effect is not _ALLOW:
                deny.append(st)
            elif st.actions is None:
                negated.append(st)
                lists.append((None, st.not_actions))
            else:
                lists.append(st.actions)
        key = tuple(lists)
        a = self.allowed = _allowed(key) if share else _Allowed(key)
        self.star, self.exact, self.svcs, self.other = a.star, a.exact, a.svcs, a.other
        self.negated = tuple(negated)
        self.answers = a.answers  # action -> `may` answer, as computed so far (read-only outside)
        self._named = a.named
        self._named_ids = a.named_ids
        self._patterns: dict[str, tuple[str, ...]] = {}
        self.deny = tuple(deny)
        self._denies: dict[str, bool] = {}

    def may(self, action: str) -> bool:
        """Does an Allow statement of the document name `action` (Action match or NotAction miss)?"""
        try:
            return self.answers[action]
        except KeyError:
            pass
        if self.star:
            hit = True
        else:
            a, svc = _lowered(action)
            hit = a in self.exact or svc in self.svcs or self._may_slow(action, a, svc)
        self.answers[action] = hit
        return hit

    def _may_slow(self, action: str, a: str, svc: str) -> bool:
        """`may` for an action (`a` lower case, `svc` its service) that no exact name and no
        `service:*` names: the other wildcard patterns and the NotAction statements."""
        other = self.other
        if other:
            for p in other.get(svc, ()):
                if action_matches(p, a):
                    return True
            for p in other.get("", ()):
                if action_matches(p, a):
                    return True
        return any(statement_matches_action(st, action) for st in self.negated) if self.negated else False

    def denies(self, action: str) -> bool:
        """Does a Deny statement of the document name `action` (Action match or NotAction miss),
        whatever its resources and conditions?"""
        hit = self._denies.get(action)
        if hit is None:
            hit = self._denies[action] = any(statement_matches_action(st, action) for st in self.deny)
        return hit

    def named(self, actions: tuple[str, ...]) -> frozenset[str]:
        """The members of `actions` this document's Allow statements name: exactly
        `{a for a in actions if self.may(a)}`, in one pass (memoised per tuple object of actions)."""
        held = self._named_ids.get(id(actions))
        if held is not None and held[0] is actions:
            return held[1]
        hit = self._named.get(actions)
        if hit is None:
            hit = self._named[actions] = self._named_now(actions)
        if len(self._named_ids) < 8:
            self._named_ids[id(actions)] = (actions, hit)
        return hit

    def _named_now(self, actions: tuple[str, ...]) -> frozenset[str]:
        """`named(actions)`, computed."""
        if self.star:
            return frozenset(actions)
        if self.other or self.negated:
            exact, svcs, slow = self.exact, self.svcs, self._may_slow
            return frozenset(
                a for a, low, svc in _prepared(actions) if low in exact or svc in svcs or slow(a, low, svc)
            )
        # only exact names and `service:*`: look the document's few names up in the tuple's index
        by_low, by_svc = _indexed(actions)
        found: list[str] = []
        for low in self.exact:
            got = by_low.get(low)
            if got is not None:
                found.extend(got)
        for svc in self.svcs:
            got = by_svc.get(svc)
            if got is not None:
                found.extend(got)
        return frozenset(found)

    def allow_patterns(self, action: str) -> tuple[str, ...]:
        """Resource patterns of the Allow statements naming `action` ('*' for NotResource), in
        statement order, each once."""
        hit = self._patterns.get(action)
        if hit is None:
            out: list[str] = []
            if self.may(action):
                for s in self.doc.statements:
                    if s.effect is Effect.ALLOW and statement_matches_action(s, action):
                        out.extend(s.resources if s.resources is not None else ("*",))
            hit = self._patterns[action] = tuple(dict.fromkeys(out))
        return hit


_ALLOW = Effect.ALLOW


class _Allowed:
    """What `may` and `named` read of a document: its Allow statements' Action lists (classified)
    and NotAction lists, in order (`key`), with their answers as computed so far. Equal keys give
    equal answers (`statement_matches_action` reads only a statement's Action/NotAction lists),
    so documents of equal keys share one (`_allowed`)."""

    __slots__ = ("answers", "exact", "named", "named_ids", "other", "star", "svcs")

    def __init__(self, key: tuple[ListKey, ...]) -> None:
        star = False
        exact: list[frozenset[str]] = []
        svcs: list[frozenset[str]] = []
        other: dict[str, list[str]] = {}
        for acts in key:
            if acts and acts[0] is None:  # (None, NotAction list): DocActions.negated
                continue
            s_star, s_exact, s_svcs, s_other = _classified(acts)  # an Action list (not a NotAction one)
            star = star or s_star
            if s_exact:
                exact.append(s_exact)
            if s_svcs:
                svcs.append(s_svcs)
            for svc, low in s_other:
                other.setdefault(svc, []).append(low)
        self.star = star
        self.exact = exact[0] if len(exact) == 1 else frozenset().union(*exact)
        self.svcs = svcs[0] if len(svcs) == 1 else frozenset().union(*svcs)
        self.other = {k: tuple(v) for k, v in other.items()} if other else {}
        self.answers: dict[str, bool] = {}
        self.named: dict[tuple[str, ...], frozenset[str]] = {}
        # id(actions) -> (actions, named(actions)) for the first few tuples asked (a hit skips
        # hashing the tuple); the entry holds the tuple, so its id is not reused meanwhile
        self.named_ids: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}


@lru_cache(maxsize=4096)
def _allowed(key: tuple[ListKey, ...]) -> _Allowed:
    """The `_Allowed` of `key`, one for every document of that key (a bounded cache: a key pushed
    out gets a fresh one; the answers in it depend on the key only)."""
    return _Allowed(key)


@lru_cache(maxsize=4096)
def _classified(
    actions: tuple[str, ...],
) -> tuple[bool, frozenset[str], frozenset[str], tuple[tuple[str, str], ...]]:
    """One Allow statement's Action list, classified for DocActions (pure: a bounded cache): whether
    it names `*`, its exact names and the services of its `service:*` patterns (lower case), and its
    other patterns in order, each with its service ("" when the service part holds a wildcard)."""
    star = False
    exact: set[str] = set()
    svcs: set[str] = set()
    other: list[tuple[str, str]] = []
    for pat in actions:
        low = pat.lower()
        if "*" not in low and "?" not in low:  # the common case first: an exact name
            exact.add(low)
        elif low == "*":
            star = True
        elif low.endswith(":*") and "*" not in low[:-2] and "?" not in low:
            svcs.add(low[:-2])
        else:
            svc, _, _rest = low.partition(":")
            other.append(("" if ("*" in svc or "?" in svc) else svc, low))
    return star, frozenset(exact), frozenset(svcs), tuple(other)


@lru_cache(maxsize=65536)
def _lowered(action: str) -> tuple[str, str]:
    """`action` lower case, and its service prefix (pure: a bounded cache)."""
    low = action.lower()
    return low, low.split(":", 1)[0]


@lru_cache(maxsize=256)
def _prepared(actions: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(action, lower case, service prefix) of each member of `actions` (pure: a bounded cache)."""
    return tuple((a, *_lowered(a)) for a in actions)


@lru_cache(maxsize=256)
def _indexed(actions: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The members of `actions` by lower-case name and by service prefix (pure: a bounded cache;
    read-only for callers)."""
    by_low: dict[str, list[str]] = {}
    by_svc: dict[str, list[str]] = {}
    for a, low, svc in _prepared(actions):
        by_low.setdefault(low, []).append(a)
        by_svc.setdefault(svc, []).append(a)
    return {k: tuple(v) for k, v in by_low.items()}, {k: tuple(v) for k, v in by_svc.items()}


def doc_actions(doc: PolicyDocument) -> DocActions:
    """The document's index, built on first use and stored in `doc.memo`."""
    try:
        return doc.memo[_MEMO_KEY]  # type: ignore[return-value]  # only DocActions is stored under this key
    except KeyError:
        hit = doc.memo[_MEMO_KEY] = DocActions(doc)
        return hit
