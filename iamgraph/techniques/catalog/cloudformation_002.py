"""cloudformation-002: cloudformation:UpdateStack."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "cloudformation.amazonaws.com"
STEPS = ("cloudformation:UpdateStack",)
ITEM_STEPS = ("cloudformation:UpdateStack",)
OTHER_STEPS = ()
ITEM = "arn:aws:cloudformation:us-east-1:111111111111:stack/{name}/00000000-0000-0000-0000-000000000000"


TECHNIQUE = ExistingResource(
    id="cloudformation-002",
    name="cloudformation:UpdateStack",
    category=Category.EXISTING_PASSROLE,
    actions=("cloudformation:UpdateStack",),
    description="Update an existing stack that has a service role, so the new template creates resources (e.g. an admin user) with that role.",
    remediation="Scope cloudformation:UpdateStack to stacks whose service role is low-privilege, or use a Deny on stacks tagged as privileged.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="cloudformation",
    resource_types=("stack",),
    steps=(
        ServiceAction("cloudformation:UpdateStack", "arn:aws:cloudformation:us-east-1:{account}:stack/iamgraph/00000000-0000-0000-0000-000000000000"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="cloudformation", resource_type="stack",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="cfn"),
)
