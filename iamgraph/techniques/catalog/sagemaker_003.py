"""sagemaker-003: iam:PassRole + sagemaker:CreateProcessingJob."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "sagemaker.amazonaws.com"
OTHER_SERVICE = "glue.amazonaws.com"
STEPS = ("sagemaker:CreateProcessingJob",)
SRC = arn("user", "dev")
TARGET = arn("role", "sm-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role sm-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("sm-admin", trust_service(trusts), admin=True),
                          role("sm-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="sagemaker-003",
    name="iam:PassRole + sagemaker:CreateProcessingJob",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "sagemaker:CreateProcessingJob"),
    description="Create a SageMaker processing job running attacker code with a role trusting sagemaker.amazonaws.com.",
    remediation="Limit iam:PassRole to named SageMaker execution roles with Condition StringEquals iam:PassedToService sagemaker.amazonaws.com, never to admin roles.",
    service=SERVICE,
    steps=(
        ServiceAction("sagemaker:CreateProcessingJob", "arn:aws:sagemaker:us-east-1:{account}:processing-job/iamgraph"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "sm-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
