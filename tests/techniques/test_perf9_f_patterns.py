"""perf9-f: `PrincipalView.allow_resource_patterns` skips the documents whose shared answer says
they name no such action and returns a lone contributor's tuple as it is. It and
`resolved_patterns` must equal the plain computation (every document asked, merged in order,
each pattern once, variables filled). Checked by mutation: skipping the documents whose answer is
not yet known (`is not True` for `is False`) makes a test here fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.model import Effect
from iamgraph.techniques.principal import PrincipalView, build_views

ROOT = Path(__file__).resolve().parents[2]
INPUTS = sorted(p for p in (ROOT / "samples").glob("*.json") if not p.name.endswith(".snapshot.json"))
ACTIONS = (
    "iam:CreateAccessKey",
    "iam:UpdateLoginProfile",
    "iam:PassRole",
    "sts:AssumeRole",
    "lambda:UpdateFunctionCode",
    "s3:GetObject",
    "ec2:RunInstances",
)


def _plain_allow(view: PrincipalView, action: str) -> tuple[str, ...]:
    from iamgraph.evaluate.matching import statement_matches_action

    out: list[str] = []
    for doc in dict.fromkeys(p.document for p in view.policies.identity):
        for s in doc.statements:
            if s.effect is Effect.ALLOW and statement_matches_action(s, action):
                out.extend(s.resources if s.resources is not None else ("*",))
    return tuple(dict.fromkeys(out))


def _plain_resolved(view: PrincipalView, action: str) -> tuple[str, ...]:
    out = []
    for p in _plain_allow(view, action):
        if "${" in p:
            p = view.substitute(p, "\0")
            if "\0" in p:
                p = "*"
        out.append(p)
    return tuple(dict.fromkeys(out))


def _inputs() -> list[Path]:
    small = ROOT / "benchmarks" / "data" / "acct-500-s7.json"
    return [*INPUTS, *([small] if small.exists() else [])]


@pytest.mark.parametrize("path", _inputs(), ids=lambda p: p.name)
def test_patterns_equal_plain_computation(path: Path) -> None:
    views = build_views(api.load([str(path)]))
    assert views
    for order in (ACTIONS, tuple(reversed(ACTIONS))):  # answers asked before and after the patterns
        for view in views.values():
            view._patterns.clear()
            for a in order:
                if order is not ACTIONS:
                    view.may(a)
                assert view.allow_resource_patterns(a) == _plain_allow(view, a), (view.arn, a)
                assert view.resolved_patterns(a) == _plain_resolved(view, a), (view.arn, a)


def test_lone_contributor_and_variables() -> None:
    """A view of two documents where one names the action (a variable pattern) and one does not."""
    path = ROOT / "benchmarks" / "data" / "acct-500-s7.json"
    if not path.exists():
        pytest.skip("benchmark data not present")
    views = build_views(api.load([str(path)]))
    seen_var = seen_multi = False
    for view in views.values():
        if len(view.policies.identity) > 1 and view.allow_resource_patterns("iam:CreateAccessKey"):
            seen_multi = True
            seen_var = seen_var or any("${" in p for p in view.allow_resource_patterns("iam:CreateAccessKey"))
    assert seen_multi and seen_var
