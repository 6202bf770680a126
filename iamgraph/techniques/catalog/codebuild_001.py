"""codebuild-001: iam:PassRole + codebuild:CreateProject + codebuild:StartBuild."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "codebuild.amazonaws.com"
OTHER_SERVICE = "lambda.amazonaws.com"
STEPS = ("codebuild:CreateProject", "codebuild:StartBuild")
SRC = arn("user", "dev")
TARGET = arn("role", "build-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role build-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("build-admin", trust_service(trusts), admin=True),
                          role("build-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="codebuild-001",
    name="iam:PassRole + codebuild:CreateProject + codebuild:StartBuild",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"),
    description="Create a CodeBuild project whose service role trusts codebuild.amazonaws.com and start a build whose buildspec runs as that role.",
    remediation="Limit iam:PassRole to named build roles with Condition StringEquals iam:PassedToService codebuild.amazonaws.com, and never to admin roles.",
    service=SERVICE,
    steps=(
        ServiceAction("codebuild:CreateProject", "arn:aws:codebuild:us-east-1:{account}:project/iamgraph"),
        ServiceAction("codebuild:StartBuild", "arn:aws:codebuild:us-east-1:{account}:project/iamgraph"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "build-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
