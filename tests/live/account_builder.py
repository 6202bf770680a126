"""Builds a populated AWS account through boto3 (against moto, in-process or over HTTP).

Plants the classic lambda-001 escalation: user `freelancer` may pass any role, create and invoke
Lambda functions; role `lambda-admin` trusts lambda.amazonaws.com and is an administrator.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3

REGION = "us-east-1"


def _trust(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    return buf.getvalue()


def build_escalation(region: str = REGION) -> dict[str, str]:
    """IAM only: the planted lambda-001 path (freelancer -> lambda-admin)."""
    iam = boto3.client("iam", region_name=region)
    iam.create_user(UserName="freelancer")
    iam.put_user_policy(
        UserName="freelancer",
        PolicyName="deploy",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "PassAny", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                    {
                        "Sid": "Lambda",
                        "Effect": "Allow",
                        "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                        "Resource": "*",
                    },
                ],
            }
        ),
    )
    admin = iam.create_policy(
        PolicyName="AdminAll",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )["Policy"]
    role = iam.create_role(RoleName="lambda-admin", AssumeRolePolicyDocument=_trust("lambda.amazonaws.com"))["Role"]
    iam.attach_role_policy(RoleName="lambda-admin", PolicyArn=admin["Arn"])
    return {
        "freelancer": f"arn:aws:iam::{role['Arn'].split(':')[4]}:user/freelancer",
        "lambda_admin": role["Arn"],
        "admin_policy": admin["Arn"],
    }


def build_account(region: str = REGION) -> dict[str, Any]:
    """The escalation plus one resource of every inventoried / policy-bearing kind."""
    arns: dict[str, Any] = build_escalation(region)
    account = arns["lambda_admin"].split(":")[4]
    iam = boto3.client("iam", region_name=region)
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="freelancer")
    v1 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    pol = iam.create_policy(PolicyName="Versioned", PolicyDocument=json.dumps(v1))["Policy"]
    v1["Statement"][0]["Action"] = "s3:*"
    iam.create_policy_version(PolicyArn=pol["Arn"], PolicyDocument=json.dumps(v1), SetAsDefault=True)
    iam.attach_group_policy(GroupName="devs", PolicyArn=pol["Arn"])
    roles = {}
    for name, svc in [
        ("ec2-role", "ec2.amazonaws.com"),
        ("cfn-role", "cloudformation.amazonaws.com"),
        ("build-role", "codebuild.amazonaws.com"),
        ("glue-role", "glue.amazonaws.com"),
        ("sm-role", "sagemaker.amazonaws.com"),
        ("task-role", "ecs-tasks.amazonaws.com"),
        ("task-override-role", "ecs-tasks.amazonaws.com"),
        ("sfn-role", "states.amazonaws.com"),
    ]:
        roles[name] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(svc))["Role"]["Arn"]
    arns["roles"] = roles
    profile = iam.create_instance_profile(InstanceProfileName="ec2-profile")["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName="ec2-profile", RoleName="ec2-role")
    iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"], ThumbprintList=["a" * 40]
    )
    iam.create_saml_provider(Name="corp-idp", SAMLMetadataDocument="<md>" + "x" * 1000 + "</md>")

    lam = boto3.client("lambda", region_name=region)
    fn = lam.create_function(
        FunctionName="deploy",
        Runtime="python3.12",
        Role=arns["lambda_admin"],
        Handler="handler.handler",
        Code={"ZipFile": _zip()},
    )
    lam.add_permission(
        FunctionName="deploy", StatementId="s3invoke", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com"
    )
    arns["function"] = fn["FunctionArn"]

    ec2 = boto3.client("ec2", region_name=region)
    ami = "ami-12c6146b"  # a moto default image (describing all images costs seconds)
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, IamInstanceProfile={"Arn": profile["Arn"]})[
        "Instances"
    ][0]
    arns["instance"] = f"arn:aws:ec2:{region}:{account}:instance/{inst['InstanceId']}"
    ec2.create_tags(Resources=[inst["InstanceId"]], Tags=[{"Key": "app", "Value": "web"}])
    lt = ec2.create_launch_template(
        LaunchTemplateName="web", LaunchTemplateData={"ImageId": ami, "IamInstanceProfile": {"Arn": profile["Arn"]}}
    )["LaunchTemplate"]
    arns["launch_template"] = f"arn:aws:ec2:{region}:{account}:launch-template/{lt['LaunchTemplateId']}"

    cfn = boto3.client("cloudformation", region_name=region)
    template = {"Resources": {"Handle": {"Type": "AWS::SNS::Topic"}}}
    arns["stack"] = cfn.create_stack(StackName="infra", TemplateBody=json.dumps(template), RoleARN=roles["cfn-role"])[
        "StackId"
    ]

    cb = boto3.client("codebuild", region_name=region)
    arns["project"] = cb.create_project(
        name="builder",
        source={"type": "S3", "location": "data-bucket/src.zip"},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=roles["build-role"],
    )["project"]["arn"]

    glue = boto3.client("glue", region_name=region)
    glue.create_job(Name="etl", Role=roles["glue-role"], Command={"Name": "glueetl", "ScriptLocation": "s3://b/x.py"})

    sm = boto3.client("sagemaker", region_name=region)
    arns["notebook"] = sm.create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t2.medium", RoleArn=roles["sm-role"]
    )["NotebookInstanceArn"]

    ecs = boto3.client("ecs", region_name=region)
    td = ecs.register_task_definition(
        family="app",
        taskRoleArn=roles["task-role"],
        containerDefinitions=[{"name": "c", "image": "nginx", "memory": 128}],
    )["taskDefinition"]
    ecs.create_cluster(clusterName="main")
    arns["ecs_service"] = ecs.create_service(
        cluster="main", serviceName="web", taskDefinition=td["taskDefinitionArn"], desiredCount=0
    )["service"]["serviceArn"]
    arns["task_definition"] = td["taskDefinitionArn"]
    # a running task (ecs-006) whose role is overridden at launch: on a registered container instance
    host = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1)["Instances"][0]
    ecs.register_container_instance(
        cluster="main",
        instanceIdentityDocument=json.dumps({"instanceId": host["InstanceId"], "region": region, "accountId": account}),
    )
    arns["ecs_task"] = ecs.run_task(
        cluster="main",
        taskDefinition=td["taskDefinitionArn"],
        enableExecuteCommand=True,
        overrides={"taskRoleArn": roles["task-override-role"]},
    )["tasks"][0]["taskArn"]

    # auto scaling groups: one launching the launch template at $Latest, one from a launch configuration
    asg = boto3.client("autoscaling", region_name=region)
    asg.create_auto_scaling_group(
        AutoScalingGroupName="web-asg",
        MinSize=0,
        MaxSize=1,
        AvailabilityZones=[f"{region}a"],
        LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "$Latest"},
    )
    asg.create_launch_configuration(
        LaunchConfigurationName="legacy", ImageId=ami, InstanceType="t3.micro", IamInstanceProfile="ec2-profile"
    )
    asg.create_auto_scaling_group(
        AutoScalingGroupName="legacy-asg",
        MinSize=0,
        MaxSize=1,
        AvailabilityZones=[f"{region}a"],
        LaunchConfigurationName="legacy",
    )
    groups = {
        g["AutoScalingGroupName"]: g["AutoScalingGroupARN"]
        for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]
    }
    arns["asg_template"], arns["asg_config"] = groups["web-asg"], groups["legacy-asg"]

    batch = boto3.client("batch", region_name=region)
    arns["job_definition"] = batch.register_job_definition(
        jobDefinitionName="etl",
        type="container",
        containerProperties={"image": "busybox", "vcpus": 1, "memory": 128, "jobRoleArn": roles["task-role"]},
    )["jobDefinitionArn"]

    # a CodeDeploy group targeting the tagged instance (codedeploy-001): it runs as that instance's role
    cd = boto3.client("codedeploy", region_name=region)
    cd.create_application(applicationName="web", computePlatform="Server")
    cd.create_deployment_group(
        applicationName="web",
        deploymentGroupName="prod",
        serviceRoleArn=roles["ec2-role"],
        ec2TagFilters=[{"Key": "app", "Value": "web", "Type": "KEY_AND_VALUE"}],
    )
    arns["deployment_group"] = f"arn:aws:codedeploy:{region}:{account}:deploymentgroup:web/prod"

    cognito = boto3.client("cognito-identity", region_name=region)
    pool = cognito.create_identity_pool(IdentityPoolName="app", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    arns["identity_pool"] = (f"arn:aws:cognito-identity:{region}:{account}:identitypool/{pool}", pool)

    sfn = boto3.client("stepfunctions", region_name=region)
    arns["state_machine"] = sfn.create_state_machine(
        name="flow",
        roleArn=roles["sfn-role"],
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
    )["stateMachineArn"]

    s3 = boto3.client("s3", region_name=region)
    s3.create_bucket(Bucket="data-bucket")
    s3.put_bucket_policy(
        Bucket="data-bucket",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Read",
                        "Effect": "Allow",
                        "Principal": {"AWS": arns["freelancer"]},
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::data-bucket/*",
                    }
                ],
            }
        ),
    )
    s3.create_bucket(Bucket="no-policy-bucket")

    kms = boto3.client("kms", region_name=region)
    arns["key"] = kms.create_key(Description="k")["KeyMetadata"]["Arn"]

    sqs = boto3.client("sqs", region_name=region)
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    arns["queue"] = f"arn:aws:sqs:{region}:{account}:jobs"
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arns["queue"]}
                    ],
                }
            )
        },
    )

    sns = boto3.client("sns", region_name=region)
    arns["topic"] = sns.create_topic(Name="alerts")["TopicArn"]

    sec = boto3.client("secretsmanager", region_name=region)
    arns["secret"] = sec.create_secret(Name="db", SecretString="s3cr3t-value")["ARN"]
    sec.put_resource_policy(
        SecretId="db",
        ResourcePolicy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": arns["lambda_admin"]},
                        "Action": "secretsmanager:GetSecretValue",
                        "Resource": "*",
                    }
                ],
            }
        ),
    )

    ecr = boto3.client("ecr", region_name=region)
    arns["repo"] = ecr.create_repository(repositoryName="app")["repository"]["repositoryArn"]
    ecr.set_repository_policy(
        repositoryName="app",
        policyText=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Pull",
                        "Effect": "Allow",
                        "Principal": {"AWS": arns["freelancer"]},
                        "Action": "ecr:BatchGetImage",
                    }
                ],
            }
        ),
    )
    return arns


def build_organization(region: str = REGION) -> dict[str, str]:
    """Organization managed by this account, which sits in OU `Workloads` with an SCP and an RCP."""
    org = boto3.client("organizations", region_name=region)
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    ou = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    account = boto3.client("sts", region_name=region).get_caller_identity()["Account"]
    org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
    scp = org.create_policy(
        Name="DenyLeave",
        Type="SERVICE_CONTROL_POLICY",
        Description="d",
        Content=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}],
            }
        ),
    )["Policy"]
    org.attach_policy(PolicyId=scp["PolicySummary"]["Id"], TargetId=ou)
    org.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    rcp = org.create_policy(
        Name="DenyExternal",
        Type="RESOURCE_CONTROL_POLICY",
        Description="d",
        Content=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": "*",
                        "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        ),
    )["Policy"]
    org.attach_policy(PolicyId=rcp["PolicySummary"]["Id"], TargetId=root)
    return {
        "root": root,
        "ou": ou,
        "account": account,
        "scp": scp["PolicySummary"]["Arn"],
        "rcp": rcp["PolicySummary"]["Arn"],
    }
