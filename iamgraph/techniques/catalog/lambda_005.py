"""lambda-005: lambda:UpdateFunctionCode + lambda:AddPermission."""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "lambda.amazonaws.com"
STEPS = ("lambda:UpdateFunctionCode", "lambda:AddPermission")
ITEM_STEPS = ("lambda:UpdateFunctionCode", "lambda:AddPermission")
OTHER_STEPS = ()
ITEM = "arn:aws:lambda:us-east-1:111111111111:function:{name}"
COLLECTED = ("lambda",)
SRC = arn("user", "dev")
TARGET = arn("role", "fn-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; fn-admin (admin) and fn-basic both trust lambda.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("fn-admin", trust_service(SERVICE), admin=True),
                          role("fn-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried lambda function running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "lambda", "resource_type": "function",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="lambda-005",
    name="lambda:UpdateFunctionCode + lambda:AddPermission",
    category=Category.EXISTING_PASSROLE,
    actions=("lambda:UpdateFunctionCode", "lambda:AddPermission"),
    description="Replace the code of an existing privileged function and add a resource policy that lets the attacker invoke it.",
    remediation="Scope lambda:UpdateFunctionCode and lambda:AddPermission to functions a principal owns, never to functions with privileged execution roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="lambda",
    resource_types=("function",),
    steps=(
        ServiceAction("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
        ServiceAction("lambda:AddPermission", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
    ),
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "fn-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "fn-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "fn-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "fn-admin"),), inventory_collected=COLLECTED),
    ),
)
