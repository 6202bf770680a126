"""glue-002: glue:UpdateDevEndpoint."""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "glue.amazonaws.com"
STEPS = ("glue:UpdateDevEndpoint",)
ITEM_STEPS = ("glue:UpdateDevEndpoint",)
OTHER_STEPS = ()
ITEM = "arn:aws:glue:us-east-1:111111111111:devEndpoint/{name}"
COLLECTED = ("glue",)
SRC = arn("user", "dev")
TARGET = arn("role", "glue-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; glue-admin (admin) and glue-basic both trust glue.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("glue-admin", trust_service(SERVICE), admin=True),
                          role("glue-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried glue devendpoint running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "glue", "resource_type": "devendpoint",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="glue-002",
    name="glue:UpdateDevEndpoint",
    category=Category.EXISTING_PASSROLE,
    actions=("glue:UpdateDevEndpoint",),
    description="Add an attacker SSH public key to an existing Glue development endpoint and log in to use its role.",
    remediation="Scope glue:UpdateDevEndpoint to the endpoints a principal owns, and keep dev endpoint roles low-privilege.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="glue",
    resource_types=("devendpoint",),
    steps=(
        ServiceAction("glue:UpdateDevEndpoint", "arn:aws:glue:us-east-1:{account}:devEndpoint/iamgraph"),
    ),
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "glue-admin"),), inventory_collected=COLLECTED),
    ),
)
