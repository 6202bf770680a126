"""lambda-001: iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction."""

from ..base import Case, Category
from ..families import NewPassRole, ServiceAction
from ..testkit import account, allow, arn, deny, role, trust_service, user

FN = "arn:aws:lambda:us-east-1:{account}:function:iamgraph"
SRC = arn("user", "dev")
ADMIN_ROLE = role("fn-admin", trust_service("lambda.amazonaws.com"), admin=True)

TECHNIQUE = NewPassRole(
    id="lambda-001",
    name="iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
    description="Create a Lambda function that runs as a role trusting lambda.amazonaws.com, then invoke it.",
    remediation="Limit iam:PassRole to named execution roles with Condition StringEquals iam:PassedToService lambda.amazonaws.com, and never to admin roles.",
    service="lambda.amazonaws.com",
    steps=(ServiceAction("lambda:CreateFunction", FN), ServiceAction("lambda:InvokeFunction", FN)),
    cases=(
        Case("passrole-star", True, account(users=[user("dev", allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))],
                                            roles=[ADMIN_ROLE]), SRC, target=arn("role", "fn-admin")),
        Case("passrole-other-service", False, account(users=[user("dev", allow("iam:PassRole", "*", Condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
                                                                   allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))],
                                                      roles=[ADMIN_ROLE]), SRC, target=arn("role", "fn-admin")),
        Case("denied-invoke", False, account(users=[user("dev", allow(["iam:PassRole", "lambda:*"]), deny("lambda:InvokeFunction"))],
                                             roles=[ADMIN_ROLE]), SRC, target=arn("role", "fn-admin")),
        Case("function-prefix", True, account(users=[user("dev", allow("iam:PassRole"),
                                                          allow(["lambda:CreateFunction", "lambda:InvokeFunction"], "arn:aws:lambda:*:111111111111:function:dev-*"))],
                                              roles=[ADMIN_ROLE]), SRC, target=arn("role", "fn-admin")),
    ),
)
