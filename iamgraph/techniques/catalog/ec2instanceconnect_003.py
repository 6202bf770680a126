"""ec2instanceconnect-003: ec2-instance-connect:SendSSHPublicKey.

SSH reachability and the Instance Connect agent are not visible in IAM data and are assumed.
"""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "ec2.amazonaws.com"
STEPS = ("ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances")
ITEM_STEPS = ("ec2-instance-connect:SendSSHPublicKey",)
OTHER_STEPS = ("ec2:DescribeInstances",)
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
    id="ec2instanceconnect-003",
    name="ec2-instance-connect:SendSSHPublicKey",
    category=Category.EXISTING_PASSROLE,
    actions=("ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"),
    description="Push a temporary SSH key to a running instance with EC2 Instance Connect, log in, and use the instance profile's credentials.",
    remediation="Scope ec2-instance-connect:SendSSHPublicKey to instances a principal administers (Resource ARNs or ec2:ResourceTag), never to instances with privileged roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ec2",
    resource_types=("instance",),
    steps=(
        ServiceAction("ec2-instance-connect:SendSSHPublicKey", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
        ServiceAction("ec2:DescribeInstances", "*"),
    ),
    needs_instance_profile=True,
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "ec2-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "ec2-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*")), allow(list(OTHER_STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "ec2-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "ec2-admin"),), inventory_collected=COLLECTED),
        Case("no-instance-profile-no-inventory", False, _account(allow(list(STEPS)), instance_profile=False), SRC, target=TARGET),
    ),
)
