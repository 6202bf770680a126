"""sagemaker-004: sagemaker:CreatePresignedNotebookInstanceUrl.

The notebook must be InService; the inventory does not record its status, so that is assumed.
"""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "sagemaker.amazonaws.com"
STEPS = ("sagemaker:CreatePresignedNotebookInstanceUrl",)
ITEM_STEPS = ("sagemaker:CreatePresignedNotebookInstanceUrl",)
OTHER_STEPS = ()
ITEM = "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/{name}"


TECHNIQUE = ExistingResource(
    id="sagemaker-004",
    name="sagemaker:CreatePresignedNotebookInstanceUrl",
    category=Category.EXISTING_PASSROLE,
    actions=("sagemaker:CreatePresignedNotebookInstanceUrl",),
    description="Get a presigned URL for an existing notebook instance and use its Jupyter terminal with the notebook's execution role.",
    remediation="Scope sagemaker:CreatePresignedNotebookInstanceUrl to the notebooks a principal owns, and keep notebook roles low-privilege.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="sagemaker",
    resource_types=("notebook-instance",),
    steps=(
        ServiceAction("sagemaker:CreatePresignedNotebookInstanceUrl", "arn:aws:sagemaker:us-east-1:{account}:notebook-instance/iamgraph"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="sagemaker", resource_type="notebook-instance",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="sm"),
)
