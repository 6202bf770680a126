"""bedrock-001: iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

SERVICE = "bedrock-agentcore.amazonaws.com"
OTHER_SERVICE = "sagemaker.amazonaws.com"
STEPS = ("bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter")
SRC = arn("user", "dev")
TARGET = arn("role", "agentcore-admin")
PASS_TO_SERVICE = {"StringEquals": {"iam:PassedToService": SERVICE}}


def _account(*statements: dict, trusts: str = SERVICE) -> dict:
    """dev holds `statements`; the admin role agentcore-admin trusts `trusts`."""
    return account(users=[user("dev", *statements)],
                   roles=[role("agentcore-admin", trust_service(trusts), admin=True),
                          role("agentcore-basic", trust_service(SERVICE), allow("s3:GetObject"))])


TECHNIQUE = NewPassRole(
    id="bedrock-001",
    name="iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"),
    description="Create an AgentCore code interpreter with a role trusting bedrock-agentcore.amazonaws.com, open a session and run code as that role.",
    remediation="Limit iam:PassRole for bedrock-agentcore.amazonaws.com to low-privilege execution roles, or deny bedrock-agentcore:CreateCodeInterpreter to principals who must not choose the role.",
    service=SERVICE,
    steps=(
        ServiceAction("bedrock-agentcore:CreateCodeInterpreter", "arn:aws:bedrock-agentcore:us-east-1:{account}:code-interpreter/iamgraph-0123456789"),
        ServiceAction("bedrock-agentcore:StartCodeInterpreterSession", "arn:aws:bedrock-agentcore:us-east-1:{account}:code-interpreter/iamgraph-0123456789"),
        ServiceAction("bedrock-agentcore:InvokeCodeInterpreter", "arn:aws:bedrock-agentcore:us-east-1:{account}:code-interpreter/iamgraph-0123456789"),
    ),
    cases=(
        Case("passrole-star", True, _account(allow(["iam:PassRole", *STEPS])), SRC, target=TARGET),
        Case("passrole-scoped-to-role", True, _account(allow("iam:PassRole", TARGET, Condition=PASS_TO_SERVICE), allow(list(STEPS))),
             SRC, target=TARGET),
        Case("source-ip", True, _account(allow("iam:PassRole"), allow(list(STEPS), Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
             SRC, target=TARGET, conditional=True),
        Case("passed-to-other-service", False, _account(allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": OTHER_SERVICE}}),
                                                      allow(list(STEPS))), SRC, target=TARGET),
        Case("passrole-other-role-only", False, _account(allow("iam:PassRole", arn("role", "agentcore-basic")), allow(list(STEPS))), SRC, target=TARGET),
        Case("role-trusts-other-service", False, _account(allow(["iam:PassRole", *STEPS]), trusts=OTHER_SERVICE), SRC, target=TARGET),
        Case("last-step-denied", False, _account(allow(["iam:PassRole", *STEPS]), deny(STEPS[-1])), SRC, target=TARGET),
    ),
)
