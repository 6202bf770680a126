"""iam-vulnerable accounts."""

from gaad import *

SELF_ESC = [
    "iam-001",
    "iam-005",
    "iam-007",
    "iam-008",
    "iam-009",
    "iam-010",
    "iam-011",
    "iam-013",
    "iam-002",
    "iam-004",
    "iam-006",
    "iam-012",
    "sts-001",
    "iam-provisioning-user",
    "iam-provisioning-role",
    "ec2-001",
]


def base(acc):
    """Deployer (var.aws_assume_role_arn), high-priv service role, admins group."""
    deployer = acc.user("terraform-admin", managed=[acc.aws("AdministratorAccess")], groups=["admins"])
    acc.group("admins", managed=[acc.aws("AdministratorAccess")])
    hp = acc.policy("privesc-high-priv-service-policy", doc(allow("*")), description="High priv policy")
    svc = acc.role(
        "privesc-high-priv-service-role",
        trust_service(
            [
                "ec2.amazonaws.com",
                "datapipeline.amazonaws.com",
                "cloudformation.amazonaws.com",
                "lambda.amazonaws.com",
                "glue.amazonaws.com",
                "ecs-tasks.amazonaws.com",
                "codebuild.amazonaws.com",
                "eks.amazonaws.com",
                "sagemaker.amazonaws.com",
                "elasticbeanstalk.amazonaws.com",
            ]
        ),
        managed=[hp, acc.aws("AmazonSSMManagedInstanceCore")],
        instance_profile="privesc-high-priv-service-profile",
    )
    return deployer, svc


def pair(acc, deployer, stem, policy_name, document, groups=(), versions=None, user_name=None):
    """iam-vulnerable pattern: one managed policy attached to <stem>-user and <stem>-role (role trusts deployer)."""
    p = acc.policy(policy_name, document, versions=versions)
    u = acc.user(user_name or f"{stem}-user", managed=[p], groups=groups)
    r = acc.role(f"{stem}-role", trust_aws(deployer), managed=[p])
    return u, r


def iam_paths():
    acc = Account()
    exp = {"definite_admin": {}, "not_admin": [], "conditional_admin": [], "admins": []}
    deployer, svc = base(acc)
    D = exp["definite_admin"]
    g8 = "privesc8-AttachGroupPolicy-group"
    g11 = "privesc11-PutGroupPolicy-group"
    u, r = pair(
        acc,
        deployer,
        "privesc1-CreateNewPolicyVersion",
        "privesc1-CreateNewPolicyVersion",
        doc(allow("iam:CreatePolicyVersion")),
    )
    D[u] = ["iam-001"]
    D[r] = ["iam-001"]
    u, r = pair(
        acc,
        deployer,
        "privesc2-SetExistingDefaultPolicyVersion",
        "privesc2-SetExistingDefaultPolicyVersion",
        None,
        versions=[(doc(allow("*")), False), (doc(allow("iam:SetDefaultPolicyVersion")), True)],
    )
    D[u] = ["iam-set-default-policy-version"]
    D[r] = ["iam-set-default-policy-version"]
    u, r = pair(
        acc, deployer, "privesc4-CreateAccessKey", "privesc4-CreateAccessKey", doc(allow("iam:CreateAccessKey"))
    )
    D[u] = ["iam-002"]
    D[r] = ["iam-002"]
    u, r = pair(
        acc,
        deployer,
        "privesc5-CreateLoginProfile",
        "privesc5-CreateLoginProfile",
        doc(allow("iam:CreateLoginProfile")),
    )
    D[u] = ["iam-004"]
    D[r] = ["iam-004"]
    u, r = pair(
        acc,
        deployer,
        "privesc6-UpdateLoginProfile",
        "privesc6-UpdateLoginProfile",
        doc(allow("iam:UpdateLoginProfile")),
    )
    D[u] = ["iam-006"]
    D[r] = ["iam-006"]
    u, r = pair(
        acc, deployer, "privesc7-AttachUserPolicy", "privesc7-AttachUserPolicy", doc(allow("iam:AttachUserPolicy"))
    )
    D[u] = ["iam-008"]
    exp["not_admin"].append(r)  # a role cannot become a user with this alone
    u, r = pair(
        acc,
        deployer,
        "privesc8-AttachGroupPolicy",
        "privesc8-AttachGroupPolicy",
        doc(allow("iam:AttachGroupPolicy")),
        groups=[g8],
    )
    acc.group(g8)
    D[u] = ["iam-010"]
    exp["not_admin"].append(r)
    u, r = pair(
        acc, deployer, "privesc9-AttachRolePolicy", "privesc9-AttachRolePolicy", doc(allow("iam:AttachRolePolicy"))
    )
    exp["not_admin"].append(u)
    D[r] = ["iam-009"]  # the user can assume no role
    u, r = pair(acc, deployer, "privesc10-PutUserPolicy", "privesc10-PutUserPolicy", doc(allow("iam:PutUserPolicy")))
    D[u] = ["iam-007"]
    exp["not_admin"].append(r)
    u, r = pair(
        acc,
        deployer,
        "privesc11-PutGroupPolicy",
        "privesc11-PutGroupPolicy",
        doc(allow("iam:PutGroupPolicy")),
        groups=[g11],
    )
    acc.group(g11)
    D[u] = ["iam-011"]
    exp["not_admin"].append(r)
    u, r = pair(acc, deployer, "privesc12-PutRolePolicy", "privesc12-PutRolePolicy", doc(allow("iam:PutRolePolicy")))
    exp["not_admin"].append(u)
    D[r] = ["iam-005"]
    u, r = pair(acc, deployer, "privesc13-AddUserToGroup", "privesc13-AddUserToGroup", doc(allow("iam:AddUserToGroup")))
    D[u] = ["iam-013"]
    exp["not_admin"].append(r)
    u, r = pair(
        acc,
        deployer,
        "privesc14-UpdatingAssumeRolePolicy",
        "privesc14-UpdatingAssumeRolePolicy",
        doc(allow(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"])),
    )
    D[u] = ["iam-012"]
    D[r] = ["iam-012"]
    # sre.tf: group + role with iam:*, ec2:*, s3:*; role trusts the sre user by ARN
    sre = acc.policy(
        "privesc-sre-admin-policy",
        doc(allow(["iam:*", "ec2:*", "s3:*"])),
        description="High priv policy Role used by SREs",
    )
    sre_user = acc.user("privesc-sre-user", groups=["privesc-sre-group"])
    acc.group("privesc-sre-group", managed=[sre])
    sre_role = acc.role("privesc-sre-role", trust_aws(sre_user), managed=[sre])
    D[sre_user] = SELF_ESC
    D[sre_role] = SELF_ESC
    # privesc-AssumeRole.tf: start user (no policy), starting -> intermediate -> ending (admin)
    hi = acc.policy(
        "privesc-AssumeRole-high-priv-policy", doc(allow("*")), description="Allows privesc via targeted sts:AssumeRole"
    )
    start_user = acc.user("privesc-AssumeRole-start-user")
    starting = acc.role("privesc-AssumeRole-starting-role", trust_aws(deployer))
    inter = acc.role("privesc-AssumeRole-intermediate-role", trust_aws(starting))
    ending = acc.role("privesc-AssumeRole-ending-role", trust_aws(inter), managed=[hi])
    D[starting] = ["sts-001"]
    D[inter] = ["sts-001"]
    exp["not_admin"].append(start_user)
    exp["admins"] += [deployer, svc, ending]
    return acc, exp


def passrole_paths():
    acc = Account()
    exp = {"definite_admin": {}, "not_admin": [], "conditional_admin": [], "admins": []}
    deployer, svc = base(acc)
    D = exp["definite_admin"]
    C = exp["conditional_admin"]

    def both(stem, pname, actions, techniques=None, cond=False, stmts=None):
        u, r = pair(acc, deployer, stem, pname, doc(*(stmts or [allow(actions)])))
        if cond:
            C.extend([u, r])
        else:
            D[u] = techniques
            D[r] = techniques

    both(
        "privesc3-CreateEC2WithExistingInstanceProfile",
        "privesc3-CreateEC2WithExistingInstanceProfile",
        [
            "iam:PassRole",
            "ec2:DescribeInstances",
            "ec2:RunInstances",
            "ec2:CreateKeyPair",
            "ec2:AssociateIamInstanceProfile",
        ],
        ["ec2-001"],
    )
    both(
        "privesc15-PassExistingRoleToNewLambdaThenInvoke",
        "privesc15-PassExistingRoleToNewLambdaThenInvoke",
        ["lambda:CreateFunction", "iam:PassRole", "lambda:InvokeFunction"],
        ["lambda-001"],
    )
    both(
        "privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo",
        "privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo",
        ["lambda:CreateFunction", "iam:PassRole", "lambda:CreateEventSourceMapping"],
        ["lambda-002"],
    )
    both(
        "privesc17-EditExistingLambdaFunctionWithRole",
        "privesc17-EditExistingLambdaFunctionWithRole",
        ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"],
        cond=True,
    )
    both(
        "privesc18-PassExistingRoleToNewGlueDevEndpoint",
        "privesc18-PassExistingRoleToNewGlueDevEndpoint",
        ["glue:CreateDevEndpoint", "glue:GetDevEndpoint", "iam:PassRole"],
        ["glue-001"],
    )
    both(
        "privesc19-UpdateExistingGlueDevEndpoint",
        "privesc19-UpdateExistingGlueDevEndpoint",
        ["glue:UpdateDevEndpoint", "glue:GetDevEndpoint"],
        cond=True,
    )
    both(
        "privesc20-PassExistingRoleToCloudFormation",
        "privesc20-PassExistingRoleToCloudFormation",
        None,
        ["cloudformation-001"],
        stmts=[
            allow(["iam:PassRole", "cloudformation:CreateStack", "cloudformation:DescribeStacks"], sid="VisualEditor0")
        ],
    )
    both(
        "privesc21-PassExistingRoleToNewDataPipeline",
        "privesc21-PassExistingRoleToNewDataPipeline",
        None,
        ["datapipeline-001"],
        stmts=[
            allow("iam:PassRole"),
            allow(
                ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"]
            ),
        ],
    )
    both(
        "privesc-codeBuildCreateProjectPassRole",
        "privesc-codeBuildCreateProjectPassRole-policy",
        [
            "codebuild:CreateProject",
            "codebuild:StartBuild",
            "codebuild:StartBuildBatch",
            "iam:PassRole",
            "iam:ListRoles",
        ],
        ["codebuild-001", "codebuild-004"],
    )
    both(
        "privesc-sageMakerCreateNotebookPassRole",
        "privesc-sageMakerCreateNotebookPassRole-policy",
        [
            "sagemaker:CreateNotebookInstance",
            "sagemaker:CreatePresignedNotebookInstanceUrl",
            "sagemaker:ListNotebookInstances",
            "sagemaker:DescribeNotebookInstance",
            "sagemaker:StopNotebookInstance",
            "sagemaker:DeleteNotebookInstance",
            "iam:PassRole",
            "iam:ListRoles",
        ],
        ["sagemaker-001"],
    )
    both(
        "privesc-sageMakerCreateTrainingJobPassRole",
        "privesc-sageMakerCreateTrainingJobPassRole-policy",
        ["sagemaker:CreateTrainingJob", "iam:PassRole"],
        ["sagemaker-002"],
    )
    both(
        "privesc-sageMakerCreateProcessingJobPassRole",
        "privesc-sageMakerCreateProcessingJobPassRole-policy",
        ["sagemaker:CreateProcessingJob", "iam:PassRole"],
        ["sagemaker-003"],
    )
    both(
        "privesc-sageMakerCreatePresignedNotebookURL",
        "privesc-sageMakerCreatePresignedNotebookURL-policy",
        ["sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:ListNotebookInstances"],
        cond=True,
    )
    both(
        "privesc-ssmSendCommand",
        "privesc-ssmSendCommand-policy",
        ["ec2:DescribeInstances", "ssm:listCommands", "ssm:listCommandInvocations", "ssm:sendCommand"],
        cond=True,
    )
    both(
        "privesc-ssmStartSession",
        "privesc-ssmStartSession-policy",
        [
            "ec2:DescribeInstances",
            "ssm:StartSession",
            "ssm:DescribeSessions",
            "ssm:GetConnectionStatus",
            "ssm:DescribeInstanceProperties",
            "ssm:TerminateSession",
            "ssm:ResumeSession",
        ],
        cond=True,
    )
    both(
        "privesc-CloudFormationUpdateStack",
        "privesc-CloudFormationUpdateStack",
        None,
        cond=True,
        stmts=[allow(["cloudformation:UpdateStack", "cloudformation:DescribeStacks"], sid="VisualEditor0")],
    )
    both(
        "privesc-ec2InstanceConnect",
        "privesc-ec2InstanceConnect-policy",
        [
            "ec2:DescribeInstances",
            "ec2-instance-connect:SendSSHPublicKey",
            "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
        ],
        cond=True,
    )
    exp["admins"] += [deployer, svc]
    return acc, exp


def tool_testing():
    acc = Account()
    exp = {"definite_admin": {}, "not_admin": [], "conditional_admin": [], "admins": []}
    deployer, svc = base(acc)
    D = exp["definite_admin"]
    # fn1: RunInstances and PassRole in two different managed policies
    p1 = acc.policy("fn1-privesc3-partial", doc(allow(["ec2:DescribeInstances", "ec2:RunInstances"])))
    p2 = acc.policy("fn1-passrole-star", doc(allow(["iam:PassRole"])))
    u = acc.user("fn1-privesc3-partial-user", managed=[p1, p2])
    r = acc.role("fn1-privesc3-partial-role", trust_aws(deployer), managed=[p1, p2])
    D[u] = ["ec2-001"]
    D[r] = ["ec2-001"]
    u, r = pair(
        acc,
        deployer,
        "fn2-exploitableResourceConstraint",
        "fn2-exploitableResourceConstraint",
        doc(allow("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/fn2-*")),
    )
    D[u] = ["iam-001"]
    D[r] = ["iam-001"]
    u, r = pair(
        acc,
        deployer,
        "fn3-exploitableConditionConstraint",
        "fn3-exploitableConditionConstraint",
        doc(
            allow(
                ["iam:CreatePolicyVersion"],
                ["*"],
                cond={"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
            )
        ),
    )
    exp["conditional_admin"] += [u, r]
    u, r = pair(
        acc,
        deployer,
        "fn4-exploitableNotAction",
        "fn4-exploitableNotAction",
        doc(allow(["iam:Update*", "iam:Create*", "iam:Attach*"], not_action=True)),
    )
    D[u] = [
        "iam-007",
        "iam-011",
        "iam-013",
        "ec2-001",
        "lambda-001",
        "glue-001",
        "cloudformation-001",
        "codebuild-001",
        "sagemaker-001",
        "datapipeline-001",
        "ecs-001",
        "ecs-002",
        "lambda-002",
        "sts-001",
    ]
    D[r] = [
        "iam-005",
        "ec2-001",
        "lambda-001",
        "glue-001",
        "cloudformation-001",
        "codebuild-001",
        "sagemaker-001",
        "datapipeline-001",
        "ecs-001",
        "ecs-002",
        "lambda-002",
        "sts-001",
    ]
    u, r = pair(acc, deployer, "fp1-allow-and-deny", "fp1-allow-and-deny", doc(allow("iam:*"), deny("iam:*")))
    exp["not_admin"] += [u, r]
    pa = acc.policy("fp2-allow-all", doc(allow("*")))
    pd = acc.policy("deny-all", doc(deny("*")))
    u = acc.user("fp2-allow-and-deny-multiple-policies-user", managed=[pa, pd])
    r = acc.role("fp2-allow-and-deny-multiple-policies-role", trust_aws(deployer), managed=[pa, pd])
    exp["not_admin"] += [u, r]
    u, r = pair(acc, deployer, "fp3-deny-iam", "fp3-deny-iam", doc(deny("iam:*")))
    exp["not_admin"] += [u, r]
    u, r = pair(
        acc,
        deployer,
        "fp4-nonExploitableResourceConstraint",
        "fp4-nonExploitableResourceConstraint",
        doc(allow("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/fp4-*")),
    )
    exp["not_admin"] += [u, r]
    u, r = pair(
        acc,
        deployer,
        "fp5-nonExploitableConditionConstraint",
        "fp5-nonExploitableConditionConstraint",
        doc(
            allow(
                ["iam:CreatePolicyVersion"],
                ["*"],
                cond={"DateLessThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
            )
        ),
    )
    exp["not_admin"] += [u, r]
    perm = acc.role("privesc-permissive-role-trust", trust_aws(ROOT))
    exp["not_admin"].append(perm)
    exp["admins"] += [deployer, svc]
    return acc, exp
