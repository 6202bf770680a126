"""cloudformation-004: iam:PassRole + cloudformation:UpdateStackSet.

An existing StackSet is the vehicle: with complete CloudFormation inventory the edge names it (`via`) and there
is no edge when none exists; without inventory one is assumed (noted on the edge), as for glue-005/006.
"""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "cloudformation.amazonaws.com"
OTHER_SERVICE = "codebuild.amazonaws.com"
STEPS = ("cloudformation:UpdateStackSet",)
SRC = arn("user", "dev")
TARGET = arn("role", "stackset-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}
ITEM = "arn:aws:cloudformation:us-east-1:111111111111:stackset/{name}:00000000-0000-0000-0000-000000000000"
ITEM_STEPS = ("cloudformation:UpdateStackSet",)
OTHER_STEPS = ()
COLLECTED = ("cloudformation",)


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role stackset-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("stackset-admin", trust_service(trusts), admin=True),
                          role("stackset-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    return {"arn": ITEM.format(name=name), "service": "cloudformation", "resource_type": "stackset",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = NewPassRole(
    id="cloudformation-004",
    name="iam:PassRole + cloudformation:UpdateStackSet",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "cloudformation:UpdateStackSet"),
    description="Update an existing StackSet's template while passing an administration role trusting cloudformation.amazonaws.com, so the new template is deployed with that role.",
    remediation="Scope cloudformation:UpdateStackSet to the StackSets a principal owns and limit iam:PassRole of StackSet administration roles (iam:PassedToService cloudformation.amazonaws.com).",
    service=SERVICE,
    steps=(
        ServiceAction("cloudformation:UpdateStackSet", "arn:aws:cloudformation:us-east-1:{account}:stackset/iamgraph:00000000-0000-0000-0000-000000000000"),
    ),
    existing_service="cloudformation",
    existing_types=("stackset",),
    cases=(
        Case("existing-resource", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET,
             inventory=(_item("prod-app", "stackset-basic"),), inventory_collected=COLLECTED),
        Case("no-inventory-assumed", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("none-exists", False, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET, inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow("iam:PassRole"), allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "stackset-basic"),), inventory_collected=COLLECTED),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET, inventory=(_item("prod-app", "stackset-basic"),), inventory_collected=COLLECTED),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET,
             inventory=(_item("prod-app", "stackset-basic"),), inventory_collected=COLLECTED),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET,
             inventory=(_item("prod-app", "stackset-basic"),), inventory_collected=COLLECTED),
    ),
)
