"""ec2-002: ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "ec2.amazonaws.com"
STEPS = ("ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances")
ITEM_STEPS = ("ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances")
OTHER_STEPS = ()
ITEM = "arn:aws:ec2:us-east-1:111111111111:instance/{name}"


TECHNIQUE = ExistingResource(
    id="ec2-002",
    name="ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances",
    category=Category.EXISTING_PASSROLE,
    actions=("ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"),
    description="Stop an instance, replace its user data with a script, and start it again so the script runs with the instance profile's role.",
    remediation="Scope ec2:ModifyInstanceAttribute to instances a principal owns (e.g. a Condition on ec2:ResourceTag) and never on instances with privileged instance profiles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ec2",
    resource_types=("instance",),
    steps=(
        ServiceAction("ec2:ModifyInstanceAttribute", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
        ServiceAction("ec2:StopInstances", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
        ServiceAction("ec2:StartInstances", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
    ),
    needs_instance_profile=True,
    cases=existing_resource_cases(service=SERVICE, inventory_service="ec2", resource_type="instance",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="ec2", instance_profile=True),
)
