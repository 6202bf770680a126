"""iam-modify-role-run-as-service: make a service role admin, then run code as it through its service.

A principal that cannot assume a role, but may change its permissions (iam:AttachRolePolicy /
iam:PutRolePolicy / iam:CreatePolicyVersion on its policy) and can make a service run as it (pass
it to a new Lambda function, Glue job, ...: iam:PassRole + the service's create/run actions; or
update an existing resource that runs as it: lambda:UpdateFunctionCode, ...), becomes admin.
Without resource inventory the existing-resource route is a potential edge naming the missing data.
"""

from ..base import Case, Category
from ..case_builders import SOURCE_IP, account, allow, arn, deny, role, trust_service, user
from ..families.run_as import ModifyThenRunAs

SRC, WORKER = arn("user", "dev"), arn("role", "worker")
SSO_WORKER = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef"
RUN = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]


def _account(*statements: dict, sso: bool = False) -> dict:
    """`worker`: a harmless role trusting Lambda (under the Identity Center path when `sso`)."""
    r = role("worker", trust_service("lambda.amazonaws.com"), allow("s3:GetObject"))
    if sso:
        r.update(
            Path="/aws-reserved/sso.amazonaws.com/", RoleName="AWSReservedSSO_Dev_0123456789abcdef", Arn=SSO_WORKER
        )
    return account(users=[user("dev", *statements)], roles=[r])


TECHNIQUE = ModifyThenRunAs(
    id="iam-modify-role-run-as-service",
    name="iam:AttachRolePolicy/PutRolePolicy/CreatePolicyVersion on a service role + run code as it through the service",
    category=Category.PRINCIPAL_ACCESS,
    actions=(),  # one of iam:AttachRolePolicy / PutRolePolicy / CreatePolicyVersion (see families/run_as.py)
    description="Grant admin to a role the principal cannot assume, then make the role's service run the principal's code as it (new resource with iam:PassRole, or an existing resource it may update).",
    remediation="Do not let principals change the policies of service roles they can pass or whose resources they can update; scope iam:AttachRolePolicy/PutRolePolicy to roles they own and iam:PassRole to named roles.",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html",
    ),
    notes="Skips roles the source can assume (the modify-and-access techniques report those).",
    cases=(
        Case("attach-then-lambda", True, _account(allow("iam:AttachRolePolicy", WORKER), allow(RUN)), SRC),
        Case("put-then-lambda", True, _account(allow("iam:PutRolePolicy", WORKER), allow(RUN)), SRC),
        Case(
            "attach-under-source-ip",
            True,
            _account(allow("iam:AttachRolePolicy", WORKER, Condition=SOURCE_IP), allow(RUN)),
            SRC,
            conditional=True,
        ),
        Case(
            "existing-function-no-inventory",
            True,
            _account(allow("iam:PutRolePolicy", WORKER), allow(["lambda:UpdateFunctionCode", "lambda:InvokeFunction"])),
            SRC,
            conditional=True,
        ),
        Case(
            "attach-only-other-policy",
            False,
            _account(
                allow(
                    "iam:AttachRolePolicy",
                    WORKER,
                    Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
                ),
                allow(RUN),
            ),
            SRC,
        ),
        Case(
            "cannot-pass-the-role",
            False,
            _account(allow("iam:PutRolePolicy", WORKER), allow(RUN), deny("iam:PassRole", WORKER)),
            SRC,
        ),
        Case("no-way-to-run-it", False, _account(allow("iam:PutRolePolicy", WORKER), allow("iam:PassRole")), SRC),
        Case(
            "identity-center-role-is-protected",
            False,
            _account(allow(["iam:PutRolePolicy", "iam:AttachRolePolicy"], SSO_WORKER), allow(RUN), sso=True),
            SRC,
        ),
    ),
)
