"""ssm-002: ssm:SendCommand.

The inventory used is the SSM managed-instance list (instances whose agent is registered, joined to their instance profile's role); without it, every role trusting ec2.amazonaws.com that has an instance profile is a potential target.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "ec2.amazonaws.com"
STEPS = ("ssm:SendCommand",)
ITEM_STEPS = ("ssm:SendCommand",)
OTHER_STEPS = ()
ITEM = "arn:aws:ec2:us-east-1:111111111111:instance/{name}"


TECHNIQUE = ExistingResource(
    id="ssm-002",
    name="ssm:SendCommand",
    category=Category.EXISTING_PASSROLE,
    actions=("ssm:SendCommand",),
    description="Run a shell command on an SSM-managed instance with Run Command and read the credentials of its instance profile's role.",
    remediation="Scope ssm:SendCommand to instances a principal administers (Resource ARNs or ssm:resourceTag condition) and to approved documents, never to instances with privileged roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ssm",
    resource_types=("managed-instance",),
    steps=(
        ServiceAction("ssm:SendCommand", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
    ),
    needs_instance_profile=True,
    cases=existing_resource_cases(service=SERVICE, inventory_service="ssm", resource_type="managed-instance",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="ec2", instance_profile=True),
)
