"""ec2-004: ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate.

The new default version keeps the template's instance profile (no iam:PassRole); an instance must later be launched from it.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "ec2.amazonaws.com"
STEPS = ("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate")
ITEM_STEPS = ("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate")
OTHER_STEPS = ()
ITEM = "arn:aws:ec2:us-east-1:111111111111:launch-template/{name}"


TECHNIQUE = ExistingResource(
    id="ec2-004",
    name="ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate",
    category=Category.EXISTING_PASSROLE,
    actions=("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"),
    description="Add a launch template version with attacker user data and make it the default, so the next instance launched from it runs the script with the template's role.",
    remediation="Scope ec2:CreateLaunchTemplateVersion/ModifyLaunchTemplate to templates a principal owns, never to templates with privileged instance profiles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ec2",
    resource_types=("launch-template",),
    steps=(
        ServiceAction("ec2:CreateLaunchTemplateVersion", "arn:aws:ec2:us-east-1:{account}:launch-template/lt-0123456789abcdef0"),
        ServiceAction("ec2:ModifyLaunchTemplate", "arn:aws:ec2:us-east-1:{account}:launch-template/lt-0123456789abcdef0"),
    ),
    needs_instance_profile=True,
    cases=existing_resource_cases(service=SERVICE, inventory_service="ec2", resource_type="launch-template",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="ec2", instance_profile=True),
)
