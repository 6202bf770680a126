"""codebuild-002: codebuild:StartBuild.

Buildspec overrides are assumed to be allowed (the default); the inventory does not say otherwise.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "codebuild.amazonaws.com"
STEPS = ("codebuild:StartBuild",)
ITEM_STEPS = ("codebuild:StartBuild",)
OTHER_STEPS = ()
ITEM = "arn:aws:codebuild:us-east-1:111111111111:project/{name}"


TECHNIQUE = ExistingResource(
    id="codebuild-002",
    name="codebuild:StartBuild",
    category=Category.EXISTING_PASSROLE,
    actions=("codebuild:StartBuild",),
    description="Start a build of an existing project with a buildspec override, so attacker commands run with the project's service role.",
    remediation="Scope codebuild:StartBuild to projects whose service role is low-privilege, or deny it with a condition on privileged projects.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="codebuild",
    resource_types=("project",),
    steps=(
        ServiceAction("codebuild:StartBuild", "arn:aws:codebuild:us-east-1:{account}:project/iamgraph"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="codebuild", resource_type="project",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="build"),
)
