"""Cheaper PassRole paths, same answers: `keep_candidate` memoised on all three of its strings
(pairs that differ in exactly one of them get different answers, so a memo that left one out
would hand the second the first's answer), and the role classes of `AccountIndex._role_classes`
from match bitmasks (`_match_signatures`) equal the classes of their definition (roles grouped by
`tuple(arn in h for h in hits)`) on random sets (both ways of building the masks) and on accounts."""

from __future__ import annotations

import random

import pytest
from techhelpers import trusted_services

from iamgraph.techniques import account_index as ai
from iamgraph.techniques.account_index import AccountIndex, _match_signatures
from iamgraph.techniques.resource_grants import keep_candidate

ACCT = "123456789012"
FN_TEMPLATE = f"arn:aws:lambda:us-east-1:{ACCT}:function:iamgraph"
FN = f"arn:aws:lambda:us-east-1:{ACCT}:function:app-x"
LAYER = f"arn:aws:lambda:us-east-1:{ACCT}:layer:app-x"
INSTANCE = f"arn:aws:ec2:us-east-1:{ACCT}:instance/i-0123456789abcdef0"
IMAGE_TEMPLATE = "arn:aws:ec2:us-east-1::image/ami-0"
IMAGE = "arn:aws:ec2:us-east-1::image/ami-1"

# (the part the pair differs in, first triple, second triple, first's answer, second's answer)
KEEP_PAIRS = [
    ("candidate", ("lambda:CreateFunction", FN_TEMPLATE, FN), ("lambda:CreateFunction", FN_TEMPLATE, LAYER)),
    ("template", ("ec2:RunInstances", INSTANCE, IMAGE), ("ec2:RunInstances", IMAGE_TEMPLATE, IMAGE)),
    ("action", ("lambda:InvokeFunction", "*", LAYER), ("lambda:PublishLayerVersion", "*", LAYER)),
]


@pytest.mark.parametrize(("part", "first", "second"), KEEP_PAIRS, ids=[p[0] for p in KEEP_PAIRS])
def test_keep_candidate_memo_tells_each_argument_apart(
    part: str, first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    keep_candidate.cache_clear()
    a, b = keep_candidate(*first), keep_candidate(*second)  # the second asked with the first memoised
    assert (a, b) == (keep_candidate.__wrapped__(*first), keep_candidate.__wrapped__(*second))
    assert a != b, f"the pair must tell the {part} apart"


@pytest.mark.parametrize(
    "account_file",
    ["generated-500", "samples/freelancer-lambda-passrole-star.json", "samples/multi-hop-chain.json"],
    indirect=True,
)
def test_keep_candidate_memo_answers_as_its_body_in_a_build(account_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from iamgraph import api

    asked: list[tuple[str, str, str]] = []

    def recording(action: str, template: str, candidate: str) -> bool:
        asked.append((action, template, candidate))
        return keep_candidate(action, template, candidate)

    keep_candidate.cache_clear()
    monkeypatch.setattr(ai, "keep_candidate", recording)
    api.build_graph(api.load([account_file]))
    assert asked
    for t in asked:
        assert keep_candidate(*t) is keep_candidate.__wrapped__(*t), t


def _by_definition(arns: list[str], hits: list[frozenset[str]]) -> list[list[str]]:
    groups: dict[tuple[bool, ...], list[str]] = {}
    for a in arns:
        groups.setdefault(tuple(a in h for h in hits), []).append(a)
    return list(groups.values())


def _by_masks(arns: list[str], hits: list[frozenset[str]]) -> list[list[str]]:
    sig = _match_signatures(arns, hits)
    groups: dict[int, list[str]] = {}
    for a in arns:
        groups.setdefault(sig.get(a, 0), []).append(a)
    return list(groups.values())


@pytest.mark.parametrize("seed", range(40))
def test_match_signatures_give_the_classes_of_their_definition(seed: int) -> None:
    rnd = random.Random(seed)
    pool = [f"r{i}" for i in range(rnd.randint(0, 60))]
    arns = sorted(rnd.sample(pool, rnd.randint(0, len(pool))))
    # some hit sets hold ARNs outside `arns` (the hits are over every role trusting the service)
    hits = [frozenset(rnd.sample(pool, rnd.randint(0, len(pool)))) for _ in range(rnd.randint(0, 70))]
    assert _by_masks(arns, hits) == _by_definition(arns, hits)


def test_match_signatures_both_ways() -> None:
    hits = [frozenset({"a", "b", "x"}), frozenset({"b", "c"}), frozenset({"a", "b"})]
    few = ["a", "b", "c", "d"]  # 4 ARNs x 3 sets < 7 hits: each ARN tested against each set
    many = [*few, *(f"z{i}" for i in range(10))]  # walking the 7 hits is cheaper
    for arns in (few, many):
        sig = _match_signatures(arns, hits)
        assert [sig.get(a, 0) for a in few] == [0b101, 0b111, 0b010, 0]
        assert _by_masks(arns, hits) == _by_definition(arns, hits)


def _reference_role_classes(
    ctx: AccountIndex, service: str, patterns: tuple[str, ...] | None, cands: set[str] | None
) -> list[tuple[str, ...]]:
    """`_role_classes` as it was defined before the bitmasks (ARNs only)."""
    group = ctx._scoped(service)
    roles = ctx.roles_trusting_service(service)
    if cands is not None:
        roles = [r for r in roles if r[0].arn in cands]
    if patterns is None:
        return [(r.arn,) for r, _ in roles]
    hits = [ctx._hits(p, ctx.service_role_arns(service), group) for p in patterns]
    groups: dict[tuple[bool, ...], list[str]] = {}
    for r, _ in roles:
        groups.setdefault(tuple(r.arn in h for h in hits), []).append(r.arn)
    return [tuple(v) for v in groups.values()]


@pytest.mark.parametrize(
    "account_file",
    [
        "generated-500",
        "samples/freelancer-lambda-passrole-star.json",
        "samples/freelancer-lambda-passrole-fixed.snapshot.json",
        "tests/accounts/iam_vulnerable_passrole.json",
        "tests/accounts/pathfinding_new_passrole.json",
    ],
    indirect=True,
)
def test_role_classes_of_an_account_are_their_definition(account_file: str) -> None:
    from iamgraph import api

    snap = api.load([account_file])
    ctx = AccountIndex.create(snap)
    services = trusted_services(snap)
    asked = 0
    for arn in sorted(ctx.views):
        view = ctx.views[arn]
        if not view.may("iam:PassRole"):
            continue
        patterns = ctx._relevant_patterns(view, "iam:PassRole")
        for service in services:
            cands = ctx.candidates(view, "iam:PassRole", ctx.service_role_arns(service), ctx._scoped(service))
            for c in (cands, None):
                got = [tuple(r.arn for r, _ in m) for m in ctx._role_classes(service, patterns, c)]
                assert got == _reference_role_classes(ctx, service, patterns, c), (arn, service)
                asked += 1
    assert asked > 0
