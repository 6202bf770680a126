"""The read-only allow-list of AWS operations the live collector may call, and the botocore guard.

Every client the collector creates is attached to an `OperationRecorder`: it records each
(service, operation) on the botocore `before-call` event and refuses, *before the request is
signed and sent*, any operation that is not in `ALLOWED_OPERATIONS`. The minimal IAM policy for a
full scan (`minimal_policy()`, shipped as docs/minimal-scan-policy.json) is derived from the same
table, so the list of calls, the guard and the policy cannot drift apart.

The single exception to "read only" is `sts:AssumeRole`, allowed only when the user asked for
`--role-arn`: it creates temporary credentials for the scan and changes nothing in the account.
"""

from __future__ import annotations

import threading
from typing import Any

# Operation names of read-only APIs start with one of these (checked by a test on the table).
READ_ONLY_PREFIXES: tuple[str, ...] = ("Get", "List", "Describe", "BatchGet")

# (botocore signing name, API operation) -> IAM action. Only these operations may be called.
ALLOWED_OPERATIONS: dict[tuple[str, str], str] = {
    # identity and account
    ("sts", "GetCallerIdentity"): "sts:GetCallerIdentity",
    ("iam", "GetAccountAuthorizationDetails"): "iam:GetAccountAuthorizationDetails",
    ("iam", "ListSAMLProviders"): "iam:ListSAMLProviders",
    ("iam", "ListOpenIDConnectProviders"): "iam:ListOpenIDConnectProviders",
    ("iam", "GetOpenIDConnectProvider"): "iam:GetOpenIDConnectProvider",
    ("ec2", "DescribeRegions"): "ec2:DescribeRegions",
    # inventory: resources that run as a role
    ("lambda", "ListFunctions"): "lambda:ListFunctions",
    ("ec2", "DescribeInstances"): "ec2:DescribeInstances",
    ("ec2", "DescribeLaunchTemplates"): "ec2:DescribeLaunchTemplates",
    ("ec2", "DescribeLaunchTemplateVersions"): "ec2:DescribeLaunchTemplateVersions",
    ("cloudformation", "DescribeStacks"): "cloudformation:DescribeStacks",
    ("cloudformation", "ListStackSets"): "cloudformation:ListStackSets",
    ("cloudformation", "DescribeStackSet"): "cloudformation:DescribeStackSet",
    ("codebuild", "ListProjects"): "codebuild:ListProjects",
    ("codebuild", "BatchGetProjects"): "codebuild:BatchGetProjects",
    ("glue", "GetDevEndpoints"): "glue:GetDevEndpoints",
    ("glue", "GetJobs"): "glue:GetJobs",
    ("sagemaker", "ListNotebookInstances"): "sagemaker:ListNotebookInstances",
    ("sagemaker", "DescribeNotebookInstance"): "sagemaker:DescribeNotebookInstance",
    ("ecs", "ListClusters"): "ecs:ListClusters",
    ("ecs", "ListServices"): "ecs:ListServices",
    ("ecs", "DescribeServices"): "ecs:DescribeServices",
    ("ecs", "ListTaskDefinitions"): "ecs:ListTaskDefinitions",
    ("ecs", "DescribeTaskDefinition"): "ecs:DescribeTaskDefinition",
    ("ecs", "ListTasks"): "ecs:ListTasks",
    ("ecs", "DescribeTasks"): "ecs:DescribeTasks",
    ("autoscaling", "DescribeAutoScalingGroups"): "autoscaling:DescribeAutoScalingGroups",
    ("autoscaling", "DescribeLaunchConfigurations"): "autoscaling:DescribeLaunchConfigurations",
    ("states", "ListStateMachines"): "states:ListStateMachines",
    ("states", "DescribeStateMachine"): "states:DescribeStateMachine",
    ("batch", "DescribeJobDefinitions"): "batch:DescribeJobDefinitions",
    ("cognito-identity", "ListIdentityPools"): "cognito-identity:ListIdentityPools",
    ("cognito-identity", "DescribeIdentityPool"): "cognito-identity:DescribeIdentityPool",
    ("bedrock-agentcore", "ListCodeInterpreters"): "bedrock-agentcore:ListCodeInterpreters",
    ("bedrock-agentcore", "GetCodeInterpreter"): "bedrock-agentcore:GetCodeInterpreter",
    ("bedrock-agentcore", "ListAgentRuntimes"): "bedrock-agentcore:ListAgentRuntimes",
    ("bedrock-agentcore", "GetAgentRuntime"): "bedrock-agentcore:GetAgentRuntime",
    ("bedrock-agentcore", "ListBrowsers"): "bedrock-agentcore:ListBrowsers",
    ("bedrock-agentcore", "GetBrowser"): "bedrock-agentcore:GetBrowser",
    ("codedeploy", "ListApplications"): "codedeploy:ListApplications",
    ("codedeploy", "ListDeploymentGroups"): "codedeploy:ListDeploymentGroups",
    ("codedeploy", "GetDeploymentGroup"): "codedeploy:GetDeploymentGroup",
    ("apprunner", "ListServices"): "apprunner:ListServices",
    ("apprunner", "DescribeService"): "apprunner:DescribeService",
    ("ssm", "DescribeInstanceInformation"): "ssm:DescribeInstanceInformation",
    # resource-based policies
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketLocation"): "s3:GetBucketLocation",
    ("s3", "GetBucketPolicy"): "s3:GetBucketPolicy",
    ("kms", "ListKeys"): "kms:ListKeys",
    ("kms", "GetKeyPolicy"): "kms:GetKeyPolicy",
    ("sqs", "ListQueues"): "sqs:ListQueues",
    ("sqs", "GetQueueAttributes"): "sqs:GetQueueAttributes",
    ("sns", "ListTopics"): "sns:ListTopics",
    ("sns", "GetTopicAttributes"): "sns:GetTopicAttributes",
    ("lambda", "GetPolicy"): "lambda:GetPolicy",
    ("secretsmanager", "ListSecrets"): "secretsmanager:ListSecrets",
    ("secretsmanager", "GetResourcePolicy"): "secretsmanager:GetResourcePolicy",
    ("ecr", "DescribeRepositories"): "ecr:DescribeRepositories",
    ("ecr", "GetRepositoryPolicy"): "ecr:GetRepositoryPolicy",
    # Organizations: SCPs / RCPs on the path root -> OUs -> account
    ("organizations", "DescribeOrganization"): "organizations:DescribeOrganization",
    ("organizations", "ListRoots"): "organizations:ListRoots",
    ("organizations", "ListParents"): "organizations:ListParents",
    ("organizations", "DescribeOrganizationalUnit"): "organizations:DescribeOrganizationalUnit",
    ("organizations", "DescribeAccount"): "organizations:DescribeAccount",
    ("organizations", "ListPoliciesForTarget"): "organizations:ListPoliciesForTarget",
    ("organizations", "DescribePolicy"): "organizations:DescribePolicy",
}

# `collect --org` only, from the management or delegated-admin account: the account list, the
# delegated administrators, centralised root access, and Identity Center (read once).
ORG_OPERATIONS: dict[tuple[str, str], str] = {
    ("organizations", "ListAccounts"): "organizations:ListAccounts",
    ("organizations", "ListDelegatedAdministrators"): "organizations:ListDelegatedAdministrators",
    ("iam", "ListOrganizationsFeatures"): "iam:ListOrganizationsFeatures",
    ("sso", "ListInstances"): "sso:ListInstances",
    ("sso", "ListPermissionSets"): "sso:ListPermissionSets",
    ("sso", "DescribePermissionSet"): "sso:DescribePermissionSet",
    ("sso", "GetInlinePolicyForPermissionSet"): "sso:GetInlinePolicyForPermissionSet",
    ("sso", "ListManagedPoliciesInPermissionSet"): "sso:ListManagedPoliciesInPermissionSet",
    (
        "sso",
        "ListCustomerManagedPolicyReferencesInPermissionSet",
    ): "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
    ("sso", "GetPermissionsBoundaryForPermissionSet"): "sso:GetPermissionsBoundaryForPermissionSet",
    ("sso", "ListAccountsForProvisionedPermissionSet"): "sso:ListAccountsForProvisionedPermissionSet",
    ("sso", "ListAccountAssignments"): "sso:ListAccountAssignments",
    ("identitystore", "ListUsers"): "identitystore:ListUsers",
    ("identitystore", "ListGroups"): "identitystore:ListGroups",
    ("identitystore", "ListGroupMemberships"): "identitystore:ListGroupMemberships",
}

# Not read-only, allowed only to obtain scan credentials for --role-arn; not part of the scan
# policy (the *calling* principal needs sts:AssumeRole on the role, the role needs the policy).
ASSUME_ROLE: tuple[str, str] = ("sts", "AssumeRole")


def org_management_policy(member_role: str = "OrganizationAccountAccessRole") -> dict[str, Any]:
    """Identity policy for the principal running `collect --org` in the management (or delegated
    administrator) account: the account scan, the organisation reads, and sts:AssumeRole on the
    member role only."""
    actions = sorted(set(ALLOWED_OPERATIONS.values()) | set(ORG_OPERATIONS.values()), key=str.lower)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "IamgraphReadOnlyOrgScan", "Effect": "Allow", "Action": actions, "Resource": "*"},
            {
                "Sid": "IamgraphEnterMemberAccounts",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": f"arn:aws:iam::*:role/{member_role}",
            },
        ],
    }


def org_member_policy() -> dict[str, Any]:
    """Identity policy of the member role (`--member-role`) in each member account: the account scan."""
    return minimal_policy()


class ReadOnlyViolation(RuntimeError):
    """The collector tried to call an operation outside the allow-list (a bug; never sent)."""


def iam_action(service: str, operation: str) -> str:
    """The IAM action that authorises `operation` (signing name + API name unless mapped)."""
    return ALLOWED_OPERATIONS.get((service, operation)) or ORG_OPERATIONS.get(
        (service, operation), f"{service}:{operation}"
    )


def minimal_policy() -> dict[str, Any]:
    """The identity policy that lets the collector read everything it reads (a full scan)."""
    actions = sorted(set(ALLOWED_OPERATIONS.values()), key=str.lower)
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "IamgraphReadOnlyScan", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


class OperationRecorder:
    """Records every API operation issued through attached clients; blocks non-allow-listed ones."""

    def __init__(self, *, allow_assume_role: bool = False) -> None:
        self._lock = threading.Lock()
        self._calls: list[tuple[str, str]] = []
        self._local = threading.local()
        self.allow_assume_role = allow_assume_role

    def attach(self, client: Any) -> Any:
        """Register the guard first on every `before-call` event of a botocore client; returns it."""
        client.meta.events.register_first("before-call.*.*", self._before_call)
        return client

    def _before_call(self, *, model: Any, **_: Any) -> None:
        op = (model.service_model.signing_name, model.name)
        with self._lock:
            self._calls.append(op)
        self._local.op = op
        if op in ALLOWED_OPERATIONS or op in ORG_OPERATIONS or (op == ASSUME_ROLE and self.allow_assume_role):
            return None
        raise ReadOnlyViolation(f"refusing non-allow-listed AWS operation {op[0]}:{op[1]}")

    def forget_current(self) -> None:
        """Start of a unit of work on this thread: no operation issued yet."""
        self._local.op = None

    def current_operation(self) -> tuple[str, str] | None:
        """The last operation issued by the calling thread (the one that failed, in a handler)."""
        return getattr(self._local, "op", None)

    @property
    def calls(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._calls)

    @property
    def operations(self) -> frozenset[tuple[str, str]]:
        with self._lock:
            return frozenset(self._calls)
