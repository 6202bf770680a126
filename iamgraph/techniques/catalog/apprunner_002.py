"""apprunner-002: apprunner:UpdateService."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "tasks.apprunner.amazonaws.com"
STEPS = ("apprunner:UpdateService",)
ITEM_STEPS = ("apprunner:UpdateService",)
OTHER_STEPS = ()
ITEM = "arn:aws:apprunner:us-east-1:111111111111:service/{name}/0123456789abcdef0123456789abcdef"


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
    cases=existing_resource_cases(service=SERVICE, inventory_service="apprunner", resource_type="service",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="apprunner"),
)
