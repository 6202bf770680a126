"""sagemaker-005: sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance."""

from ..base import Category
from ..families import ExistingResource, ServiceAction
from ..testkit import existing_resource_cases

SERVICE = "sagemaker.amazonaws.com"
STEPS = ("sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance")
ITEM_STEPS = ("sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance")
OTHER_STEPS = ("sagemaker:CreateNotebookInstanceLifecycleConfig",)
ITEM = "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/{name}"


TECHNIQUE = ExistingResource(
    id="sagemaker-005",
    name="sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance",
    category=Category.EXISTING_PASSROLE,
    actions=("sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"),
    description="Attach a new lifecycle configuration with an attacker script to an existing notebook and restart it, so the script runs with the notebook's role.",
    remediation="Scope sagemaker:UpdateNotebookInstance (and Stop/Start) to notebooks a principal owns, and keep notebook roles low-privilege.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="sagemaker",
    resource_types=("notebook-instance",),
    steps=(
        ServiceAction("sagemaker:CreateNotebookInstanceLifecycleConfig", "arn:aws:sagemaker:us-east-1:{account}:notebook-instance-lifecycle-config/iamgraph", on_item=False),
        ServiceAction("sagemaker:StopNotebookInstance", "arn:aws:sagemaker:us-east-1:{account}:notebook-instance/iamgraph"),
        ServiceAction("sagemaker:UpdateNotebookInstance", "arn:aws:sagemaker:us-east-1:{account}:notebook-instance/iamgraph"),
        ServiceAction("sagemaker:StartNotebookInstance", "arn:aws:sagemaker:us-east-1:{account}:notebook-instance/iamgraph"),
    ),
    cases=existing_resource_cases(service=SERVICE, inventory_service="sagemaker", resource_type="notebook-instance",
                                 item=ITEM, steps=STEPS, item_steps=ITEM_STEPS, other_steps=OTHER_STEPS,
                                 prefix="sm"),
)
