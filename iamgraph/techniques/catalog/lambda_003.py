"""lambda-003: lambda:UpdateFunctionCode.

The function must be invoked by someone or something (a trigger) after the update; that is assumed.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "lambda.amazonaws.com"
STEPS = ("lambda:UpdateFunctionCode",)
ITEM_STEPS = ("lambda:UpdateFunctionCode",)
OTHER_STEPS = ()
ITEM = "arn:aws:lambda:us-east-1:111111111111:function:{name}"


TECHNIQUE = ExistingResource(
    id="lambda-003",
    name="lambda:UpdateFunctionCode",
    category=Category.EXISTING_PASSROLE,
    actions=("lambda:UpdateFunctionCode",),
    description="Replace the code of an existing function that runs as a privileged role and wait for it to be invoked.",
    remediation="Scope lambda:UpdateFunctionCode to functions a principal owns (name prefix or tag condition), never to functions with privileged execution roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="lambda",
    resource_types=("function",),
    steps=(
        ServiceAction("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:{account}:function:iamgraph"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="lambda", resource_type="function",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="fn"),
)
