"""glue-004: iam:PassRole + glue:CreateJob + glue:CreateTrigger."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "glue.amazonaws.com"
OTHER_SERVICE = "sagemaker.amazonaws.com"
STEPS = ("glue:CreateJob", "glue:CreateTrigger")
SRC = arn("user", "dev")
TARGET = arn("role", "glue-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role glue-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("glue-admin", trust_service(trusts), admin=True),
                          role("glue-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="glue-004",
    name="iam:PassRole + glue:CreateJob + glue:CreateTrigger",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"),
    description="Create a Glue job with a role trusting glue.amazonaws.com and a trigger that starts it on creation.",
    remediation="Limit iam:PassRole to named Glue roles with Condition StringEquals iam:PassedToService glue.amazonaws.com, never to admin roles.",
    service=SERVICE,
    steps=(
        ServiceAction("glue:CreateJob", "arn:aws:glue:us-east-1:{account}:job/iamgraph"),
        ServiceAction("glue:CreateTrigger", "arn:aws:glue:us-east-1:{account}:trigger/iamgraph"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "glue-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
