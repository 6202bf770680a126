"""cognitoidentity-001: iam:PassRole + cognito-identity:SetIdentityPoolRoles.

Roles trusting Cognito are web-identity federated (Principal Federated cognito-identity.amazonaws.com,
sts:AssumeRoleWithWebIdentity, usually with `aud` = the pool id and `amr` = unauthenticated), so the
service-principal vehicles do not apply: the family reads the trust itself. Definite only with
identity-pool inventory showing a pool that allows unauthenticated identities.
"""

from ..base import Case, Category
from ..case_builders import account, allow, arn, deny, doc, role, trust_service, user
from ..families.cognito import AMR, AUD, IdentityPoolRoles

POOL = "us-east-1:11111111-2222-3333-4444-555555555555"
POOL_ARN = f"arn:aws:cognito-identity:us-east-1:111111111111:identitypool/{POOL}"
SRC, TARGET = arn("user", "dev"), arn("role", "pool-admin")
STEPS = ["iam:PassRole", "cognito-identity:SetIdentityPoolRoles"]


def _trust(amr: str = "unauthenticated", pool: str | None = POOL) -> dict:
    cond: dict = {"ForAnyValue:StringLike": {AMR: amr}}
    if pool:
        cond["StringEquals"] = {AUD: pool}
    return doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": cond,
        }
    )


def _account(*statements: dict, trust: dict | None = None) -> dict:
    return account(users=[user("dev", *statements)], roles=[role("pool-admin", trust or _trust(), admin=True)])


def _pool(unauthenticated: bool = True) -> tuple[dict, ...]:
    return (
        {
            "arn": POOL_ARN,
            "service": "cognito-identity",
            "resource_type": "identity-pool",
            "role_arn": None,
            "region": "us-east-1",
            "name": "app-pool",
            "extra": {"pool_id": POOL, "allow_unauthenticated": "true" if unauthenticated else "false"},
        },
    )


COLLECTED = ("cognito-identity",)

TECHNIQUE = IdentityPoolRoles(
    id="cognitoidentity-001",
    name="iam:PassRole + cognito-identity:SetIdentityPoolRoles",
    category=Category.NEW_PASSROLE,
    actions=tuple(STEPS),
    description="Bind a role trusting Cognito web identities to an identity pool's unauthenticated slot, then get the role's credentials anonymously from the pool (GetId + GetCredentialsForIdentity).",
    remediation="Limit iam:PassRole of Cognito roles (iam:PassedToService cognito-identity.amazonaws.com) to low-privilege roles, restrict cognito-identity:SetIdentityPoolRoles, and disable unauthenticated identities where not needed.",
    references=(
        "https://pathfinding.cloud/paths/cognitoidentity-001",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html",
        "https://hackingthe.cloud/aws/exploitation/cognito_identity_pool_excessive_privileges/",
    ),
    cases=(
        Case(
            "pool-allows-unauthenticated",
            True,
            _account(allow(STEPS)),
            SRC,
            target=TARGET,
            inventory=_pool(),
            inventory_collected=COLLECTED,
        ),
        Case("no-inventory-potential", True, _account(allow(STEPS)), SRC, target=TARGET, conditional=True),
        Case(
            "trust-names-no-pool",
            True,
            _account(allow(STEPS), trust=_trust(pool=None)),
            SRC,
            target=TARGET,
            conditional=True,
        ),
        Case(
            "pool-refuses-unauthenticated",
            False,
            _account(allow(STEPS)),
            SRC,
            target=TARGET,
            inventory=_pool(unauthenticated=False),
            inventory_collected=COLLECTED,
        ),
        Case(
            "trust-only-authenticated",
            False,
            _account(allow(STEPS), trust=_trust(amr="authenticated")),
            SRC,
            target=TARGET,
            inventory=_pool(),
            inventory_collected=COLLECTED,
        ),
        Case(
            "set-roles-on-another-pool",
            False,
            _account(
                allow("iam:PassRole"),
                allow(
                    "cognito-identity:SetIdentityPoolRoles",
                    "arn:aws:cognito-identity:us-east-1:111111111111:identitypool/eu-*",
                ),
            ),
            SRC,
            target=TARGET,
        ),
        Case(
            "passed-to-other-service",
            False,
            _account(
                allow("iam:PassRole", Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}),
                allow(STEPS[1]),
            ),
            SRC,
            target=TARGET,
        ),
        Case(
            "role-trusts-a-service-only",
            False,
            _account(allow(STEPS), trust=trust_service("lambda.amazonaws.com")),
            SRC,
            target=TARGET,
        ),
        Case("set-roles-denied", False, _account(allow(STEPS), deny(STEPS[1])), SRC, target=TARGET),
    ),
)
