"""cloudformation-005: cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet.

pathfinding.cloud files it under new-passrole, but no iam:PassRole is needed: the change set reuses the stack's existing service role, so it is modelled as an existing-resource technique (ExistingResource).
"""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "cloudformation.amazonaws.com"
STEPS = ("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet")
ITEM_STEPS = ("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet")
OTHER_STEPS = ()
ITEM = "arn:aws:cloudformation:us-east-1:111111111111:stack/{name}/00000000-0000-0000-0000-000000000000"
COLLECTED = ("cloudformation",)
SRC = arn("user", "dev")
TARGET = arn("role", "cfn-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; cfn-admin (admin) and cfn-basic both trust cloudformation.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("cfn-admin", trust_service(SERVICE), admin=True),
                          role("cfn-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried cloudformation stack running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "cloudformation", "resource_type": "stack",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="cloudformation-005",
    name="cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet",
    category=Category.NEW_PASSROLE,
    actions=("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"),
    description="Create and execute a change set on an existing stack so the stack's service role deploys attacker-chosen resources.",
    remediation="Scope cloudformation:CreateChangeSet/ExecuteChangeSet to stacks whose service role is low-privilege, or deny them on privileged stacks.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="cloudformation",
    resource_types=("stack",),
    steps=(
        ServiceAction("cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:{account}:stack/iamgraph/00000000-0000-0000-0000-000000000000"),
        ServiceAction("cloudformation:ExecuteChangeSet", "arn:aws:cloudformation:us-east-1:{account}:stack/iamgraph/00000000-0000-0000-0000-000000000000"),
    ),
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "cfn-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "cfn-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "cfn-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "cfn-admin"),), inventory_collected=COLLECTED),
    ),
)
