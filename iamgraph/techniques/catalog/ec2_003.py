"""ec2-003: iam:PassRole + ec2:RequestSpotInstances."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "ec2.amazonaws.com"
OTHER_SERVICE = "lambda.amazonaws.com"
STEPS = ("ec2:RequestSpotInstances",)
SRC = arn("user", "dev")
TARGET = arn("role", "ec2-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE, instance_profile: bool = True) -> dict:
    """dev holds `statements`; the admin role ec2-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("ec2-admin", trust_service(trusts), admin=True, instance_profile=instance_profile),
                          role("ec2-basic", trust_service(SERVICE), allow("s3:GetObject"), instance_profile=True)])


TECHNIQUE = NewPassRole(
    id="ec2-003",
    name="iam:PassRole + ec2:RequestSpotInstances",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "ec2:RequestSpotInstances"),
    description="Request a Spot Instance whose launch specification carries an instance profile of a role trusting ec2.amazonaws.com, then use its credentials.",
    remediation="Limit iam:PassRole to the instance roles meant for EC2 (Condition StringEquals iam:PassedToService ec2.amazonaws.com) and never allow it on admin roles.",
    service=SERVICE,
    steps=(
        ServiceAction("ec2:RequestSpotInstances", "arn:aws:ec2:us-east-1:{account}:spot-instances-request/sir-iamgraph"),
    ),
    needs_instance_profile=True,
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "ec2-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
        Case("no-instance-profile", False, _account(allow(["iam:PassRole", *STEPS]), instance_profile=False), SRC, target=TARGET),
        Case("creates-instance-profile", True, _account(allow(["iam:PassRole", *STEPS, "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"]),
                                                       instance_profile=False), SRC, target=TARGET),
    ),
)
