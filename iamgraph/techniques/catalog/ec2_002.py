"""ec2-002: ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances."""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "ec2.amazonaws.com"
STEPS = ("ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances")
ITEM_STEPS = ("ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances")
OTHER_STEPS = ()
ITEM = "arn:aws:ec2:us-east-1:111111111111:instance/{name}"
COLLECTED = ("ec2",)
SRC = arn("user", "dev")
TARGET = arn("role", "ec2-admin")


def _account(*statements: dict, instance_profile: bool = True) -> dict:
    """dev holds `statements`; ec2-admin (admin) and ec2-basic both trust ec2.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("ec2-admin", trust_service(SERVICE), admin=True, instance_profile=instance_profile),
                          role("ec2-basic", trust_service(SERVICE), allow("s3:GetObject"), instance_profile=True)])


def _item(name: str, role_name: str) -> dict:
    """An inventoried ec2 instance running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "ec2", "resource_type": "instance",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="ec2-002",
    name="ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances",
    category=Category.EXISTING_PASSROLE,
    actions=("ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"),
    description="Stop an instance, replace its user data with a script, and start it again so the script runs with the instance profile's role.",
    remediation="Scope ec2:ModifyInstanceAttribute to instances a principal owns (e.g. a Condition on ec2:ResourceTag) and never on instances with privileged instance profiles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ec2",
    resource_types=("instance",),
    steps=(
        ServiceAction("ec2:ModifyInstanceAttribute", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
        ServiceAction("ec2:StopInstances", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
        ServiceAction("ec2:StartInstances", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
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
