"""ecs-001: iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "ecs-tasks.amazonaws.com"
OTHER_SERVICE = "ec2.amazonaws.com"
STEPS = ("ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService")
SRC = arn("user", "dev")
TARGET = arn("role", "task-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role task-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("task-admin", trust_service(trusts), admin=True),
                          role("task-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="ecs-001",
    name="iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService"),
    description="Create a cluster, register a task definition whose task role trusts ecs-tasks.amazonaws.com and run it as a service.",
    remediation="Limit iam:PassRole to named task roles with Condition StringEquals iam:PassedToService ecs-tasks.amazonaws.com, never to admin roles.",
    service=SERVICE,
    steps=(
        ServiceAction("ecs:CreateCluster", "arn:aws:ecs:us-east-1:{account}:cluster/iamgraph"),
        ServiceAction("ecs:RegisterTaskDefinition", "*"),
        ServiceAction("ecs:CreateService", "arn:aws:ecs:us-east-1:{account}:service/iamgraph/iamgraph"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "task-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
