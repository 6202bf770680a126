"""codebuild-003: codebuild:StartBuildBatch.

Batch builds and buildspec overrides are assumed to be enabled on the project; the inventory does not say otherwise.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "codebuild.amazonaws.com"
STEPS = ("codebuild:StartBuildBatch",)
ITEM_STEPS = ("codebuild:StartBuildBatch",)
OTHER_STEPS = ()
ITEM = "arn:aws:codebuild:us-east-1:111111111111:project/{name}"


TECHNIQUE = ExistingResource(
    id="codebuild-003",
    name="codebuild:StartBuildBatch",
    category=Category.EXISTING_PASSROLE,
    actions=("codebuild:StartBuildBatch",),
    description="Start a batch build of an existing project with a buildspec override, so attacker commands run with the project's service role.",
    remediation="Scope codebuild:StartBuildBatch to projects whose service role is low-privilege, or deny it on privileged projects.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="codebuild",
    resource_types=("project",),
    steps=(
        ServiceAction("codebuild:StartBuildBatch", "arn:aws:codebuild:us-east-1:{account}:project/iamgraph"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="codebuild", resource_type="project",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="build"),
)
