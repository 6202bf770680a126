"""bedrock-002: bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "bedrock-agentcore.amazonaws.com"
STEPS = ("bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter")
ITEM_STEPS = ("bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter")
OTHER_STEPS = ()
ITEM = "arn:aws:bedrock-agentcore:us-east-1:111111111111:code-interpreter/{name}-0123456789"


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
    cases=existing_resource_cases(service=SERVICE, inventory_service="bedrock-agentcore", resource_type="code-interpreter",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="agentcore"),
)
