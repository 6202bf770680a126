"""Issue 16: real AWS managed policies (the documents iamgraph bundles from moto, see
iamgraph/data/NOTICE) attached to one user in an account with admin roles for the usual services.

Each case names the managed policy whose real document it uses:
- AmazonEKSComputePolicy: RunInstances on the instance only when aws:RequestTag/... equals
  ${aws:PrincipalTag/...}; a principal without that tag has no ec2-001 path (the other statement
  names placement groups, images, security groups, subnets, not the instance);
- SageMakerStudioAdminIAM{Default,Permissive}ExecutionPolicy, AmazonSageMakerModelCustomizationCoreAccess:
  `StringEquals aws:ResourceAccount ${aws:PrincipalAccount}` holds for the caller's own resources;
- glue:CreateDevEndpoint allowed only on Glue database ARNs (SageMakerStudioAdmin..., Sid GlueDatabase),
  sagemaker:* on apps/spaces only (Sid ManageSageMakerSpace): no dev endpoint, no notebook instance;
- ssm:SendCommand restricted to one document (AWSBackupFullAccess: AWSEC2-CreateVssSnapshot) runs no
  command of the caller's; AWS-RunPowerShellScript (AWSDirectoryServiceServiceRolePolicy) does;
- AWSMcpServiceActionsFullAccess allows only the MCP services' own actions: no escalation at all;
- AmazonEC2ContainerServiceEventsRole: ecs:RunTask + PassRole to ecs-tasks: a potential path
  without inventory (ecs-008, task definition overrides).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from iamgraph.collect.loader import snapshot_from_json
from iamgraph.collect.managed_catalog import lookup
from iamgraph.evaluate.types import Decision
from iamgraph.graph.build import build_graph
from iamgraph.graph.model import IamGraph
from iamgraph.techniques.case_builders import ACCOUNT, admin_policy, allow, role, trust_service, user
from iamgraph.techniques.registry import catalogue

PROBE = f"arn:aws:iam::{ACCOUNT}:user/probe"
SERVICES = (
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "glue.amazonaws.com",
    "codebuild.amazonaws.com",
    "sagemaker.amazonaws.com",
    "cloudformation.amazonaws.com",
)


def managed(name: str, path: str = "/") -> tuple[str, str, dict[str, Any]]:
    """(ARN, version, document) of a bundled AWS managed policy."""
    arn = f"arn:aws:iam::aws:policy{path}{name}"
    found = lookup(arn)
    assert found is not None, f"{name} is not in the bundled catalogue"
    return arn, found[0], found[1]


def managed_entry(arn: str, version: str, document: dict[str, Any]) -> dict[str, Any]:
    name = arn.rsplit("/", 1)[-1]
    return {
        "PolicyName": name,
        "PolicyId": "ANPA" + "X" * 17,
        "Arn": arn,
        "Path": arn.split("policy", 1)[1][: -len(name)],
        "DefaultVersionId": version,
        "AttachmentCount": 1,
        "IsAttachable": True,
        "PolicyVersionList": [{"Document": document, "VersionId": version, "IsDefaultVersion": True}],
    }


def graph_for(
    name: str, path: str = "/", *, tags: dict[str, str] | None = None, document: dict[str, Any] | None = None
) -> IamGraph:
    """The probe user holds managed policy `name` (its real document, or `document` in its place)."""
    arn, version, doc = managed(name, path)
    roles = [
        role(f"admin-{s.split('.')[0]}", trust_service(s), admin=True, instance_profile=s.startswith("ec2."))
        for s in SERVICES
    ]
    acct = {
        "UserDetailList": [user("probe", managed=(arn,), tags=tags)],
        "GroupDetailList": [],
        "RoleDetailList": roles,
        "Policies": [managed_entry(arn, version, document or doc), admin_policy()],
    }
    return build_graph(snapshot_from_json([(acct, f"managed:{name}")]))


def edges(g: IamGraph, technique: str) -> list[Any]:
    return [d["evidence"] for _, _, d in g.g.out_edges(PROBE, data=True) if d["evidence"].technique == technique]


def statement(name: str, sid: str, path: str = "/") -> dict[str, Any]:
    doc = managed(name, path)[2]
    return copy.deepcopy(next(s for s in doc["Statement"] if s.get("Sid") == sid))


# ---- request tag tied to a principal tag -----------------------------------------------------------


def test_eks_compute_policy_gives_no_run_instances_path_to_a_principal_without_the_cluster_tag() -> None:
    g = graph_for("AmazonEKSComputePolicy")
    assert edges(g, "ec2-001") == []
    view = g.context.views[PROBE]
    instance = f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0123456789abcdef0"
    assert g.context.grant(view, "ec2:RunInstances", instance) is None


def test_eks_compute_policy_with_the_cluster_tag_may_launch() -> None:
    """With the principal tag the request-tag condition can hold (the attacker writes the request
    tags), so an ec2-001 edge exists; the analysis no longer rests on an unresolvable variable."""
    g = graph_for("AmazonEKSComputePolicy", tags={"eks:eks-cluster-name": "prod"})
    assert edges(g, "ec2-001"), "the tagged principal may launch an instance with the cluster tag"


def test_run_instances_needs_every_required_resource_type() -> None:
    """AmazonEKSComputePolicy's first statement names placement groups, capacity reservations,
    images, security groups and subnets, but no instance and no network interface."""
    first = managed("AmazonEKSComputePolicy")[2]["Statement"][0]
    assert "ec2:RunInstances" in first["Action"]
    doc = {"Version": "2012-10-17", "Statement": [first, allow("iam:PassRole")]}
    g = graph_for("AmazonEKSComputePolicy", document=doc)
    assert edges(g, "ec2-001") == []
    # adding the instance and network interface types completes the request
    first2 = copy.deepcopy(first)
    first2["Resource"] = [*first2["Resource"], "arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:network-interface/*"]
    g2 = graph_for(
        "AmazonEKSComputePolicy", document={"Version": "2012-10-17", "Statement": [first2, allow("iam:PassRole")]}
    )
    ev = edges(g2, "ec2-001")
    assert ev and not ev[0].conditional
    rows = [r for e in ev[:1] for r in e.to_json()["evidence"] if r["action"] == "ec2:RunInstances"]
    cited = {r["resource"].split(":")[5].split("/")[0] for r in rows}
    assert {"instance", "image", "network-interface", "security-group", "subnet"} <= cited


# ---- keys the request fixes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["SageMakerStudioAdminIAMDefaultExecutionPolicy", "SageMakerStudioAdminIAMPermissiveExecutionPolicy"]
)
def test_passrole_limited_to_the_callers_account_is_definite(name: str) -> None:
    g = graph_for(name)
    ev = edges(g, "sagemaker-002")  # PassRole (aws:ResourceAccount = ${aws:PrincipalAccount}) + CreateTrainingJob
    assert ev and not ev[0].conditional, [e.to_json() for e in ev]
    passrole = [r for r in ev[0].to_json()["evidence"] if r["action"] == "iam:PassRole"]
    assert passrole[0]["sid"] == "PassRoleForProvisioning"
    view = g.context.views[PROBE]
    other = view.can(
        "iam:PassRole", "arn:aws:iam::222222222222:role/x", context={"iam:PassedToService": "glue.amazonaws.com"}
    )
    assert other.decision is not Decision.ALLOWED  # another account's role: the condition fails


def test_resource_account_condition_on_own_training_job_is_allowed() -> None:
    g = graph_for("AmazonSageMakerModelCustomizationCoreAccess")
    view = g.context.views[PROBE]
    own = view.can("sagemaker:CreateTrainingJob", f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/j")
    assert own.decision is Decision.ALLOWED
    assert [r.sid for r in own.allowed_by] == ["SageMakerTrainingJob"]
    theirs = view.can("sagemaker:CreateTrainingJob", "arn:aws:sagemaker:us-east-1:222222222222:training-job/j")
    assert theirs.decision is Decision.IMPLICIT_DENY


# ---- resource types ---------------------------------------------------------------------------------


def test_glue_dev_endpoint_is_not_allowed_by_a_database_statement() -> None:
    """SageMakerStudioAdminIAMDefaultExecutionPolicy, Sid GlueDatabase: glue:* on database/table/
    catalog/connection ARNs; glue:CreateDevEndpoint supports no resource type (Resource "*")."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            statement("SageMakerStudioAdminIAMDefaultExecutionPolicy", "GlueDatabase"),
            statement("SageMakerStudioAdminIAMDefaultExecutionPolicy", "PassRoleForProvisioning"),
            statement("SageMakerStudioAdminIAMDefaultExecutionPolicy", "ManageSageMakerSpace"),
        ],
    }
    g = graph_for("SageMakerStudioAdminIAMDefaultExecutionPolicy", document=doc)
    for technique in ("glue-001", "glue-003", "sagemaker-001"):
        assert edges(g, technique) == [], technique
    view = g.context.views[PROBE]
    assert g.context.grant(view, "glue:CreateDevEndpoint", f"arn:aws:glue:us-east-1:{ACCOUNT}:database/db") is None


def test_full_policy_dev_endpoint_rests_on_the_lake_formation_condition_only() -> None:
    g = graph_for("SageMakerStudioAdminIAMDefaultExecutionPolicy")
    for ev in edges(g, "glue-001"):
        rows = [r for r in ev.to_json()["evidence"] if r["action"] == "glue:CreateDevEndpoint"]
        assert ev.conditional and {r["sid"] for r in rows} == {"GlueLakeFormation"}
        assert all(r["resource"] == "*" for r in rows)


def test_send_command_with_one_harmless_document_is_no_escalation() -> None:
    g = graph_for("AWSBackupFullAccess")
    assert edges(g, "ssm-002") == []


def test_send_command_with_a_shell_document_is_a_potential_path() -> None:
    g = graph_for("AWSDirectoryServiceServiceRolePolicy", "/aws-service-role/")
    ev = edges(g, "ssm-002")
    assert ev and all(e.conditional for e in ev)  # no inventory: which instance runs the role is unknown
    rows = [r for r in ev[0].to_json()["evidence"] if r["action"] == "ssm:SendCommand"]
    assert any(r["resource"].endswith("document/AWS-RunPowerShellScript") for r in rows)


# ---- policies scoped to one service's own API -------------------------------------------------------


def test_mcp_service_actions_policy_is_no_escalation_source() -> None:
    g = graph_for("AWSMcpServiceActionsFullAccess")
    assert not g.admins.get(PROBE) or not g.admins[PROBE].possible
    assert [d["evidence"].technique for _, _, d in g.g.out_edges(PROBE, data=True)] == []


# ---- ecs RunTask with overrides ---------------------------------------------------------------------


def test_ecs_events_role_runs_existing_task_definitions_as_a_potential_path() -> None:
    assert "ecs-008" in {t.id for t in catalogue()}
    g = graph_for("AmazonEC2ContainerServiceEventsRole", "/service-role/")
    ev = edges(g, "ecs-008")
    assert ev, "RunTask + PassRole to ecs-tasks on an existing task definition"
    # without inventory nothing says a task definition exists: a potential edge naming the gap
    assert all(e.conditional and any("ecs inventory not collected" in m for m in e.missing) for e in ev), [
        e.to_json() for e in ev
    ]
    assert {"ecs:RunTask", "iam:PassRole"} <= set(ev[0].actions)
    rows = {r["action"]: r for r in ev[0].to_json()["evidence"]}
    assert rows["ecs:RunTask"]["policy"].endswith("/AmazonEC2ContainerServiceEventsRole")
