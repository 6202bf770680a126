"""The AWS resources technique steps act on, and which of them run as an IAM role (the vehicles).

A closed set: a technique names the resource each step acts on by member, so ARN templates, the
service principal a vehicle's role trusts and the inventory kind an existing-resource variant needs
are written once here. The live collector (collect/live/inventory.py) collects every inventory kind
named here; tests/techniques/test_specs.py checks that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ...model.inventory import InventoryKind

REGION = "us-east-1"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceKind:
    """ARN template (`{account}`, `{name}`), the name used when the attacker picks the resource,
    the service principal a role must trust to run it (vehicles only), and its inventory kind."""

    arn: str
    name: str = "iamgraph"
    principal: str = ""
    inventory: InventoryKind | None = None  # the inventory an existing-resource variant reads
    instance_profile: bool = False  # the role reaches it through an EC2 instance profile
    prefix: str = "svc"  # role-name prefix in generated self-tests


def _a(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{REGION}:{{account}}:{resource}"


class Resource(Enum):
    """Every resource a catalogue step acts on (ANY: the action takes Resource "*")."""

    ANY = ResourceKind(arn="*")
    APPRUNNER_SERVICE = ResourceKind(
        arn=_a("apprunner", "service/{name}/0123456789abcdef0123456789abcdef"),
        principal="tasks.apprunner.amazonaws.com",
        inventory=InventoryKind.APPRUNNER_SERVICE,
        prefix="apprunner",
    )
    AUTOSCALING_GROUP = ResourceKind(
        arn=_a("autoscaling", "autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/{name}"),
        principal="ec2.amazonaws.com",
        inventory=InventoryKind.AUTOSCALING_GROUP,
        instance_profile=True,
        prefix="ec2",
    )
    AUTOSCALING_LAUNCH_CONFIGURATION = ResourceKind(
        arn=_a("autoscaling", "launchConfiguration:00000000-0000-0000-0000-000000000000:launchConfigurationName/{name}")
    )
    BATCH_COMPUTE_ENVIRONMENT = ResourceKind(
        arn=_a("batch", "compute-environment/{name}"),
        principal="ec2.amazonaws.com",
        instance_profile=True,
        prefix="batch",
    )
    BATCH_JOB_DEFINITION = ResourceKind(
        arn=_a("batch", "job-definition/{name}:1"),
        principal="ecs-tasks.amazonaws.com",
        inventory=InventoryKind.BATCH_JOB_DEFINITION,
        prefix="batch",
    )
    BATCH_JOB_QUEUE = ResourceKind(arn=_a("batch", "job-queue/{name}"))
    BEDROCK_CODE_INTERPRETER = ResourceKind(
        arn=_a("bedrock-agentcore", "code-interpreter/{name}"),
        name="iamgraph-0123456789",
        principal="bedrock-agentcore.amazonaws.com",
        inventory=InventoryKind.BEDROCK_CODE_INTERPRETER,
        prefix="agent",
    )
    BEDROCK_AGENT_RUNTIME = ResourceKind(
        arn=_a("bedrock-agentcore", "runtime/{name}"),
        name="iamgraph-0123456789",
        principal="bedrock-agentcore.amazonaws.com",
        inventory=InventoryKind.BEDROCK_AGENT_RUNTIME,
        prefix="agent",
    )
    BEDROCK_AGENT_RUNTIME_ENDPOINT = ResourceKind(
        arn=_a("bedrock-agentcore", "runtime/{name}/runtime-endpoint/iamgraph"), name="iamgraph-0123456789"
    )
    BEDROCK_BROWSER = ResourceKind(
        arn=_a("bedrock-agentcore", "browser-custom/{name}"),
        name="iamgraph-0123456789",
        principal="bedrock-agentcore.amazonaws.com",
        inventory=InventoryKind.BEDROCK_BROWSER,
        prefix="agent",
    )
    BEDROCK_HARNESS = ResourceKind(arn=_a("bedrock-agentcore", "harness/{name}"), name="iamgraph-0123456789")
    BEDROCK_WORKLOAD_IDENTITY = ResourceKind(
        arn=_a("bedrock-agentcore", "workload-identity-directory/default/workload-identity/{name}")
    )
    BRAKET_JOB = ResourceKind(arn=_a("braket", "job/{name}"), principal="braket.amazonaws.com", prefix="braket")
    CLOUDFORMATION_STACK = ResourceKind(
        arn=_a("cloudformation", "stack/{name}/00000000-0000-0000-0000-000000000000"),
        principal="cloudformation.amazonaws.com",
        inventory=InventoryKind.CLOUDFORMATION_STACK,
        prefix="stack",
    )
    CLOUDFORMATION_STACKSET = ResourceKind(
        arn=_a("cloudformation", "stackset/{name}:00000000-0000-0000-0000-000000000000"),
        principal="cloudformation.amazonaws.com",
        inventory=InventoryKind.CLOUDFORMATION_STACKSET,
        prefix="stackset",
    )
    CODEBUILD_PROJECT = ResourceKind(
        arn=_a("codebuild", "project/{name}"),
        principal="codebuild.amazonaws.com",
        inventory=InventoryKind.CODEBUILD_PROJECT,
        prefix="build",
    )
    CODEDEPLOY_DEPLOYMENT_GROUP = ResourceKind(
        arn=_a("codedeploy", "deploymentgroup:{name}/iamgraph"),
        principal="ec2.amazonaws.com",
        inventory=InventoryKind.CODEDEPLOY_DEPLOYMENT_GROUP,
        instance_profile=True,
        prefix="ec2",
    )  # its target instances' instance profile role
    CODEDEPLOY_APPLICATION = ResourceKind(arn=_a("codedeploy", "application:{name}"))
    CODEPIPELINE_PIPELINE = ResourceKind(
        arn=_a("codepipeline", "{name}"), principal="codepipeline.amazonaws.com", prefix="pipeline"
    )
    DATAPIPELINE_PIPELINE = ResourceKind(
        arn=_a("datapipeline", "pipeline/{name}"),
        name="df-iamgraph",
        principal="datapipeline.amazonaws.com",
        prefix="pipeline",
    )
    EC2_INSTANCE = ResourceKind(
        arn=_a("ec2", "instance/{name}"),
        name="i-0123456789abcdef0",
        principal="ec2.amazonaws.com",
        inventory=InventoryKind.EC2_INSTANCE,
        instance_profile=True,
        prefix="ec2",
    )
    EC2_LAUNCH_TEMPLATE = ResourceKind(
        arn=_a("ec2", "launch-template/{name}"),
        name="lt-0123456789abcdef0",
        principal="ec2.amazonaws.com",
        inventory=InventoryKind.EC2_LAUNCH_TEMPLATE,
        instance_profile=True,
        prefix="ec2",
    )
    EC2_SPOT_REQUEST = ResourceKind(
        arn=_a("ec2", "spot-instances-request/{name}"),
        name="sir-iamgraph",
        principal="ec2.amazonaws.com",
        instance_profile=True,
        prefix="ec2",
    )
    ECS_CLUSTER = ResourceKind(arn=_a("ecs", "cluster/{name}"))
    ECS_SERVICE = ResourceKind(
        arn=_a("ecs", "service/iamgraph/{name}"),
        principal="ecs-tasks.amazonaws.com",
        inventory=InventoryKind.ECS_SERVICE,
        prefix="task",
    )
    ECS_TASK = ResourceKind(
        arn=_a("ecs", "task/iamgraph/{name}"),
        name="0123456789abcdef0123456789abcdef",
        principal="ecs-tasks.amazonaws.com",
        inventory=InventoryKind.ECS_TASK,
        prefix="task",
    )
    ECS_TASK_DEFINITION = ResourceKind(
        arn=_a("ecs", "task-definition/{name}:1"),
        principal="ecs-tasks.amazonaws.com",
        inventory=InventoryKind.ECS_TASK_DEFINITION,
        prefix="task",
    )
    EMR_SERVERLESS_APPLICATION = ResourceKind(
        arn=_a("emr-serverless", "/applications/{name}"),
        name="00iamgraph0000000",
        principal="emr-serverless.amazonaws.com",
        prefix="emr",
    )
    EMR_CLUSTER = ResourceKind(
        arn=_a("elasticmapreduce", "cluster/{name}"),
        name="j-IAMGRAPH",
        principal="ec2.amazonaws.com",
        instance_profile=True,
        prefix="emr",
    )
    GAMELIFT_BUILD = ResourceKind(arn=_a("gamelift", "build/{name}"), name="build-iamgraph")
    GAMELIFT_FLEET = ResourceKind(
        arn=_a("gamelift", "fleet/{name}"), name="fleet-iamgraph", principal="gamelift.amazonaws.com", prefix="gamelift"
    )
    GLUE_DEV_ENDPOINT = ResourceKind(
        arn=_a("glue", "devEndpoint/{name}"),
        principal="glue.amazonaws.com",
        inventory=InventoryKind.GLUE_DEVENDPOINT,
        prefix="glue",
    )
    GLUE_JOB = ResourceKind(
        arn=_a("glue", "job/{name}"), principal="glue.amazonaws.com", inventory=InventoryKind.GLUE_JOB, prefix="glue"
    )
    GLUE_SESSION = ResourceKind(arn=_a("glue", "session/{name}"), principal="glue.amazonaws.com", prefix="glue")
    GLUE_TRIGGER = ResourceKind(arn=_a("glue", "trigger/{name}"))
    IAM_INSTANCE_PROFILE = ResourceKind(arn="arn:aws:iam::{account}:instance-profile/{name}")
    IMAGEBUILDER_COMPONENT = ResourceKind(arn=_a("imagebuilder", "component/{name}/1.0.0/1"))
    IMAGEBUILDER_IMAGE = ResourceKind(arn=_a("imagebuilder", "image/{name}/1.0.0/1"))
    IMAGEBUILDER_IMAGE_RECIPE = ResourceKind(arn=_a("imagebuilder", "image-recipe/{name}/1.0.0"))
    IMAGEBUILDER_INFRASTRUCTURE = ResourceKind(
        arn=_a("imagebuilder", "infrastructure-configuration/{name}"),
        principal="ec2.amazonaws.com",
        instance_profile=True,
        prefix="ec2",
    )
    KINESISANALYTICS_APPLICATION = ResourceKind(
        arn=_a("kinesisanalytics", "application/{name}"), principal="kinesisanalytics.amazonaws.com", prefix="flink"
    )
    LAMBDA_FUNCTION = ResourceKind(
        arn=_a("lambda", "function:{name}"),
        principal="lambda.amazonaws.com",
        inventory=InventoryKind.LAMBDA_FUNCTION,
        prefix="fn",
    )
    MWAA_ENVIRONMENT = ResourceKind(
        arn=_a("airflow", "environment/{name}"), principal="airflow-env.amazonaws.com", prefix="airflow"
    )
    OMICS_RUN = ResourceKind(
        arn=_a("omics", "run/{name}"), name="1234567", principal="omics.amazonaws.com", prefix="omics"
    )
    OMICS_WORKFLOW = ResourceKind(arn=_a("omics", "workflow/{name}"), name="7654321")
    ROLESANYWHERE_PROFILE = ResourceKind(
        arn=_a("rolesanywhere", "profile/{name}"),
        name="00000000-0000-0000-0000-000000000000",
        principal="rolesanywhere.amazonaws.com",
        prefix="anywhere",
    )
    ROLESANYWHERE_TRUST_ANCHOR = ResourceKind(
        arn=_a("rolesanywhere", "trust-anchor/{name}"), name="00000000-0000-0000-0000-000000000000"
    )
    SAGEMAKER_LIFECYCLE_CONFIG = ResourceKind(arn=_a("sagemaker", "notebook-instance-lifecycle-config/{name}"))
    SAGEMAKER_NOTEBOOK = ResourceKind(
        arn=_a("sagemaker", "notebook-instance/{name}"),
        principal="sagemaker.amazonaws.com",
        inventory=InventoryKind.SAGEMAKER_NOTEBOOK_INSTANCE,
        prefix="sm",
    )
    SAGEMAKER_PROCESSING_JOB = ResourceKind(
        arn=_a("sagemaker", "processing-job/{name}"), principal="sagemaker.amazonaws.com", prefix="sm"
    )
    SAGEMAKER_TRAINING_JOB = ResourceKind(
        arn=_a("sagemaker", "training-job/{name}"), principal="sagemaker.amazonaws.com", prefix="sm"
    )
    SSM_AUTOMATION = ResourceKind(
        arn=_a("ssm", "document/{name}"), principal="ssm.amazonaws.com", prefix="automation"
    )  # the runbook an automation execution runs
    SSM_MANAGED_INSTANCE = ResourceKind(
        arn=_a("ec2", "instance/{name}"),
        name="i-0123456789abcdef0",
        principal="ec2.amazonaws.com",
        inventory=InventoryKind.SSM_MANAGED_INSTANCE,
        instance_profile=True,
        prefix="ec2",
    )
    STATES_STATE_MACHINE = ResourceKind(
        arn=_a("states", "stateMachine:{name}"),
        principal="states.amazonaws.com",
        inventory=InventoryKind.STATES_STATE_MACHINE,
        prefix="sfn",
    )

    def template(self) -> str:
        """The ARN the attacker names (`{account}` left to fill in)."""
        return self.value.arn.replace("{name}", self.value.name)

    def item_arn(self, name: str, account: str) -> str:
        """The ARN of an inventoried resource called `name` in `account`."""
        return self.value.arn.format(account=account, name=name)


def inventory_kinds() -> set[tuple[str, str]]:
    """Every (service, resource type) some vehicle's existing-resource variant reads from inventory."""
    return {r.value.inventory for r in Resource if r.value.inventory is not None}
