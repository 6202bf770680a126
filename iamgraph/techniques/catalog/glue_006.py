"""glue-006: iam:PassRole + glue:UpdateJob + glue:CreateTrigger.

An existing Glue job is the vehicle: with complete Glue inventory the edge names it (`via`) and there is no edge
when no job exists; without inventory the job is assumed (noted on the edge), since the role that decides
the outcome is the attacker's choice (the corpus judgement in tests/accounts/README.md).
"""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "glue.amazonaws.com"
OTHER_SERVICE = "sagemaker.amazonaws.com"
STEPS = ("glue:UpdateJob", "glue:CreateTrigger")
SRC = arn("user", "dev")
TARGET = arn("role", "glue-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}
ITEM = "arn:aws:glue:us-east-1:111111111111:job/{name}"
ITEM_STEPS = ("glue:UpdateJob",)
OTHER_STEPS = ("glue:CreateTrigger",)
COLLECTED = ("glue",)


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role glue-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("glue-admin", trust_service(trusts), admin=True),
                          role("glue-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    return {"arn": ITEM.format(name=name), "service": "glue", "resource_type": "job",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = NewPassRole(
    id="glue-006",
    name="iam:PassRole + glue:UpdateJob + glue:CreateTrigger",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"),
    description="Point an existing Glue job at a role trusting glue.amazonaws.com and a new script, then create a trigger that starts it.",
    remediation="Scope glue:UpdateJob to the jobs a principal owns and limit iam:PassRole with Condition StringEquals iam:PassedToService glue.amazonaws.com to low-privilege roles.",
    service=SERVICE,
    steps=(
        ServiceAction("glue:UpdateJob", "arn:aws:glue:us-east-1:{account}:job/iamgraph"),
        ServiceAction("glue:CreateTrigger", "arn:aws:glue:us-east-1:{account}:trigger/iamgraph", on_item=False),
    ),
    existing_service="glue",
    existing_types=("job",),
    cases=(
        Case("existing-resource", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-basic"),), inventory_collected=COLLECTED),
        Case("no-inventory-assumed", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("none-exists", False, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET, inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow("iam:PassRole"), allow(list(ITEM_STEPS), ITEM.format(name="dev-*")), allow(list(OTHER_STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-basic"),), inventory_collected=COLLECTED),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET, inventory=(_item("prod-app", "glue-basic"),), inventory_collected=COLLECTED),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-basic"),), inventory_collected=COLLECTED),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET,
             inventory=(_item("prod-app", "glue-basic"),), inventory_collected=COLLECTED),
    ),
)
