"""ssm-001: ssm:StartSession.

The inventory used is the SSM managed-instance list (instances whose agent is registered, joined to their instance profile's role); without it, every role trusting ec2.amazonaws.com that has an instance profile is a potential target.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "ec2.amazonaws.com"
STEPS = ("ssm:StartSession",)
ITEM_STEPS = ("ssm:StartSession",)
OTHER_STEPS = ()
ITEM = "arn:aws:ec2:us-east-1:111111111111:instance/{name}"


TECHNIQUE = ExistingResource(
    id="ssm-001",
    name="ssm:StartSession",
    category=Category.EXISTING_PASSROLE,
    actions=("ssm:StartSession",),
    description="Open a Session Manager shell on an SSM-managed instance and use the credentials of its instance profile's role.",
    remediation="Scope ssm:StartSession to instances a principal administers (Resource ARNs or ssm:resourceTag condition), never to instances with privileged roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ssm",
    resource_types=("managed-instance",),
    steps=(
        ServiceAction("ssm:StartSession", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
    ),
    needs_instance_profile=True,
    cases=existing_resource_cases(service=SERVICE, inventory_service="ssm", resource_type="managed-instance",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="ec2", instance_profile=True),
)
