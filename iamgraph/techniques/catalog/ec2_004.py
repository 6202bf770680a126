"""ec2-004: ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate.

The new default version keeps the template's instance profile (no iam:PassRole); an instance must later be launched from it.
"""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "ec2.amazonaws.com"
STEPS = ("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate")
ITEM_STEPS = ("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate")
OTHER_STEPS = ()
ITEM = "arn:aws:ec2:us-east-1:111111111111:launch-template/{name}"
COLLECTED = ("ec2",)
SRC = arn("user", "dev")
TARGET = arn("role", "ec2-admin")


def _account(*statements: dict, instance_profile: bool = True) -> dict:
    """dev holds `statements`; ec2-admin (admin) and ec2-basic both trust ec2.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("ec2-admin", trust_service(SERVICE), admin=True, instance_profile=instance_profile),
                          role("ec2-basic", trust_service(SERVICE), allow("s3:GetObject"), instance_profile=True)])


def _item(name: str, role_name: str) -> dict:
    """An inventoried ec2 launch-template running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "ec2", "resource_type": "launch-template",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="ec2-004",
    name="ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate",
    category=Category.EXISTING_PASSROLE,
    actions=("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"),
    description="Add a launch template version with attacker user data and make it the default, so the next instance launched from it runs the script with the template's role.",
    remediation="Scope ec2:CreateLaunchTemplateVersion/ModifyLaunchTemplate to templates a principal owns, never to templates with privileged instance profiles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ec2",
    resource_types=("launch-template",),
    steps=(
        ServiceAction("ec2:CreateLaunchTemplateVersion", "arn:aws:ec2:us-east-1:{account}:launch-template/lt-0123456789abcdef0"),
        ServiceAction("ec2:ModifyLaunchTemplate", "arn:aws:ec2:us-east-1:{account}:launch-template/lt-0123456789abcdef0"),
    ),
    needs_instance_profile=True,
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "ec2-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "ec2-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "ec2-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "ec2-admin"),), inventory_collected=COLLECTED),
        Case("no-instance-profile-no-inventory", False, _account(allow(list(STEPS)), instance_profile=False), SRC, target=TARGET),
    ),
)
