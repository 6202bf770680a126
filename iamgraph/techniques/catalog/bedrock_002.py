"""bedrock-002: bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter."""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "bedrock-agentcore.amazonaws.com"
STEPS = ("bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter")
ITEM_STEPS = ("bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter")
OTHER_STEPS = ()
ITEM = "arn:aws:bedrock-agentcore:us-east-1:111111111111:code-interpreter/{name}-0123456789"
COLLECTED = ("bedrock-agentcore",)
SRC = arn("user", "dev")
TARGET = arn("role", "agentcore-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; agentcore-admin (admin) and agentcore-basic both trust bedrock-agentcore.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("agentcore-admin", trust_service(SERVICE), admin=True),
                          role("agentcore-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried bedrock-agentcore code-interpreter running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "bedrock-agentcore", "resource_type": "code-interpreter",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="bedrock-002",
    name="bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter",
    category=Category.EXISTING_PASSROLE,
    actions=("bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"),
    description="Open a session on an existing AgentCore code interpreter and run code with its execution role.",
    remediation="Scope bedrock-agentcore:StartCodeInterpreterSession/InvokeCodeInterpreter to interpreters whose execution role is low-privilege.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="bedrock-agentcore",
    resource_types=("code-interpreter",),
    steps=(
        ServiceAction("bedrock-agentcore:StartCodeInterpreterSession", "arn:aws:bedrock-agentcore:us-east-1:{account}:code-interpreter/iamgraph-0123456789"),
        ServiceAction("bedrock-agentcore:InvokeCodeInterpreter", "arn:aws:bedrock-agentcore:us-east-1:{account}:code-interpreter/iamgraph-0123456789"),
    ),
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "agentcore-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "agentcore-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "agentcore-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "agentcore-admin"),), inventory_collected=COLLECTED),
    ),
)
