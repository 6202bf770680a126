"""lambda-004: lambda:UpdateFunctionCode + lambda:InvokeFunction."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "lambda.amazonaws.com"
STEPS = ("lambda:UpdateFunctionCode", "lambda:InvokeFunction")
ITEM_STEPS = ("lambda:UpdateFunctionCode", "lambda:InvokeFunction")
OTHER_STEPS = ()
ITEM = "arn:aws:lambda:us-east-1:111111111111:function:{name}"


TECHNIQUE = ExistingResource(
    id="lambda-004",
    name="lambda:UpdateFunctionCode + lambda:InvokeFunction",
    category=Category.EXISTING_PASSROLE,
    actions=("lambda:UpdateFunctionCode", "lambda:InvokeFunction"),
    description="Replace the code of an existing function that runs as a privileged role and invoke it.",
    remediation="Scope lambda:UpdateFunctionCode to functions a principal owns (name prefix or tag condition), never to functions with privileged execution roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="lambda",
    resource_types=("function",),
    steps=(
        ServiceAction("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
        ServiceAction("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="lambda", resource_type="function",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="fn"),
)
