"""datapipeline-001: iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline.

Only roles trusting datapipeline.amazonaws.com are considered (the path also mentions elasticmapreduce.amazonaws.com resource roles; not modelled).
"""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "datapipeline.amazonaws.com"
OTHER_SERVICE = "glue.amazonaws.com"
STEPS = ("datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline")
SRC = arn("user", "dev")
TARGET = arn("role", "pipeline-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role pipeline-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("pipeline-admin", trust_service(trusts), admin=True),
                          role("pipeline-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="datapipeline-001",
    name="iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"),
    description="Define and activate a Data Pipeline whose pipeline role trusts datapipeline.amazonaws.com, running shell activities with that role's permissions.",
    remediation="Limit iam:PassRole to the Data Pipeline default roles with Condition StringEquals iam:PassedToService datapipeline.amazonaws.com, and keep them low-privilege.",
    service=SERVICE,
    steps=(
        ServiceAction("datapipeline:CreatePipeline", "*"),
        ServiceAction("datapipeline:PutPipelineDefinition", "arn:aws:datapipeline:us-east-1:{account}:pipeline/df-iamgraph"),
        ServiceAction("datapipeline:ActivatePipeline", "arn:aws:datapipeline:us-east-1:{account}:pipeline/df-iamgraph"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "pipeline-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
