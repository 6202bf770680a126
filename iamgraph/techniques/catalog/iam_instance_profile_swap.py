"""iam-instance-profile-swap: swap the role of an existing instance profile, then launch or associate it.

A role trusting ec2.amazonaws.com that sits in no instance profile cannot be passed to an instance
directly; a principal that may not create profiles, but may iam:RemoveRoleFromInstanceProfile and
iam:AddRoleToInstanceProfile on an existing one (plus iam:PassRole of the role), puts the role into
that profile and then runs an instance with it (ec2:RunInstances) or attaches it to an instance it
controls (ec2:AssociateIamInstanceProfile / ec2:ReplaceIamInstanceProfileAssociation).
"""

from ..base import Case, Category
from ..case_builders import SOURCE_IP, account, allow, arn, deny, role, trust_service, user
from ..families.profile_swap import InstanceProfileSwap

SRC, TARGET, PROFILE = arn("user", "dev"), arn("role", "ec2-admin"), arn("instance-profile", "web")
SWAP = ["iam:RemoveRoleFromInstanceProfile", "iam:AddRoleToInstanceProfile"]


def _account(*statements: dict, profile: bool = True) -> dict:
    """ec2-admin: admin, trusts EC2, in no instance profile; web: in instance profile `web` (if `profile`)."""
    return account(
        users=[user("dev", *statements)],
        roles=[
            role("ec2-admin", trust_service("ec2.amazonaws.com"), admin=True),
            role("web", trust_service("ec2.amazonaws.com"), allow("s3:GetObject"), instance_profile=profile),
        ],
    )


TECHNIQUE = InstanceProfileSwap(
    id="iam-instance-profile-swap",
    name="iam:RemoveRoleFromInstanceProfile + iam:AddRoleToInstanceProfile + iam:PassRole + ec2:RunInstances/AssociateIamInstanceProfile",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "iam:RemoveRoleFromInstanceProfile", "iam:AddRoleToInstanceProfile"),
    description="Replace the role of an existing instance profile with a privileged role that has no profile of its own, then launch an instance with the profile or associate it with an instance the principal controls.",
    remediation="Scope iam:AddRoleToInstanceProfile/RemoveRoleFromInstanceProfile to profiles a principal owns, and limit iam:PassRole (iam:PassedToService ec2.amazonaws.com) to low-privilege roles.",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html",
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceIamInstanceProfileAssociation.html",
    ),
    service="ec2.amazonaws.com",
    cases=(
        Case("swap-then-run", True, _account(allow(["iam:PassRole", *SWAP, "ec2:RunInstances"])), SRC, target=TARGET),
        Case(
            "swap-then-associate",
            True,
            _account(allow(["iam:PassRole", "ec2:AssociateIamInstanceProfile"]), allow(SWAP, PROFILE)),
            SRC,
            target=TARGET,
        ),
        Case(
            "source-ip",
            True,
            _account(allow(["iam:PassRole", "ec2:RunInstances"]), allow(SWAP, Condition=SOURCE_IP)),
            SRC,
            target=TARGET,
            conditional=True,
        ),
        Case(
            "no-profile-to-swap",
            False,
            _account(allow(["iam:PassRole", *SWAP, "ec2:RunInstances"]), profile=False),
            SRC,
            target=TARGET,
        ),
        Case(
            "remove-denied",
            False,
            _account(
                allow(["iam:PassRole", *SWAP, "ec2:RunInstances"]), deny("iam:RemoveRoleFromInstanceProfile", PROFILE)
            ),
            SRC,
            target=TARGET,
        ),
        Case("no-launch", False, _account(allow(["iam:PassRole", *SWAP, "ec2:DescribeInstances"])), SRC, target=TARGET),
        Case(
            "passrole-other-role-only",
            False,
            _account(allow("iam:PassRole", arn("role", "web")), allow([*SWAP, "ec2:RunInstances"])),
            SRC,
            target=TARGET,
        ),
    ),
)
