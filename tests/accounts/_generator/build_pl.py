"""pathfinding-labs style accounts."""

from gaad import *


def new_exp():
    return {"definite_admin": {}, "not_admin": [], "conditional_admin": [], "admins": []}


def principal_access():
    acc = Account()
    exp = new_exp()
    D = exp["definite_admin"]
    N = exp["not_admin"]
    admin_user = acc.user("pl-prod-admin-user", managed=[acc.aws("AdministratorAccess")])
    ro = acc.policy(
        "pl-prod-readonly-ops",
        doc(allow(["ec2:Describe*", "s3:ListAllMyBuckets", "cloudwatch:Get*", "logs:Describe*"])),
    )

    def starting(pid, stmts, kind="to-admin"):
        name = f"pl-prod-{pid}-{kind}-starting-user"
        return acc.user(name, inline={f"{name}-policy": doc(*stmts)}, tags=[{"Key": "Scenario", "Value": pid}])

    recon = allow(["iam:ListRoles", "iam:GetRole", "iam:ListUsers", "iam:GetUser"], sid="HelpfulForReconAndMonitoring")
    # iam-014: AttachRolePolicy + AssumeRole on a role that trusts the starting user
    t = arn("role", "pl-prod-iam-014-to-admin-target-role")
    u = starting(
        "iam-014",
        [
            allow(["iam:AttachRolePolicy"], t, sid="RequiredForExploitationAttachRolePolicy"),
            allow(["sts:AssumeRole"], t, sid="RequiredForExploitationAssumeRole"),
            recon,
        ],
    )
    acc.role("pl-prod-iam-014-to-admin-target-role", trust_aws(u))
    D[u] = ["iam-014", "sts-001", "iam-009"]
    # near miss: same permissions, but the role trusts somebody else
    other = acc.user("pl-prod-platform-oncall")
    t2 = arn("role", "pl-prod-iam-014-nearmiss-target-role")
    u = starting("iam-014", [allow(["iam:AttachRolePolicy", "sts:AssumeRole"], t2)], kind="nearmiss")
    acc.role("pl-prod-iam-014-nearmiss-target-role", trust_aws(other), managed=[ro])
    N.append(u)
    N.append(other)
    # iam-015: AttachUserPolicy + CreateAccessKey on a target user
    tu = acc.user("pl-prod-iam-015-to-admin-target-user")
    u = starting(
        "iam-015", [allow(["iam:AttachUserPolicy", "iam:CreateAccessKey"], tu, sid="RequiredForExploitation"), recon]
    )
    D[u] = ["iam-015", "iam-002", "iam-008"]
    N.append(tu)
    tu2 = acc.user("pl-prod-iam-015-nearmiss-target-user")
    u = starting("iam-015", [allow(["iam:AttachUserPolicy"], tu2), recon], kind="nearmiss")
    N.append(u)
    # iam-016: CreatePolicyVersion on the customer policy attached to an assumable role
    p16 = acc.policy("pl-prod-iam-016-to-admin-target-policy", doc(allow(["s3:ListAllMyBuckets"])))
    t = arn("role", "pl-prod-iam-016-to-admin-target-role")
    u = starting("iam-016", [allow(["iam:CreatePolicyVersion"], p16), allow(["sts:AssumeRole"], t)])
    acc.role("pl-prod-iam-016-to-admin-target-role", trust_aws(u), managed=[p16])
    D[u] = ["iam-016", "sts-001", "iam-001"]
    t = arn("role", "pl-prod-iam-016-nearmiss-target-role")
    u = starting(
        "iam-016",
        [
            allow(["iam:CreatePolicyVersion"], aws_policy_arn("AWSLambdaBasicExecutionRole")),
            allow(["sts:AssumeRole"], t),
        ],
        kind="nearmiss",
    )
    acc.role("pl-prod-iam-016-nearmiss-target-role", trust_aws(u), managed=[acc.aws("AWSLambdaBasicExecutionRole")])
    N.append(u)
    # iam-017: PutRolePolicy + AssumeRole
    t = arn("role", "pl-prod-iam-017-to-admin-target-role")
    u = starting("iam-017", [allow(["iam:PutRolePolicy", "sts:AssumeRole"], t)])
    acc.role("pl-prod-iam-017-to-admin-target-role", trust_aws(u), managed=[ro])
    D[u] = ["iam-017", "sts-001", "iam-005"]
    t = arn("role", "pl-prod-iam-017-nearmiss-target-role")
    guard = acc.policy("pl-prod-deny-role-assumption", doc(deny("sts:AssumeRole", sid="NoRoleAssumption")))
    name = "pl-prod-iam-017-nearmiss-starting-user"
    u = acc.user(
        name, inline={f"{name}-policy": doc(allow(["iam:PutRolePolicy", "sts:AssumeRole"], t))}, managed=[guard]
    )
    acc.role("pl-prod-iam-017-nearmiss-target-role", trust_aws(u))
    N.append(u)
    # iam-018: PutUserPolicy + CreateAccessKey
    tu = acc.user("pl-prod-iam-018-to-admin-target-user")
    u = starting("iam-018", [allow(["iam:PutUserPolicy", "iam:CreateAccessKey"], tu)])
    D[u] = ["iam-018", "iam-002", "iam-007"]
    bnd = acc.policy("pl-prod-s3-read-boundary", doc(allow(["s3:Get*", "s3:List*"])))
    tu2 = acc.user("pl-prod-iam-018-nearmiss-target-user", boundary=bnd)
    u = starting("iam-018", [allow(["iam:PutUserPolicy", "iam:CreateAccessKey"], tu2)], kind="nearmiss")
    N += [u, tu, tu2]
    # iam-019: AttachRolePolicy + UpdateAssumeRolePolicy
    t = arn("role", "pl-prod-iam-019-to-admin-target-role")
    u = starting("iam-019", [allow(["iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"], t)])
    acc.role("pl-prod-iam-019-to-admin-target-role", trust_service("ec2.amazonaws.com"))
    D[u] = ["iam-019", "iam-012", "iam-009", "sts-001"]
    t = arn("role", "pl-prod-iam-019-nearmiss-target-role")
    u = starting("iam-019", [allow(["iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"], t)], kind="nearmiss")
    acc.role("pl-prod-iam-019-nearmiss-target-role", trust_service("ec2.amazonaws.com"), boundary=bnd)
    N.append(u)
    # iam-020: CreatePolicyVersion + UpdateAssumeRolePolicy
    p20 = acc.policy("pl-prod-iam-020-to-admin-target-policy", doc(allow(["cloudwatch:GetMetricData"])))
    t = arn("role", "pl-prod-iam-020-to-admin-target-role")
    u = starting("iam-020", [allow(["iam:CreatePolicyVersion"], p20), allow(["iam:UpdateAssumeRolePolicy"], t)])
    acc.role("pl-prod-iam-020-to-admin-target-role", trust_service("ecs-tasks.amazonaws.com"), managed=[p20])
    D[u] = ["iam-020", "iam-012", "iam-001", "sts-001"]
    t = arn("role", "pl-prod-iam-020-nearmiss-target-role")
    u = starting("iam-020", [allow(["iam:UpdateAssumeRolePolicy"], t)], kind="nearmiss")
    acc.role("pl-prod-iam-020-nearmiss-target-role", trust_service("ecs-tasks.amazonaws.com"), managed=[ro])
    N.append(u)
    # iam-021: PutRolePolicy + UpdateAssumeRolePolicy; MFA-gated twin is only conditional
    t = arn("role", "pl-prod-iam-021-to-admin-target-role")
    u = starting("iam-021", [allow(["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"], t)])
    acc.role(
        "pl-prod-iam-021-to-admin-target-role",
        trust_service("lambda.amazonaws.com"),
        managed=[acc.aws("AWSLambdaBasicExecutionRole")],
    )
    D[u] = ["iam-021", "iam-012", "iam-005", "sts-001"]
    t = arn("role", "pl-prod-iam-021-mfa-target-role")
    u = starting(
        "iam-021",
        [
            allow(
                ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"],
                t,
                cond={"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            )
        ],
        kind="mfa",
    )
    acc.role("pl-prod-iam-021-mfa-target-role", trust_service("lambda.amazonaws.com"))
    exp["conditional_admin"].append(u)
    # iam-002 / iam-003 / iam-004 / iam-006 on the admin user; iam-002 near miss scoped to ${aws:username}
    u = starting("iam-002", [allow(["iam:CreateAccessKey"], admin_user), recon])
    D[u] = ["iam-002"]
    u = starting(
        "iam-002",
        [
            allow(
                ["iam:CreateAccessKey", "iam:ListAccessKeys"],
                "arn:aws:iam::*:user/${aws:username}",
                sid="ManageOwnAccessKeys",
            )
        ],
        kind="nearmiss",
    )
    N.append(u)
    u = starting("iam-003", [allow(["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"], admin_user)])
    D[u] = ["iam-003", "iam-002"]
    u = starting("iam-004", [allow(["iam:CreateLoginProfile"], admin_user)])
    D[u] = ["iam-004"]
    u = starting("iam-006", [allow(["iam:UpdateLoginProfile"], admin_user)])
    D[u] = ["iam-006"]
    # iam-012: UpdateAssumeRolePolicy on an admin role
    t = arn("role", "pl-prod-iam-012-to-admin-target-role")
    u = starting("iam-012", [allow(["iam:UpdateAssumeRolePolicy", "iam:GetRole"], t)])
    r12 = acc.role(
        "pl-prod-iam-012-to-admin-target-role",
        trust_service("ec2.amazonaws.com"),
        managed=[acc.aws("AdministratorAccess")],
    )
    D[u] = ["iam-012"]
    # sts-001: admin role trusting the account root; the caller has the identity allow
    t = arn("role", "pl-prod-sts-001-to-admin-target-role")
    u = starting("sts-001", [allow(["sts:AssumeRole"], t)])
    r1 = acc.role("pl-prod-sts-001-to-admin-target-role", trust_aws(ROOT), managed=[acc.aws("AdministratorAccess")])
    D[u] = ["sts-001"]
    exp["admins"] += [admin_user, r12, r1]
    return acc, exp


SERVICES = {  # scenario id -> (service principal, actions, expected techniques)
    "ecs-001": ("ecs-tasks.amazonaws.com", ["ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService"]),
    "ecs-002": ("ecs-tasks.amazonaws.com", ["ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:RunTask"]),
    "ecs-003": ("ecs-tasks.amazonaws.com", ["ecs:RegisterTaskDefinition", "ecs:CreateService", "ecs:ListClusters"]),
    "ecs-004": ("ecs-tasks.amazonaws.com", ["ecs:RegisterTaskDefinition", "ecs:RunTask", "ecs:ListClusters"]),
    "ecs-005": (
        "ecs-tasks.amazonaws.com",
        ["ecs:RegisterTaskDefinition", "ecs:StartTask", "ecs:ListContainerInstances"],
    ),
    "sagemaker-001": (
        "sagemaker.amazonaws.com",
        ["sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
    ),
    "sagemaker-002": ("sagemaker.amazonaws.com", ["sagemaker:CreateTrainingJob"]),
    "sagemaker-003": ("sagemaker.amazonaws.com", ["sagemaker:CreateProcessingJob"]),
    "codebuild-001": ("codebuild.amazonaws.com", ["codebuild:CreateProject", "codebuild:StartBuild"]),
    "codebuild-004": ("codebuild.amazonaws.com", ["codebuild:CreateProject", "codebuild:StartBuildBatch"]),
    "glue-001": ("glue.amazonaws.com", ["glue:CreateDevEndpoint", "glue:GetDevEndpoint"]),
    "glue-003": ("glue.amazonaws.com", ["glue:CreateJob", "glue:StartJobRun"]),
    "glue-004": ("glue.amazonaws.com", ["glue:CreateJob", "glue:CreateTrigger"]),
    "glue-005": ("glue.amazonaws.com", ["glue:UpdateJob", "glue:StartJobRun", "glue:GetJob"]),
    "glue-006": ("glue.amazonaws.com", ["glue:UpdateJob", "glue:CreateTrigger", "glue:GetJob"]),
    "apprunner-001": ("tasks.apprunner.amazonaws.com", ["apprunner:CreateService", "apprunner:DescribeService"]),
    "bedrock-001": (
        "bedrock-agentcore.amazonaws.com",
        [
            "bedrock-agentcore:CreateCodeInterpreter",
            "bedrock-agentcore:StartCodeInterpreterSession",
            "bedrock-agentcore:InvokeCodeInterpreter",
        ],
    ),
    "datapipeline-001": (
        "datapipeline.amazonaws.com",
        ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"],
    ),
    "cloudformation-001": (
        "cloudformation.amazonaws.com",
        ["cloudformation:CreateStack", "cloudformation:DescribeStacks"],
    ),
    "lambda-001": ("lambda.amazonaws.com", ["lambda:CreateFunction", "lambda:InvokeFunction"]),
    "lambda-006": ("lambda.amazonaws.com", ["lambda:CreateFunction", "lambda:AddPermission"]),
    "ec2-001": ("ec2.amazonaws.com", ["ec2:RunInstances", "ec2:DescribeInstances"]),
    "ec2-003": ("ec2.amazonaws.com", ["ec2:RequestSpotInstances", "ec2:DescribeSpotInstanceRequests"]),
}
ALT = {
    "ecs-003": ["ecs-003", "ecs-001"],
    "ecs-004": ["ecs-004", "ecs-002"],
    "codebuild-004": ["codebuild-004", "codebuild-001"],
    "glue-004": ["glue-004", "glue-003"],
    "glue-006": ["glue-006", "glue-005"],
    "lambda-006": ["lambda-006", "lambda-001"],
    "ec2-003": ["ec2-003", "ec2-001"],
    "sagemaker-001": ["sagemaker-001"],
    "ecs-005": ["ecs-005", "ecs-004", "ecs-002"],
}


def new_passrole():
    acc = Account()
    exp = new_exp()
    D = exp["definite_admin"]
    N = exp["not_admin"]
    admin = acc.aws("AdministratorAccess")
    for pid, (svc, actions) in SERVICES.items():
        role_name = f"pl-prod-{pid}-to-admin-target-role"
        ip = role_name.replace("-role", "-profile") if svc == "ec2.amazonaws.com" else None
        t = acc.role(role_name, trust_service(svc), managed=[admin], instance_profile=ip)
        exp["admins"].append(t)
        name = f"pl-prod-{pid}-to-admin-starting-user"
        u = acc.user(
            name,
            inline={
                f"{name}-policy": doc(
                    allow(["iam:PassRole"], t, sid="RequiredForExploitationPassRole"),
                    allow(actions, "*", sid="RequiredForExploitation"),
                    allow(["iam:ListRoles", "iam:GetRole"], "*", sid="HelpfulForRecon"),
                )
            },
        )
        D[u] = ALT.get(pid, [pid])
    # cloudformation-003: PassRole of the StackSet administration role, which may assume the execution role (admin)
    exe = arn("role", "AWSCloudFormationStackSetExecutionRole")
    adm = acc.role(
        "AWSCloudFormationStackSetAdministrationRole",
        trust_service("cloudformation.amazonaws.com"),
        inline={
            "AssumeRole-AWSCloudFormationStackSetExecutionRole": doc(
                allow("sts:AssumeRole", "arn:*:iam::*:role/AWSCloudFormationStackSetExecutionRole")
            )
        },
    )
    acc.role("AWSCloudFormationStackSetExecutionRole", trust_aws(adm), managed=[admin])
    exp["admins"].append(exe)
    name = "pl-prod-cloudformation-003-to-admin-starting-user"
    u = acc.user(
        name,
        inline={
            f"{name}-policy": doc(
                allow(["iam:PassRole"], adm),
                allow(
                    [
                        "cloudformation:CreateStackSet",
                        "cloudformation:CreateStackInstances",
                        "cloudformation:DescribeStackSet",
                    ]
                ),
            )
        },
    )
    D[u] = ["cloudformation-003", "cloudformation-001", "sts-001"]
    D[adm] = ["sts-001"]
    # near misses ------------------------------------------------------------
    lambda_t = arn("role", "pl-prod-lambda-001-to-admin-target-role")
    # a) PassRole condition names a different service
    name = "pl-prod-lambda-001-nearmiss-passedtoservice-user"
    u = acc.user(
        name,
        inline={
            f"{name}-policy": doc(
                allow(["iam:PassRole"], "*", cond={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}),
                allow(["lambda:CreateFunction", "lambda:InvokeFunction"]),
            )
        },
    )
    N.append(u)
    # b) every action except the create call
    name = "pl-prod-lambda-001-nearmiss-missing-action-user"
    u = acc.user(
        name,
        inline={
            f"{name}-policy": doc(
                allow(["iam:PassRole"], lambda_t), allow(["lambda:InvokeFunction", "lambda:GetFunction"])
            )
        },
    )
    N.append(u)
    # c) ec2 admin role without an instance profile
    noip = acc.role("pl-prod-ec2-001-nearmiss-no-profile-role", trust_service("ec2.amazonaws.com"), managed=[admin])
    exp["admins"].append(noip)
    name = "pl-prod-ec2-001-nearmiss-no-profile-user"
    u = acc.user(name, inline={f"{name}-policy": doc(allow(["iam:PassRole"], noip), allow(["ec2:RunInstances"]))})
    N.append(u)
    # d) PassRole only to a non-admin execution role (lateral movement, not admin)
    basic = acc.role(
        "pl-prod-lambda-basic-execution-role",
        trust_service("lambda.amazonaws.com"),
        managed=[acc.aws("AWSLambdaBasicExecutionRole")],
    )
    name = "pl-prod-lambda-001-nearmiss-lateral-user"
    u = acc.user(
        name,
        inline={
            f"{name}-policy": doc(
                allow(["iam:PassRole"], basic), allow(["lambda:CreateFunction", "lambda:InvokeFunction"])
            )
        },
    )
    N += [u, basic]
    # e) the passed role trusts a different service than the one the user can drive
    name = "pl-prod-glue-001-nearmiss-wrong-trust-user"
    u = acc.user(
        name, inline={f"{name}-policy": doc(allow(["iam:PassRole"], lambda_t), allow(["glue:CreateDevEndpoint"]))}
    )
    N.append(u)
    return acc, exp


EXISTING = {
    "lambda-003": ["lambda:UpdateFunctionCode", "lambda:ListFunctions"],
    "lambda-004": ["lambda:UpdateFunctionCode", "lambda:InvokeFunction"],
    "lambda-005": ["lambda:UpdateFunctionCode", "lambda:AddPermission"],
    "ssm-001": ["ssm:StartSession", "ec2:DescribeInstances"],
    "ssm-002": ["ssm:SendCommand", "ssm:GetCommandInvocation"],
    "codebuild-002": ["codebuild:StartBuild", "codebuild:ListProjects"],
    "codebuild-003": ["codebuild:StartBuildBatch", "codebuild:ListProjects"],
    "glue-002": ["glue:UpdateDevEndpoint", "glue:GetDevEndpoints"],
    "cloudformation-002": ["cloudformation:UpdateStack", "cloudformation:DescribeStacks"],
    "cloudformation-005": [
        "cloudformation:CreateChangeSet",
        "cloudformation:ExecuteChangeSet",
        "cloudformation:DescribeStacks",
    ],
    "sagemaker-004": ["sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:ListNotebookInstances"],
    "sagemaker-005": [
        "sagemaker:CreateNotebookInstanceLifecycleConfig",
        "sagemaker:StopNotebookInstance",
        "sagemaker:UpdateNotebookInstance",
        "sagemaker:StartNotebookInstance",
    ],
    "ec2-002": ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"],
    "ec2-004": ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
    "ec2instanceconnect-003": ["ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"],
    "apprunner-002": ["apprunner:UpdateService", "apprunner:ListServices"],
    "bedrock-002": ["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"],
}


def existing_resources():
    acc = Account()
    exp = new_exp()
    admin = acc.aws("AdministratorAccess")
    for name, svcs, ip in [
        ("pl-prod-lambda-admin-exec-role", ["lambda.amazonaws.com"], None),
        ("pl-prod-ec2-admin-instance-role", ["ec2.amazonaws.com"], "pl-prod-ec2-admin-instance-profile"),
        ("pl-prod-build-admin-service-role", ["codebuild.amazonaws.com"], None),
        ("pl-prod-glue-admin-service-role", ["glue.amazonaws.com"], None),
        ("pl-prod-cfn-admin-service-role", ["cloudformation.amazonaws.com"], None),
        ("pl-prod-sagemaker-admin-exec-role", ["sagemaker.amazonaws.com"], None),
        ("pl-prod-apprunner-admin-instance-role", ["tasks.apprunner.amazonaws.com"], None),
        ("pl-prod-agentcore-admin-exec-role", ["bedrock-agentcore.amazonaws.com"], None),
    ]:
        exp["admins"].append(
            acc.role(name, trust_service(svcs if len(svcs) > 1 else svcs[0]), managed=[admin], instance_profile=ip)
        )
    for pid, actions in EXISTING.items():
        name = f"pl-prod-{pid}-to-admin-starting-user"
        u = acc.user(name, inline={f"{name}-policy": doc(allow(actions, "*", sid="RequiredForExploitation"))})
        exp["conditional_admin"].append(u)
    # control: update rights explicitly denied by a group guard-rail
    acc.group(
        "pl-prod-no-lambda-code-changes",
        inline={
            "deny-code-changes": doc(
                deny(["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], sid="NoCodeChanges")
            )
        },
    )
    name = "pl-prod-lambda-003-nearmiss-denied-user"
    u = acc.user(
        name,
        inline={f"{name}-policy": doc(allow(["lambda:UpdateFunctionCode", "lambda:ListFunctions"]))},
        groups=["pl-prod-no-lambda-code-changes"],
    )
    exp["not_admin"].append(u)
    return acc, exp
