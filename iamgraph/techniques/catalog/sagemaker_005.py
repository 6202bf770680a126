"""sagemaker-005: sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance."""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "sagemaker.amazonaws.com"
STEPS = ("sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance")
ITEM_STEPS = ("sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance")
OTHER_STEPS = ("sagemaker:CreateNotebookInstanceLifecycleConfig",)
ITEM = "arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/{name}"
COLLECTED = ("sagemaker",)
SRC = arn("user", "dev")
TARGET = arn("role", "sm-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; sm-admin (admin) and sm-basic both trust sagemaker.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("sm-admin", trust_service(SERVICE), admin=True),
                          role("sm-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried sagemaker notebook-instance running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "sagemaker", "resource_type": "notebook-instance",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


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
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "sm-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "sm-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*")), allow(list(OTHER_STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "sm-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "sm-admin"),), inventory_collected=COLLECTED),
    ),
)
