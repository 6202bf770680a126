"""lambda-006: iam:PassRole + lambda:CreateFunction + lambda:AddPermission."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "lambda.amazonaws.com"
OTHER_SERVICE = "ec2.amazonaws.com"
STEPS = ("lambda:CreateFunction", "lambda:AddPermission")
SRC = arn("user", "dev")
TARGET = arn("role", "fn-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role fn-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("fn-admin", trust_service(trusts), admin=True),
                          role("fn-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="lambda-006",
    name="iam:PassRole + lambda:CreateFunction + lambda:AddPermission",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"),
    description="Create a Lambda function with a role trusting lambda.amazonaws.com and add a resource policy that lets the attacker (or anyone) invoke it.",
    remediation="Limit iam:PassRole to named execution roles with Condition StringEquals iam:PassedToService lambda.amazonaws.com, and restrict lambda:AddPermission to function owners.",
    service=SERVICE,
    steps=(
        ServiceAction("lambda:CreateFunction", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
        ServiceAction("lambda:AddPermission", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "fn-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
