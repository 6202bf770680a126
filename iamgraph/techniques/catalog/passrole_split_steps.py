"""passrole-split-steps: one new-passrole path done by two principals.

The source may pass a role to a service and perform some of the steps (e.g. lambda:CreateFunction)
but not the rest (lambda:InvokeFunction); a role it can assume performs the rest on the same
resource. The chain composes; each evidence row says which principal performs the action.
"""

from ..base import Case, Category
from ..case_builders import SOURCE_IP, account, allow, arn, deny, role, trust_aws, trust_service, user
from ..families.run_as import SplitSteps

SRC, ADMIN_ROLE, INVOKER = arn("user", "dev"), arn("role", "fn-admin"), arn("role", "invoker")


def _account(*dev: dict, invoker: tuple[dict, ...] = (allow("lambda:InvokeFunction"),), trusted: str = SRC) -> dict:
    return account(
        users=[user("dev", *dev)],
        roles=[
            role("fn-admin", trust_service("lambda.amazonaws.com"), admin=True),
            role("invoker", trust_aws(trusted), *invoker),
        ],
    )


PASS_CREATE = allow(["iam:PassRole", "lambda:CreateFunction"])
ASSUME = allow("sts:AssumeRole", INVOKER)

TECHNIQUE = SplitSteps(
    id="passrole-split-steps",
    name="iam:PassRole + part of a service path by the source, the rest by a role it can assume",
    category=Category.NEW_PASSROLE,
    actions=("iam:PassRole",),
    description="The source passes a privileged role to a new resource and performs what it may of the technique's steps; a role it can assume performs the remaining steps (e.g. invokes the function the source created).",
    remediation="Treat the union of what a principal and the roles it can assume may do as its permissions; scope iam:PassRole to named low-privilege roles.",
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",),
    notes="Helpers are the roles the source can assume directly (one hop).",
    cases=(
        Case("create-then-invoke-by-assumed-role", True, _account(PASS_CREATE, ASSUME), SRC, target=ADMIN_ROLE),
        Case(
            "helper-under-source-ip",
            True,
            _account(PASS_CREATE, ASSUME, invoker=(allow("lambda:InvokeFunction", Condition=SOURCE_IP),)),
            SRC,
            target=ADMIN_ROLE,
            conditional=True,
        ),
        Case(
            "helper-not-assumable",
            False,
            _account(PASS_CREATE, ASSUME, trusted=arn("user", "someone-else")),
            SRC,
            target=ADMIN_ROLE,
        ),
        Case(
            "helper-invoke-denied",
            False,
            _account(PASS_CREATE, ASSUME, invoker=(allow("lambda:InvokeFunction"), deny("lambda:InvokeFunction"))),
            SRC,
            target=ADMIN_ROLE,
        ),
        Case("nobody-creates", False, _account(allow("iam:PassRole"), ASSUME), SRC, target=ADMIN_ROLE),
    ),
)
