"""codebuild-002: codebuild:StartBuild.

Buildspec overrides are assumed to be allowed (the default); the inventory does not say otherwise.
"""

from ..base import Case, Category
from ..families import ExistingResource, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "codebuild.amazonaws.com"
STEPS = ("codebuild:StartBuild",)
ITEM_STEPS = ("codebuild:StartBuild",)
OTHER_STEPS = ()
ITEM = "arn:aws:codebuild:us-east-1:111111111111:project/{name}"
COLLECTED = ("codebuild",)
SRC = arn("user", "dev")
TARGET = arn("role", "build-admin")


def _account(*statements: dict) -> dict:
    """dev holds `statements`; build-admin (admin) and build-basic both trust codebuild.amazonaws.com."""
    return account(users=[user("dev", *statements)],
                   roles=[role("build-admin", trust_service(SERVICE), admin=True),
                          role("build-basic", trust_service(SERVICE), allow("s3:GetObject"))])


def _item(name: str, role_name: str) -> dict:
    """An inventoried codebuild project running as `role_name`."""
    return {"arn": ITEM.format(name=name), "service": "codebuild", "resource_type": "project",
            "role_arn": arn("role", role_name), "region": "us-east-1", "name": name, "extra": {}}


TECHNIQUE = ExistingResource(
    id="codebuild-002",
    name="codebuild:StartBuild",
    category=Category.EXISTING_PASSROLE,
    actions=("codebuild:StartBuild",),
    description="Start a build of an existing project with a buildspec override, so attacker commands run with the project's service role.",
    remediation="Scope codebuild:StartBuild to projects whose service role is low-privilege, or deny it with a condition on privileged projects.",
    needs_inventory=True,
    service=SERVICE,
    inventory_service="codebuild",
    resource_types=("project",),
    steps=(
        ServiceAction("codebuild:StartBuild", "arn:aws:codebuild:us-east-1:{account}:project/iamgraph"),
    ),
    cases=(
        Case("inventory-admin-resource", True, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "build-admin"),), inventory_collected=COLLECTED),
        Case("no-inventory-potential", True, _account(allow(list(STEPS))), SRC, target=TARGET, conditional=True),
        Case("inventory-only-low-role", False, _account(allow(list(STEPS))), SRC, target=TARGET,
             inventory=(_item("prod-app", "build-basic"),), inventory_collected=COLLECTED),
        Case("scoped-to-other-resources", False, _account(allow(list(ITEM_STEPS), ITEM.format(name="dev-*"))), SRC, target=TARGET,
             inventory=(_item("prod-app", "build-admin"),), inventory_collected=COLLECTED),
        Case("first-step-denied", False, _account(allow(list(STEPS)), deny(STEPS[0])), SRC, target=TARGET),
        Case("source-ip", True, _account(allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})), SRC, target=TARGET,
             conditional=True, inventory=(_item("prod-app", "build-admin"),), inventory_collected=COLLECTED),
    ),
)
