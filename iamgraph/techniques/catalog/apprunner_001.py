"""apprunner-001: iam:PassRole + apprunner:CreateService."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "tasks.apprunner.amazonaws.com"
OTHER_SERVICE = "lambda.amazonaws.com"
STEPS = ("apprunner:CreateService",)
SRC = arn("user", "dev")
TARGET = arn("role", "apprunner-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role apprunner-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("apprunner-admin", trust_service(trusts), admin=True),
                          role("apprunner-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="apprunner-001",
    name="iam:PassRole + apprunner:CreateService",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "apprunner:CreateService"),
    description="Create an App Runner service whose instance role is a role trusting tasks.apprunner.amazonaws.com, and run code in it.",
    remediation="Limit iam:PassRole to the intended App Runner instance roles with Condition StringEquals iam:PassedToService tasks.apprunner.amazonaws.com, never to admin roles.",
    service=SERVICE,
    steps=(
        ServiceAction("apprunner:CreateService", "arn:aws:apprunner:us-east-1:{account}:service/iamgraph/0123456789abcdef0123456789abcdef"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "apprunner-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
