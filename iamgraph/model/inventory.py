"""Inventory kinds: the (service, resource type) of a resource that runs as a role.

One closed set shared by the live collector (which writes them) and the technique catalogue (whose
existing-resource variants read them), so neither spells `"ecs"`/`"task-definition"` by hand.
Members are tuples, so `kind.service`, `kind.resource_type` and `service, rtype = kind` all work.
"""

from __future__ import annotations

from enum import Enum


class InventoryKind(tuple[str, str], Enum):
    """(inventory service key, resource type) as written in a snapshot's `inventory[]`."""

    APPRUNNER_SERVICE = ("apprunner", "service")
    AUTOSCALING_GROUP = ("autoscaling", "group")
    BATCH_JOB_DEFINITION = ("batch", "job-definition")
    BEDROCK_CODE_INTERPRETER = ("bedrock-agentcore", "code-interpreter")
    BEDROCK_AGENT_RUNTIME = ("bedrock-agentcore", "runtime")
    BEDROCK_BROWSER = ("bedrock-agentcore", "browser")
    CLOUDFORMATION_STACK = ("cloudformation", "stack")
    CLOUDFORMATION_STACKSET = ("cloudformation", "stackset")
    CODEBUILD_PROJECT = ("codebuild", "project")
    CODEDEPLOY_DEPLOYMENT_GROUP = ("codedeploy", "deployment-group")
    COGNITO_IDENTITY_POOL = ("cognito-identity", "identity-pool")
    EC2_INSTANCE = ("ec2", "instance")
    EC2_LAUNCH_TEMPLATE = ("ec2", "launch-template")
    ECS_SERVICE = ("ecs", "service")
    ECS_TASK = ("ecs", "task")
    ECS_TASK_DEFINITION = ("ecs", "task-definition")
    GLUE_DEVENDPOINT = ("glue", "devendpoint")
    GLUE_JOB = ("glue", "job")
    LAMBDA_FUNCTION = ("lambda", "function")
    SAGEMAKER_NOTEBOOK_INSTANCE = ("sagemaker", "notebook-instance")
    SSM_MANAGED_INSTANCE = ("ssm", "managed-instance")
    STATES_STATE_MACHINE = ("states", "state-machine")

    @property
    def service(self) -> str:
        return self.value[0]

    @property
    def resource_type(self) -> str:
        return self.value[1]

    @classmethod
    def of(cls, service: str, resource_type: str) -> InventoryKind | None:
        """The member for a snapshot's (service, resource_type), None for a kind no technique reads."""
        try:
            return cls((service, resource_type))
        except ValueError:
            return None
