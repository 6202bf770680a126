"""Hypothesis properties of the evaluator (issue 2 §5)."""

from __future__ import annotations

from evalkit import ACCT, USER, pol, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamgraph.evaluate.types import Decision
from iamgraph.model import PolicyKind

ACTIONS = ["s3:GetObject", "s3:PutObject", "iam:CreateUser", "ec2:RunInstances", "sts:AssumeRole"]
RESOURCES = ["*", "arn:aws:s3:::b/k", "arn:aws:s3:::c/k", f"arn:aws:iam::{ACCT}:role/r"]
PATTERNS = ["*", "s3:*", "s3:Get*", "iam:*", "ec2:RunInstances", "sts:AssumeRole", "*Object"]
RPATS = ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::*", f"arn:aws:iam::{ACCT}:role/*"]
CONDS = [
    None,
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"StringEquals": {"aws:PrincipalTag/team": "red"}},
    {"StringNotEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}},
]
KEYS = ["aws:MultiFactorAuthPresent", "aws:SourceIp", "aws:PrincipalTag/team", "aws:RequestedRegion"]
FAILING = {  # context values that make the corresponding condition false
    "aws:MultiFactorAuthPresent": "false",
    "aws:SourceIp": "192.0.2.1",
    "aws:PrincipalTag/team": "blue",
    "aws:RequestedRegion": "eu-west-1",
}


@st.composite
def statement(draw, effect=None, principal=False):  # type: ignore[no-untyped-def]
    s = {
        "Effect": effect or draw(st.sampled_from(["Allow", "Deny"])),
        ("Action" if draw(st.booleans()) or True else "NotAction"): draw(
            st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2)
        ),
        ("Resource" if draw(st.integers(0, 4)) else "NotResource"): draw(st.sampled_from(RPATS)),
    }
    c = draw(st.sampled_from(CONDS))
    if c:
        s["Condition"] = c
    if principal:
        s["Principal"] = draw(st.sampled_from(["*", {"AWS": USER}, {"AWS": ACCT}]))
    return s


def policy(kind=PolicyKind.CUSTOM, principal=False, effect=None):  # type: ignore[no-untyped-def]
    return st.lists(statement(effect, principal), min_size=1, max_size=3).map(lambda ss: pol(*ss, kind=kind))


contexts = st.dictionaries(
    st.sampled_from(KEYS), st.sampled_from(["true", "false", "10.1.2.3", "red", "eu-west-1", "192.0.2.1"])
)
scenario = st.fixed_dictionaries(
    {
        "action": st.sampled_from(ACTIONS),
        "resource": st.sampled_from(RESOURCES),
        "identity": st.lists(policy(), max_size=2).map(tuple),
        "resource_policy": st.one_of(st.none(), policy(PolicyKind.RESOURCE, principal=True)),
        "context": contexts,
    }
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(sc, **over):  # type: ignore[no-untyped-def]
    kw = dict(sc)
    kw.update(over)
    return run(kw.pop("action"), kw.pop("resource"), **kw)


@FAST
@given(sc=scenario, extra=policy(effect="Deny"))
def test_adding_a_deny_never_grants(sc, extra) -> None:  # type: ignore[no-untyped-def]
    before = _run(sc).decision
    after = _run(sc, identity=sc["identity"] + (extra,)).decision
    if before is not Decision.ALLOWED:
        assert after is not Decision.ALLOWED
    assert not (before is Decision.EXPLICIT_DENY and after is not Decision.EXPLICIT_DENY)


@FAST
@given(sc=scenario, b=policy(PolicyKind.BOUNDARY))
def test_a_boundary_never_widens(sc, b) -> None:  # type: ignore[no-untyped-def]
    before = _run(sc).decision
    after = _run(sc, boundaries=(b,)).decision
    if before is not Decision.ALLOWED:
        assert after is not Decision.ALLOWED


@FAST
@given(sc=scenario)
def test_concrete_mode_never_unknown(sc) -> None:  # type: ignore[no-untyped-def]
    assert _run(sc).decision is not Decision.UNKNOWN


allow_only = st.fixed_dictionaries(
    {
        "action": st.sampled_from(ACTIONS),
        "resource": st.sampled_from(RESOURCES),
        "identity": st.lists(policy(effect="Allow"), max_size=2).map(tuple),
        "resource_policy": st.one_of(st.none(), policy(PolicyKind.RESOURCE, principal=True, effect="Allow")),
        "context": contexts,
    }
)


@FAST
@given(sc=allow_only, keys=st.sets(st.sampled_from(KEYS), min_size=1))
def test_unknown_never_becomes_allowed_by_failing_context(sc, keys) -> None:  # type: ignore[no-untyped-def]
    ctx = {k: v for k, v in sc["context"].items() if k not in keys}
    r = _run(sc, context=ctx, unknown=frozenset(k.lower() for k in keys))
    if r.decision is not Decision.UNKNOWN:
        return
    assert r.unknown_keys
    failing = dict(ctx)
    failing.update({k: FAILING[k] for k in r.unknown_keys})
    assert _run(sc, context=failing).decision is not Decision.ALLOWED


@FAST
@given(sc=scenario, keys=st.sets(st.sampled_from(KEYS), min_size=1))
def test_concrete_answer_is_one_of_the_possibilities(sc, keys) -> None:  # type: ignore[no-untyped-def]
    """Kleene soundness: a definite answer with unknown keys holds for every concrete value."""
    ctx = {k: v for k, v in sc["context"].items() if k not in keys}
    r = _run(sc, context=ctx, unknown=frozenset(k.lower() for k in keys))
    if r.decision is Decision.UNKNOWN:
        return
    for fill in (
        {},
        {k: FAILING[k] for k in keys},
        {
            k: {
                "aws:MultiFactorAuthPresent": "true",
                "aws:SourceIp": "10.0.0.1",
                "aws:PrincipalTag/team": "red",
                "aws:RequestedRegion": "eu-west-1",
            }[k]
            for k in keys
        },
    ):
        c = dict(ctx)
        c.update(fill)
        d = _run(sc, context=c).decision
        if r.decision is Decision.IMPLICIT_DENY:
            assert d is not Decision.ALLOWED
        else:
            assert d is r.decision


def test_unknown_keys_include_a_resource_maybe_beside_a_definite_allow_of_another_match() -> None:
    """Found by the property above: a same-account resource policy whose definite Allow names the
    account (it needs the identity path) and whose conditional Allow names `*` directly. The keys of
    the `*` statement decide the request too, so they are among the unknown keys."""
    identity = pol(
        {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        }
    )
    resource = pol(
        {"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": {"AWS": ACCT}},
        {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*",
            "Principal": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}},
        },
        kind=PolicyKind.RESOURCE,
    )
    sc = {"action": "s3:GetObject", "resource": "*", "identity": (identity,), "resource_policy": resource}
    r = _run(sc, context={}, unknown=frozenset(k.lower() for k in KEYS))
    assert r.decision is Decision.UNKNOWN
    assert r.unknown_keys == {"aws:MultiFactorAuthPresent", "aws:RequestedRegion"}
    # failing values for the keys it names leave nothing allowed; a passing region alone allows
    assert _run(sc, context={"aws:MultiFactorAuthPresent": "false", "aws:RequestedRegion": "eu-west-1"}).decision is (
        Decision.IMPLICIT_DENY
    )
    assert _run(sc, context={"aws:MultiFactorAuthPresent": "false"}).decision is Decision.ALLOWED
