"""query.assemble.record_of builds a finding's FindingRecord without the JSON round trip: the same
record (every field, the extras in their order, the same JSON text) as
`FindingRecord.from_json(f.to_json())`, and the same error where the round trip fails."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamgraph import api
from iamgraph.query.assemble import record_of
from iamgraph.query.base import Finding, Hop
from iamgraph.query.loader import load_queries
from iamgraph.query.report import FindingRecord
from iamgraph.query.severity import Severity
from iamgraph.techniques.evidence import EdgeKind, Evidence

ROOT = Path(__file__).parents[2]
ACCOUNTS = sorted(
    [
        *(ROOT / "samples").glob("*.json"),
        *(p for p in (ROOT / "tests" / "accounts").glob("*.json") if p.name != "expected.json"),
    ]
)


def _round_trip(f: Finding, path: str = "$.findings[0]") -> FindingRecord:
    return FindingRecord.from_json(f.to_json(), file="<report>", path=path)


def _outcome(fn: Any, f: Finding) -> tuple[str, Any]:
    try:
        rec = fn(f)
    except Exception as exc:  # the same failure, worded the same
        return ("error", (type(exc), str(exc)))
    return ("record", rec)


def _assert_same(f: Finding) -> None:
    got = _outcome(lambda x: record_of(x, path="$.findings[0]"), f)
    want = _outcome(_round_trip, f)
    assert got[0] == want[0], (got, want)
    if got[0] == "error":
        assert got == want
        return
    a, b = got[1], want[1]
    assert a == b
    assert json.dumps(a.to_json()) == json.dumps(b.to_json())  # key order included
    assert _typed(a.to_json()) == _typed(b.to_json())
    for x, y in [(a, b), *zip(a.path, b.path, strict=True)]:
        assert [type(getattr(x, n.name)) for n in dataclasses.fields(x)] == [
            type(getattr(y, n.name)) for n in dataclasses.fields(y)
        ]


def _typed(x: Any) -> Any:
    """The shape of a JSON-like value with the type of every part (str and a str subclass differ)."""
    if isinstance(x, dict):
        return (dict, [(_typed(k), _typed(v)) for k, v in x.items()])
    if isinstance(x, list | tuple):
        return (type(x), [_typed(v) for v in x])
    return type(x)


def _findings(path: str | Path) -> list[Finding]:
    graph = api.build_graph(api.load([path]))
    return [f for q in load_queries().values() if not q.parameters() for f in q.run(graph)]


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda p: p.name)
def test_same_record_as_the_round_trip_on_the_accounts(account: Path) -> None:
    found = _findings(account)
    assert found or account.name.startswith("freelancer-lambda-passrole-fixed")
    for f in found:
        _assert_same(f)


def test_same_record_as_the_round_trip_on_the_generated_account(generated_500_account: str) -> None:
    found = _findings(generated_500_account)
    assert len(found) > 50
    for f in found:
        _assert_same(f)


# ---- odd findings: subclasses, values of other types, empty and missing parts --------------------

_POOL: list[Evidence] = []


def _pool() -> list[Evidence]:
    if not _POOL:
        for name in ("multi-hop-chain.json", "third-party-externalid.json", "provisioning-hijackable.json"):
            graph = api.build_graph(api.load([ROOT / "samples" / name]))
            _POOL.extend(d["evidence"] for _u, _v, d in graph.g.edges(data=True))
        _POOL.sort(key=lambda e: (e.technique, e.via or "", e.note))
    return _POOL


class _OwnFinding(Finding):
    def to_json(self) -> dict[str, Any]:
        d = super().to_json()
        d["own"] = True
        return d


@dataclasses.dataclass(frozen=True, slots=True)
class _OwnHop(Hop):
    def to_json(self) -> dict[str, Any]:
        return {**Hop.to_json(self), "own": 1}


class _Str(str):
    pass


texts = st.one_of(
    st.none(), st.sampled_from(["", "x", "arn:aws:iam::111122223333:role/a"]), st.builds(_Str, st.text(max_size=3))
)
odd = st.one_of(texts, st.integers(-1, 2), st.booleans())


def mostly(plain: Any, other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`plain` three times in four (so most findings take record_of's own path), else `other`."""
    return st.one_of(st.just(plain), st.just(plain), st.just(plain), other)


@st.composite
def evidences(draw: st.DrawFn) -> Evidence:
    ev = draw(st.sampled_from(_pool()))
    return dataclasses.replace(
        ev,
        via=draw(mostly(ev.via, st.one_of(texts, st.integers(0, 1)))),
        note=draw(mostly(ev.note, odd)),
        missing=draw(mostly(ev.missing, st.sampled_from([(), ("inventory: whether a lambda function",), "ab"]))),
        extra_conditions=draw(
            mostly(ev.extra_conditions, st.sampled_from([(), ("aws:SourceIp",), ("sts:ExternalId", "aws:SourceIp")]))
        ),
        technique=draw(mostly(ev.technique, odd)),
        kind=draw(mostly(ev.kind, st.sampled_from([*EdgeKind, "assume_role"]))),
    )


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    hops = []
    for ev in draw(st.lists(evidences(), max_size=3)):
        cls = draw(mostly(Hop, st.just(_OwnHop)))
        hops.append(cls(draw(mostly("a", texts | st.integers(0, 1))), draw(mostly("b", texts)), ev))
    return draw(mostly(Finding, st.just(_OwnFinding)))(
        query=draw(mostly("q", odd)),
        severity=draw(mostly(Severity.HIGH, st.sampled_from([*Severity, "high"]))),
        title=draw(mostly("t", odd)),
        source=draw(mostly("s", odd)),
        target=draw(mostly("d", st.one_of(texts, st.integers(0, 1)))),
        reaches_admin=draw(st.one_of(st.booleans(), st.none(), st.integers(0, 2))),
        path=tuple(hops),
        remediation=draw(mostly("r", odd)),
        alternatives=draw(st.one_of(st.integers(-1, 3), st.booleans(), st.none(), st.just("2"))),
        details=draw(
            st.sampled_from([{}, {"fingerprint": "x"}, {"fingerprint": "x", "kind": "public"}, {"k": [1]}, [("k", 1)]])
        ),
        conditional_override=draw(st.one_of(st.none(), st.booleans())),
        incomplete=draw(st.sampled_from([(), ("a: b",), ("a", "a"), "ab", [_Str("z")]])),
        admin_account=draw(st.one_of(st.none(), st.sampled_from(["", "111122223333"]), st.integers(0, 1))),
    )


@settings(max_examples=500, deadline=None, derandomize=True)
@given(findings())
def test_same_record_or_error_as_the_round_trip_on_odd_findings(f: Finding) -> None:
    _assert_same(f)


_ODD_FINDING: list[tuple[str, Any]] = [
    ("query", None),
    ("query", 1),
    ("query", _Str("q")),
    ("severity", "high"),
    ("title", None),
    ("title", 1),
    ("source", None),
    ("source", 1),
    ("target", 1),
    ("target", _Str("t")),
    ("target", None),
    ("target", ""),
    ("reaches_admin", None),
    ("reaches_admin", 2),
    ("remediation", None),
    ("remediation", 1),
    ("alternatives", -1),
    ("alternatives", True),
    ("alternatives", "2"),
    ("alternatives", None),
    ("alternatives", 3),
    ("details", {}),
    ("details", {"fingerprint": "x"}),
    ("details", [("k", 1)]),
    ("incomplete", "ab"),
    ("incomplete", [_Str("z")]),
    ("incomplete", ("a", "a")),
    ("admin_account", ""),
    ("admin_account", 1),
    ("admin_account", "111122223333"),
    ("conditional_override", True),
]
_ODD_HOP: list[tuple[str, Any]] = [
    ("src", None),
    ("src", ""),
    ("src", 1),
    ("src", _Str("s")),
    ("dst", None),
    ("dst", 2),
]
_ODD_EVIDENCE: list[tuple[str, Any]] = [
    ("via", ""),
    ("via", 1),
    ("via", _Str("v")),
    ("via", None),
    ("via", "arn:aws:lambda:us-east-1:1:function:f"),
    ("note", 1),
    ("note", ""),
    ("note", _Str("n")),
    ("missing", "ab"),
    ("missing", ()),
    ("missing", ("m",)),
    ("missing", (_Str("m"),)),
    ("extra_conditions", (_Str("aws:SourceIp"),)),
    ("extra_conditions", ("aws:SourceIp",)),
    ("technique", None),
    ("technique", 1),
    ("technique", _Str("t")),
    ("kind", "assume_role"),
]


def _plain() -> Finding:
    evs = _pool()
    return Finding(
        query="q",
        severity=Severity.HIGH,
        title="t",
        source="s",
        target="d",
        path=(Hop("s", "m", evs[0]), Hop("m", "d", evs[-1])),
        details={"fingerprint": "f", "kind": "k"},
    )


@pytest.mark.parametrize(("field", "value"), _ODD_FINDING, ids=repr)
def test_one_odd_finding_field(field: str, value: Any) -> None:
    _assert_same(dataclasses.replace(_plain(), **{field: value}))


@pytest.mark.parametrize(("field", "value"), _ODD_HOP, ids=repr)
def test_one_odd_hop_field(field: str, value: Any) -> None:
    f = _plain()
    _assert_same(dataclasses.replace(f, path=(dataclasses.replace(f.path[0], **{field: value}), f.path[1])))


@pytest.mark.parametrize(("field", "value"), _ODD_EVIDENCE, ids=repr)
def test_one_odd_evidence_field(field: str, value: Any) -> None:
    f = _plain()
    hop = f.path[1]
    _assert_same(
        dataclasses.replace(
            f, path=(f.path[0], Hop(hop.src, hop.dst, dataclasses.replace(hop.evidence, **{field: value})))
        )
    )


def test_an_action_of_a_str_subclass() -> None:
    f = _plain()
    hop = f.path[1]
    grants = tuple(dataclasses.replace(g, action=_Str(g.action)) for g in hop.evidence.grants)
    assert grants
    ev = dataclasses.replace(hop.evidence, grants=grants)
    _assert_same(dataclasses.replace(f, path=(f.path[0], Hop(hop.src, hop.dst, ev))))


def test_subclasses_take_the_round_trip() -> None:
    f = _plain()
    _assert_same(_OwnFinding(**{x.name: getattr(f, x.name) for x in dataclasses.fields(f)}))
    _assert_same(dataclasses.replace(f, path=(_OwnHop(f.path[0].src, f.path[0].dst, f.path[0].evidence),)))


# ---- one report's findings share HopRecords (assemble_report's memo) -----------------------------


@st.composite
def sharing_findings(draw: st.DrawFn) -> Finding:
    """Findings whose hops take a few Evidence objects as they are (so findings share them), as a
    Hop or a Hop subclass, between a few ends (a str subclass among them)."""
    pool = _pool()
    ends = st.sampled_from(["a", "b", _Str("a"), None])
    hops = [
        draw(st.sampled_from([Hop, Hop, _OwnHop]))(draw(ends), draw(ends), draw(st.sampled_from(pool[:3] + pool[-2:])))
        for _ in range(draw(st.integers(1, 3)))
    ]
    return Finding(query="q", severity=Severity.HIGH, title="t", source="s", target="d", path=tuple(hops))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(sharing_findings() | findings(), min_size=1, max_size=8))
def test_a_shared_hop_memo_gives_each_finding_its_round_trip(found: list[Finding]) -> None:
    """Findings made of the same Evidence objects between the same or other ends, one memo for all."""
    memo: dict = {}
    for f in found:
        got = _outcome(lambda x: record_of(x, path="$.findings[0]", hops=memo), f)
        want = _outcome(_round_trip, f)
        assert got[0] == want[0]
        if got[0] == "error":
            assert got == want
            continue
        assert got[1] == want[1] and json.dumps(got[1].to_json()) == json.dumps(want[1].to_json())
        assert _typed(got[1].to_json()) == _typed(want[1].to_json())


def test_the_hop_memo_tells_ends_and_evidence_apart() -> None:
    """One Evidence object between other sources or destinations, and two Evidence objects between
    the same ends, each get their own record (a memo keyed without one of the three parts fails)."""
    one, other = _two_evidences()
    paths = [
        (Hop("a", "b", one),),
        (Hop("c", "b", one),),  # another source, the same Evidence
        (Hop("a", "d", one),),  # another destination
        (Hop("a", "b", other),),  # the same ends, another Evidence
        (Hop("a", "b", dataclasses.replace(one)),),  # an equal Evidence, another object
        (Hop("a", "b", one), Hop("b", "c", other)),
        (_OwnHop("a", "b", one),),  # a Hop subclass: the round trip, not the memo
    ]
    memo: dict = {}
    for path in paths:
        f = Finding(query="q", severity=Severity.HIGH, title="t", source=path[0].src, target="x", path=path)
        assert record_of(f, path="$.findings[0]", hops=memo) == _round_trip(f)
    assert len(memo) == 6


def _two_evidences() -> tuple[Evidence, Evidence]:
    """Two Evidence objects of the pool whose hop records differ."""
    with_grants = [e for e in _pool() if e.grants]
    one = with_grants[0]
    return one, next(e for e in with_grants if e.technique != one.technique)


def test_an_entry_for_another_evidence_object_is_not_used() -> None:
    """A memo entry under an Evidence's id holding another Evidence (an id reused) is not taken."""
    one, other = _two_evidences()
    stale = record_of(
        Finding(query="q", severity=Severity.HIGH, title="t", source="a", path=(Hop("a", "b", other),)), path="$"
    )
    memo: dict = {("a", "b", id(one)): (other, stale.path[0])}
    f = Finding(query="q", severity=Severity.HIGH, title="t", source="a", path=(Hop("a", "b", one),))
    assert record_of(f, path="$.findings[0]", hops=memo) == _round_trip(f)
