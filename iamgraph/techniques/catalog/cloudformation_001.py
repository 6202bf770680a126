"""cloudformation-001: iam:PassRole + cloudformation:CreateStack."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "cloudformation.amazonaws.com"
OTHER_SERVICE = "codebuild.amazonaws.com"
STEPS = ("cloudformation:CreateStack",)
SRC = arn("user", "dev")
TARGET = arn("role", "cfn-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role cfn-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("cfn-admin", trust_service(trusts), admin=True),
                          role("cfn-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="cloudformation-001",
    name="iam:PassRole + cloudformation:CreateStack",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "cloudformation:CreateStack"),
    description="Create a CloudFormation stack with a service role trusting cloudformation.amazonaws.com, whose template creates resources (e.g. an admin user) as that role.",
    remediation="Limit iam:PassRole to named deployment roles with Condition StringEquals iam:PassedToService cloudformation.amazonaws.com, and keep admin roles out of its Resource list.",
    service=SERVICE,
    steps=(
        ServiceAction("cloudformation:CreateStack", "arn:aws:cloudformation:us-east-1:{account}:stack/iamgraph/00000000-0000-0000-0000-000000000000"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "cfn-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
