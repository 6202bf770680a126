"""Per-document action index: which actions a policy document's Allow statements name, and the
resource patterns they allow them on. Built once per distinct document and kept in the
document's own `memo` (freed with it), so the thousands of principals holding the same managed
policy share one index and one answer per action instead of rebuilding it each.
"""

from __future__ import annotations

from ..evaluate.matching import action_matches, statement_matches_action
from ..model import Effect, PolicyDocument, Statement

_MEMO_KEY = "techniques.doc_actions"


class DocActions:
    """Allow-statement action index of one document; answers are memoised per action."""

    __slots__ = ("_denies", "_may", "_named", "_patterns", "deny", "doc", "exact", "negated", "other", "star", "svcs")

    def __init__(self, doc: PolicyDocument) -> None:
        self.doc = doc
        star, exact, svcs = False, set(), set()
        negated: list[Statement] = []
        other: dict[str, list[str]] = {}
        deny: list[Statement] = []
        for st in doc.statements:
            if st.effect is not Effect.ALLOW:
                deny.append(st)
                continue
            if st.actions is None:
                negated.append(st)
                continue
            for pat in st.actions:
                low = pat.lower()
                if low == "*":
                    star = True
                elif "*" not in low and "?" not in low:
                    exact.add(low)
                elif low.endswith(":*") and "*" not in low[:-2] and "?" not in low:
                    svcs.add(low[:-2])
                else:
                    svc, _, _rest = low.partition(":")
                    other.setdefault("" if ("*" in svc or "?" in svc) else svc, []).append(low)
        self.star = star
        self.exact = frozenset(exact)
        self.svcs = frozenset(svcs)
        self.other = {k: tuple(v) for k, v in other.items()}
        self.negated = tuple(negated)
        self._may: dict[str, bool] = {}
        self._patterns: dict[str, tuple[str, ...]] = {}
        self._named: dict[tuple[str, ...], frozenset[str]] = {}
        self.deny = tuple(deny)
        self._denies: dict[str, bool] = {}

    def may(self, action: str) -> bool:
        """Does an Allow statement of the document name `action` (Action match or NotAction miss)?"""
        hit = self._may.get(action)
        if hit is None:
            hit = self._may[action] = self._may_uncached(action)
        return hit

    def _may_uncached(self, action: str) -> bool:
        if self.star:
            return True
        a = action.lower()
        if a in self.exact:
            return True
        svc = a.split(":", 1)[0]
        if svc in self.svcs:
            return True
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
        `{a for a in actions if self.may(a)}`, in one pass (memoised per tuple of actions)."""
        hit = self._named.get(actions)
        if hit is None:
            if self.star:
                hit = frozenset(actions)
            else:
                exact, svcs, slow = self.exact, self.svcs, bool(self.other or self.negated)
                out = []
                for a in actions:
                    low = a.lower()
                    if low in exact or low.split(":", 1)[0] in svcs or (slow and self._may_uncached(a)):
                        out.append(a)
                hit = frozenset(out)
            self._named[actions] = hit
        return hit

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


def doc_actions(doc: PolicyDocument) -> DocActions:
    """The document's index, built on first use and stored in `doc.memo`."""
    hit = doc.memo.get(_MEMO_KEY)
    if hit is None:
        hit = doc.memo[_MEMO_KEY] = DocActions(doc)
    assert isinstance(hit, DocActions)
    return hit
