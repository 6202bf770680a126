"""apprunner-002: apprunner:UpdateService."""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "tasks.apprunner.amazonaws.com"
STEPS = ("apprunner:UpdateService",)
ITEM_STEPS = ("apprunner:UpdateService",)
OTHER_STEPS = ()
ITEM = "arn:aws:apprunner:us-east-1:111111111111:service/{name}/0123456789abcdef0123456789abcdef"
COLLECTED = ("apprunner",)
SRC = arn("user", "dev")
TARGET = arn("role", "apprunner-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; apprunner-admin (admin) and apprunner-basic both trust tasks.apprunner.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("apprunner-admin", trust_service(SERVICE), admin=True),
                          role("apprunner-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried apprunner service running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "apprunner", "resource_type": "service",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="apprunner-002",
    name="apprunner:UpdateService",
    category=Category.EXISTING_PASSROLE,
    actions=("apprunner:UpdateService",),
    description="Change the source image or start command of an existing App Runner service so attacker code runs with its instance role.",
    remediation="Scope apprunner:UpdateService to the services a principal owns (Resource ARN or tag condition), and keep instance roles low-privilege.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="apprunner",
    resource_types=("service",),
    steps=(
        ServiceAction("apprunner:UpdateService", "arn:aws:apprunner:us-east-1:{account}:service/iamgraph/0123456789abcdef0123456789abcdef"),
    ),
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "apprunner-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "apprunner-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "apprunner-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "apprunner-admin"),), inventory_collected=COLLECTED),
    ),
)
