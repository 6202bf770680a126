"""cloudformation-003: iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances.

The edge goes to the StackSet administration role passed to CloudFormation; its own sts:AssumeRole edge to the execution role (if any) completes the chain.
"""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "cloudformation.amazonaws.com"
OTHER_SERVICE = "codebuild.amazonaws.com"
STEPS = ("cloudformation:CreateStackSet", "cloudformation:CreateStackInstances")
SRC = arn("user", "dev")
TARGET = arn("role", "stackset-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role stackset-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("stackset-admin", trust_service(trusts), admin=True),
                          role("stackset-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="cloudformation-003",
    name="iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"),
    description="Create a self-managed StackSet with an administration role trusting cloudformation.amazonaws.com and deploy instances, so its template runs with that role (and the execution role it can assume).",
    remediation="Restrict iam:PassRole of StackSet administration roles (iam:PassedToService cloudformation.amazonaws.com) to the platform team, and deny cloudformation:CreateStackSet to everyone else.",
    service=SERVICE,
    steps=(
        ServiceAction("cloudformation:CreateStackSet", "arn:aws:cloudformation:us-east-1:{account}:stackset/iamgraph:00000000-0000-0000-0000-000000000000"),
        ServiceAction("cloudformation:CreateStackInstances", "arn:aws:cloudformation:us-east-1:{account}:stackset/iamgraph:00000000-0000-0000-0000-000000000000"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "stackset-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
