"""lambda-005: lambda:UpdateFunctionCode + lambda:AddPermission."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "lambda.amazonaws.com"
STEPS = ("lambda:UpdateFunctionCode", "lambda:AddPermission")
ITEM_STEPS = ("lambda:UpdateFunctionCode", "lambda:AddPermission")
OTHER_STEPS = ()
ITEM = "arn:aws:lambda:us-east-1:111111111111:function:{name}"


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
    cases=existing_resource_cases(service=SERVICE, inventory_service="lambda", resource_type="function",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="fn"),
)
