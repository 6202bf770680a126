"""ec2instanceconnect-003: ec2-instance-connect:SendSSHPublicKey.

SSH reachability and the Instance Connect agent are not visible in IAM data and are assumed.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "ec2.amazonaws.com"
STEPS = ("ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances")
ITEM_STEPS = ("ec2-instance-connect:SendSSHPublicKey",)
OTHER_STEPS = ("ec2:DescribeInstances",)
ITEM = "arn:aws:ec2:us-east-1:111111111111:instance/{name}"


TECHNIQUE = ExistingResource(
    id="ec2instanceconnect-003",
    name="ec2-instance-connect:SendSSHPublicKey",
    category=Category.EXISTING_PASSROLE,
    actions=("ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"),
    description="Push a temporary SSH key to a running instance with EC2 Instance Connect, log in, and use the instance profile's credentials.",
    remediation="Scope ec2-instance-connect:SendSSHPublicKey to instances a principal administers (Resource ARNs or ec2:ResourceTag), never to instances with privileged roles.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="ec2",
    resource_types=("instance",),
    steps=(
        ServiceAction("ec2-instance-connect:SendSSHPublicKey", "arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0"),
        ServiceAction("ec2:DescribeInstances", "*"),
    ),
    needs_instance_profile=True,
    cases=existing_resource_cases(service=SERVICE, inventory_service="ec2", resource_type="instance",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="ec2", instance_profile=True),
)
