"""snapshot_unknown_actions reads each distinct document and Action/NotAction list once: it must
give exactly the lines of reading every statement of every (label, document) pair in order (the
former body, kept here as the reference), shared documents, repeated labels and the limit included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from iamgraph.model import Effect, PolicyDocument, Statement
from iamgraph.model.action_catalog import snapshot_unknown_actions, unknown_action_note, unknown_actions


def reference(documents: list[tuple[str, object]], limit: int = 20) -> list[str]:
    out: list[str] = []
    extra = 0
    seen: set[tuple[str, int]] = set()
    for name, doc in documents:
        for s in getattr(doc, "statements", ()):
            bad = unknown_actions((*(s.actions or ()), *(s.not_actions or ())))
            if not bad or (name, s.index) in seen:
                continue
            seen.add((name, s.index))
            if len(out) >= limit:
                extra += 1
                continue
            out.append(f"{name} " + unknown_action_note(s.index, s.sid, bad))
    if extra:
        out.append(f"... and {extra} more statements naming actions that match no IAM action")
    return out


ACTIONS = ["s3:GetObject", "s3:Get*", "iam:PassRole", "s3:GetObjekt", "ec2:Nope*", "lambda:*", "*", "nosuch:thing"]
action_lists = st.one_of(st.none(), st.lists(st.sampled_from(ACTIONS), max_size=3).map(tuple))


@st.composite
def documents(draw: st.DrawFn) -> list[tuple[str, object]]:
    docs = []
    for _ in range(draw(st.integers(1, 5))):
        stmts = tuple(
            Statement(
                effect=Effect.ALLOW,
                index=i,
                sid=draw(st.sampled_from([None, "A", "B"])),
                actions=draw(action_lists),
                not_actions=draw(action_lists),
                resources=("*",),
            )
            for i in range(draw(st.integers(0, 4)))
        )
        docs.append(PolicyDocument("2012-10-17", stmts))
    # labels repeat and documents are shared between labels, as between holders of one policy
    pairs = draw(st.lists(st.tuples(st.sampled_from(["u1", "u2", "r1", "mp"]), st.sampled_from(docs)), max_size=12))
    return [*pairs, ("odd", object())]


@given(documents(), st.integers(0, 4))
def test_same_lines_as_reading_every_statement(docs: list[tuple[str, object]], limit: int) -> None:
    assert snapshot_unknown_actions(docs, limit) == reference(docs, limit)


def test_a_shared_document_warns_once_per_label() -> None:
    doc = PolicyDocument(
        "2012-10-17", (Statement(effect=Effect.ALLOW, index=0, actions=("s3:GetObjekt",), resources=("*",)),)
    )
    got = snapshot_unknown_actions([("u1", doc), ("u2", doc), ("u1", doc)])
    assert [line.split(" ", 1)[0] for line in got] == ["u1", "u2"]
    assert got == reference([("u1", doc), ("u2", doc), ("u1", doc)])


# matches_any's literal-prefix path against `expand`, which matches the prefix case-blind over
# every service (the reference): same answer for prefixes of any case, wildcards in either part,
# unknown services, no colon, and non-ASCII letters that re.I folds onto ASCII ones (U+017F, U+212A)
_PARTS = ["s3", "S3", "iam", "IaM", "ec2", "lambda", "nosuch", "\u017f3", "\u212ams", "s*", "?3", "", "*"]
_NAMES = ["GetObject", "getobject", "Get*", "*Object", "Pass?ole", "G*t*b*", "Nope*", "*", "?", "", "x*"]


@given(st.sampled_from(_PARTS), st.sampled_from([":", ""]), st.sampled_from(_NAMES))
def test_matches_any_equals_expand(prefix: str, colon: str, name: str) -> None:
    from iamgraph.model.action_catalog import catalog

    pattern = prefix + colon + name
    if pattern == "*" or not any(c in pattern for c in "*?"):
        return  # answered before either path (canonical / the `*` shortcut)
    cat = catalog()
    assert cat.matches_any(pattern) is bool(cat.expand(pattern)), pattern
