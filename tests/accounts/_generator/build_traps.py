"""Effective-permission traps and provisioning cases."""

from build_pl import new_exp
from gaad import *

NEW_PASSROLE_ANY = [
    "lambda-001",
    "lambda-002",
    "lambda-006",
    "ec2-001",
    "ec2-003",
    "glue-001",
    "glue-003",
    "glue-004",
    "codebuild-001",
    "codebuild-004",
    "sagemaker-001",
    "sagemaker-002",
    "sagemaker-003",
    "ecs-001",
    "ecs-002",
    "ecs-003",
    "ecs-004",
    "ecs-005",
    "datapipeline-001",
    "apprunner-001",
    "bedrock-001",
    "cloudformation-001",
    "cloudformation-003",
    "glue-005",
    "glue-006",
    # catalogue growth (issue 13): every other new-passrole technique is an equally valid route
    "glue-007",
    "ecs-007",
    "ecs-008",
    "ecs-009",
    "autoscaling-launch-configuration",
    "autoscaling-launch-template",
    "autoscaling-update-group",
    "batch-001",
    "batch-compute-environment",
    "codepipeline-create-pipeline",
    "emr-001",
    "mwaa-create-environment",
    "rolesanywhere-create-profile",
    "ssm-003",
    "stepfunctions-create-state-machine",
    "batch-003",
    "bedrock-003",
    "bedrock-005",
    "bedrock-006",
    "braket-001",
    "emrserverless-001",
    "gamelift-001",
    "imagebuilder-001",
    "kinesisanalytics-001",
    "omics-001",
]


def traps():
    acc = Account()
    exp = new_exp()
    D = exp["definite_admin"]
    N = exp["not_admin"]
    C = exp["conditional_admin"]
    admin = acc.aws("AdministratorAccess")
    breakglass = acc.user("break-glass-admin", managed=[admin])
    lam = acc.role("trap-admin-lambda-role", trust_service("lambda.amazonaws.com"), managed=[admin])
    ec2r = acc.role(
        "trap-admin-ec2-role",
        trust_service("ec2.amazonaws.com"),
        managed=[admin],
        instance_profile="trap-admin-ec2-profile",
    )
    basic = acc.role(
        "trap-lambda-basic-role",
        trust_service("lambda.amazonaws.com"),
        managed=[acc.aws("AWSLambdaBasicExecutionRole")],
    )
    root_r = acc.role("trap-admin-root-trust", trust_aws(ROOT), managed=[admin], description="Trusts the account root")
    explicit_user = arn("user", "trap-explicit-trusted-user")
    denied_user = arn("user", "trap-explicit-trusted-denied-user")
    mfa_user = arn("user", "trap-mfa-trusted-user")
    expl_r = acc.role("trap-admin-user-trust", trust_aws([explicit_user, denied_user]), managed=[admin])
    mfa_r = acc.role(
        "trap-admin-mfa-trust",
        trust_aws(mfa_user, cond={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        managed=[admin],
    )
    xacct = acc.role("OrganizationAccountAccessRole", trust_aws("arn:aws:iam::210987654321:root"), managed=[admin])
    exp["admins"] += [breakglass, lam, ec2r, root_r, expl_r, mfa_r, xacct]
    N.append(basic)
    lambda_actions = ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction"]

    # 1. Deny iam:* in a second managed policy beats Allow iam:*
    deny_iam = acc.policy("DenyIAM", doc(deny("iam:*", sid="DenyAllIAM")))
    u = acc.user("trap-deny-iam-user", inline={"iam-admin": doc(allow("iam:*"))}, managed=[deny_iam])
    N.append(u)
    # 2. Deny iam:* from a group removes PassRole granted to the user
    acc.group("trap-contractors", managed=[deny_iam])
    u = acc.user(
        "trap-deny-passrole-via-group-user",
        inline={"deploy-lambda": doc(allow(["iam:PassRole"] + lambda_actions))},
        groups=["trap-contractors"],
    )
    N.append(u)
    # 3. Deny iam:* does not stop sts:AssumeRole into a role trusting the account root
    u = acc.user("trap-admin-minus-iam-user", managed=[admin, deny_iam])
    D[u] = ["sts-001"]
    u = acc.user("trap-poweruser", managed=[acc.aws("PowerUserAccess")])
    D[u] = ["sts-001"]
    # 4. NotAction split: "everything but IAM/STS" + a separate PassRole statement
    u = acc.user(
        "trap-notaction-split-user",
        inline={
            "everything-but-iam": doc(
                allow(["iam:*", "sts:*"], sid="AllButIam", not_action=True),
                allow("iam:PassRole", sid="PassRoleSeparately"),
            )
        },
    )
    D[u] = NEW_PASSROLE_ANY
    u = acc.user(
        "trap-notaction-only-user",
        inline={"everything-but-iam": doc(allow(["iam:*", "sts:*"], sid="AllButIam", not_action=True))},
    )
    N.append(u)
    # 5. Permissions boundary without iam:PassRole; twin whose boundary includes it
    b1 = acc.policy("trap-boundary-no-passrole", doc(allow(["lambda:*", "logs:*", "s3:*"])))
    b2 = acc.policy("trap-boundary-with-passrole", doc(allow(["lambda:*", "logs:*", "s3:*", "iam:PassRole"])))
    dev = {"lambda-dev": doc(allow("lambda:*"), allow("iam:PassRole", "arn:aws:iam::123456789012:role/trap-*"))}
    u = acc.user("trap-boundary-blocks-passrole-user", inline=dev, boundary=b1)
    N.append(u)
    u = acc.user("trap-boundary-allows-passrole-user", inline=dev, boundary=b2)
    D[u] = ["lambda-001", "lambda-002", "lambda-006"]
    # 6. iam:PassedToService for another service; twin with the right one
    u = acc.user(
        "trap-passedtoservice-ec2-user",
        inline={
            "deploy": doc(
                allow("iam:PassRole", cond={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}),
                allow(lambda_actions),
            )
        },
    )
    N.append(u)
    u = acc.user(
        "trap-passedtoservice-lambda-user",
        inline={
            "deploy": doc(
                allow("iam:PassRole", cond={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}),
                allow(lambda_actions),
            )
        },
    )
    D[u] = ["lambda-001"]
    # 7. Account-root trust needs an identity allow; explicit-ARN trust does not; an explicit deny still wins
    u = acc.user("trap-root-trust-with-allow-user", inline={"assume": doc(allow("sts:AssumeRole", root_r))})
    D[u] = ["sts-001"]
    u = acc.user(
        "trap-root-trust-without-allow-user", inline={"read": doc(allow(["s3:ListAllMyBuckets", "ec2:Describe*"]))}
    )
    N.append(u)
    u = acc.user("trap-explicit-trusted-user")
    D[u] = ["sts-001"]
    u = acc.user("trap-explicit-trusted-denied-user", inline={"no-roles": doc(deny("sts:AssumeRole"))})
    N.append(u)
    # 8. Cross-account trust: an sts:AssumeRole allow in this account is not enough
    u = acc.user("trap-assume-xacct-role-user", inline={"assume": doc(allow("sts:AssumeRole", xacct))})
    N.append(u)
    # 9. MFA on the identity allow and on the trust policy: conditional, never definite
    u = acc.user(
        "trap-mfa-user",
        inline={
            "assume-with-mfa": doc(
                allow("sts:AssumeRole", root_r, cond={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
            )
        },
    )
    C.append(u)
    u = acc.user("trap-mfa-trusted-user")
    C.append(u)
    # 10. SourceIp-conditioned self escalation
    u = acc.user(
        "trap-sourceip-user",
        inline={
            "office-only": doc(
                allow(
                    "iam:AttachUserPolicy",
                    "arn:aws:iam::123456789012:user/trap-sourceip-user",
                    cond={"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}},
                )
            )
        },
    )
    C.append(u)
    # 11. Everything granted by a group
    acc.group("trap-deployers", inline={"deploy-lambda": doc(allow(["iam:PassRole"] + lambda_actions))})
    u = acc.user("trap-group-granted-user", groups=["trap-deployers"])
    D[u] = ["lambda-001"]
    # 12. Split: create/invoke on the user, PassRole from a group managed policy
    pr = acc.policy("trap-pass-lambda-admin-role", doc(allow("iam:PassRole", lam)))
    acc.group("trap-release-managers", managed=[pr])
    u = acc.user(
        "trap-split-user-group", inline={"lambda": doc(allow(lambda_actions))}, groups=["trap-release-managers"]
    )
    D[u] = ["lambda-001"]
    # 13. PassRole only to a non-admin role: lateral, not admin
    u = acc.user(
        "trap-lateral-passrole-user", inline={"deploy": doc(allow("iam:PassRole", basic), allow(lambda_actions))}
    )
    N.append(u)
    # 14. Existing function, no inventory: potential only
    u = acc.user(
        "trap-update-function-code-user",
        inline={"hotfix": doc(allow(["lambda:UpdateFunctionCode", "lambda:ListFunctions"]))},
    )
    C.append(u)
    # 15. Deny with NotResource leaves the admin role passable
    u = acc.user(
        "trap-deny-notresource-user",
        inline={
            "deploy": doc(
                allow(["iam:PassRole"] + lambda_actions),
                {"Sid": "OnlyBasicRole", "Effect": "Deny", "Action": "iam:PassRole", "NotResource": basic},
            )
        },
    )
    N.append(u)
    return acc, exp


def provisioning():
    acc = Account()
    exp = new_exp()
    D = exp["definite_admin"]
    N = exp["not_admin"]
    admin = acc.aws("AdministratorAccess")
    ops = acc.user("ops-admin", managed=[admin])
    exp["admins"].append(ops)
    app_users = "arn:aws:iam::123456789012:user/app-*"
    app_roles = "arn:aws:iam::123456789012:role/app-*"
    bnd = acc.policy("app-workload-boundary", doc(allow(["s3:GetObject", "s3:PutObject", "sqs:*", "dynamodb:*"])))
    # create user, then put a policy on it and mint keys
    u = acc.user(
        "svc-user-factory",
        inline={
            "provision-app-users": doc(
                allow(
                    ["iam:CreateUser", "iam:PutUserPolicy", "iam:CreateAccessKey", "iam:TagUser"],
                    app_users,
                    sid="ProvisionAppUsers",
                )
            )
        },
    )
    D[u] = ["iam-provisioning-user", "iam-provisioning-role"]
    # same, but CreateUser must set the boundary and the boundary cannot be removed
    force = {"StringEquals": {"iam:PermissionsBoundary": bnd}}
    u = acc.user(
        "svc-user-factory-bounded",
        inline={
            "provision-app-users": doc(
                allow(
                    ["iam:CreateUser", "iam:PutUserPermissionsBoundary"],
                    app_users,
                    sid="CreateOnlyWithBoundary",
                    cond=force,
                ),
                allow(["iam:PutUserPolicy", "iam:CreateAccessKey", "iam:TagUser"], app_users, sid="ManageAppUsers"),
                deny(["iam:DeleteUserPermissionsBoundary"], "*", sid="KeepBoundary"),
                deny(
                    ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"],
                    bnd,
                    sid="ProtectBoundary",
                ),
            )
        },
    )
    N.append(u)
    # create role that trusts the creator, attach a policy, assume it
    u = acc.user(
        "svc-role-factory",
        inline={
            "provision-app-roles": doc(
                allow(["iam:CreateRole", "iam:AttachRolePolicy", "iam:TagRole"], app_roles, sid="ProvisionAppRoles"),
                allow("sts:AssumeRole", app_roles, sid="UseAppRoles"),
            )
        },
    )
    D[u] = ["iam-provisioning-user", "iam-provisioning-role"]
    u = acc.user(
        "svc-role-factory-bounded",
        inline={
            "provision-app-roles": doc(
                allow(
                    ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
                    app_roles,
                    sid="CreateOnlyWithBoundary",
                    cond=force,
                ),
                allow(["iam:AttachRolePolicy", "iam:TagRole"], app_roles, sid="ManageAppRoles"),
                allow("sts:AssumeRole", app_roles, sid="UseAppRoles"),
                deny(["iam:DeleteRolePermissionsBoundary"], "*", sid="KeepBoundary"),
                deny(
                    ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"],
                    bnd,
                    sid="ProtectBoundary",
                ),
            )
        },
    )
    N.append(u)
    # create user + console password only: the new user has no permissions
    u = acc.user(
        "svc-user-creator-no-grants",
        inline={"create": doc(allow(["iam:CreateUser", "iam:CreateLoginProfile"], app_users))},
    )
    N.append(u)
    # SetDefaultPolicyVersion back to a permissive older version; control where no version is permissive
    p = acc.policy(
        "ci-deployer-policy",
        None,
        versions=[
            (doc(allow("*")), False),
            (
                doc(
                    allow(
                        ["iam:SetDefaultPolicyVersion", "iam:ListPolicyVersions"],
                        "arn:aws:iam::123456789012:policy/ci-deployer-policy",
                    ),
                    allow(["s3:PutObject", "cloudfront:CreateInvalidation"]),
                ),
                True,
            ),
        ],
    )
    u = acc.user("ci-deployer", managed=[p])
    D[u] = ["iam-set-default-policy-version"]
    p = acc.policy(
        "web-deployer-policy",
        None,
        versions=[
            (doc(allow(["s3:PutObject"])), False),
            (
                doc(
                    allow(
                        ["iam:SetDefaultPolicyVersion", "iam:ListPolicyVersions"],
                        "arn:aws:iam::123456789012:policy/web-deployer-policy",
                    ),
                    allow(["s3:PutObject", "cloudfront:CreateInvalidation"]),
                ),
                True,
            ),
        ],
    )
    u = acc.user("web-deployer", managed=[p])
    N.append(u)
    return acc, exp
