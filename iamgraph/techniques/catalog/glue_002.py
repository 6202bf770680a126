"""glue-002: glue:UpdateDevEndpoint."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "glue.amazonaws.com"
STEPS = ("glue:UpdateDevEndpoint",)
ITEM_STEPS = ("glue:UpdateDevEndpoint",)
OTHER_STEPS = ()
ITEM = "arn:aws:glue:us-east-1:111111111111:devEndpoint/{name}"


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
    cases=existing_resource_cases(service=SERVICE, inventory_service="glue", resource_type="devendpoint",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="glue"),
)
