"""cloudformation-005: cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet.

pathfinding.cloud files it under new-passrole, but no iam:PassRole is needed: the change set reuses the stack's existing service role, so it is modelled as an existing-resource technique (ExistingResource).
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "cloudformation.amazonaws.com"
STEPS = ("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet")
ITEM_STEPS = ("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet")
OTHER_STEPS = ()
ITEM = "arn:aws:cloudformation:us-east-1:111111111111:stack/{name}/00000000-0000-0000-0000-000000000000"


TECHNIQUE = ExistingResource(
    id="cloudformation-005",
    name="cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet",
    category=Category.NEW_PASSROLE,
    actions=("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"),
    description="Create and execute a change set on an existing stack so the stack's service role deploys attacker-chosen resources.",
    remediation="Scope cloudformation:CreateChangeSet/ExecuteChangeSet to stacks whose service role is low-privilege, or deny them on privileged stacks.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="cloudformation",
    resource_types=("stack",),
    steps=(
        ServiceAction("cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:{account}:stack/iamgraph/00000000-0000-0000-0000-000000000000"),
        ServiceAction("cloudformation:ExecuteChangeSet", "arn:aws:cloudformation:us-east-1:{account}:stack/iamgraph/00000000-0000-0000-0000-000000000000"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="cloudformation", resource_type="stack",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="cfn"),
)
