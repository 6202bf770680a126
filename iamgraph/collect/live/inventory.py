"""Inventory of existing resources that run as an IAM role, one reader per service and region.

Each reader returns a `Found` (inventory items + resource policies met on the way). A failing
listing call propagates to the orchestrator (gap + service incomplete); a failing per-item call is
recorded here and also marks the service incomplete.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ...model.inventory import InventoryKind
from .session import AccountContext, call, error_code, paginate, policy_json


@dataclass(frozen=True)
class Lookups:
    """Facts from GAAD the readers need: instance profile -> role ARN, role name -> role ARN."""

    profile_roles: dict[str, str]
    roles_by_name: dict[str, str]

    def role(self, name_or_arn: str | None) -> str | None:
        if not name_or_arn:
            return None
        return name_or_arn if name_or_arn.startswith("arn:") else self.roles_by_name.get(name_or_arn, name_or_arn)

    def profile_role(self, profile: dict[str, Any] | None) -> str | None:
        if not profile:
            return None
        key = profile.get("Arn") or profile.get("Name") or ""
        return self.profile_roles.get(key) or self.profile_roles.get(key.rsplit("/", 1)[-1])


@dataclass
class Found:
    inventory: list[dict[str, Any]] = field(default_factory=list)
    policies: list[dict[str, Any]] = field(default_factory=list)


Reader = Callable[[AccountContext, str, Lookups], Found]


def item(arn: str, kind: InventoryKind, role_arn: str | None, region: str, name: str, **extra: Any) -> dict[str, Any]:
    """One inventory entry in the snapshot shape (extra values as strings, empty ones dropped)."""
    return {
        "arn": arn,
        "service": kind.service,
        "resource_type": kind.resource_type,
        "role_arn": role_arn,
        "region": region,
        "name": name,
        "extra": {k: str(v) for k, v in extra.items() if v},
    }


def _kind(entry: dict[str, Any]) -> InventoryKind | None:
    return InventoryKind.of(entry["service"], entry["resource_type"])


def per_item(
    ctx: AccountContext, region: str, service: str | None, api: str, fn: Callable[[], Any], absent: tuple[str, ...] = ()
) -> Any | None:
    """Run one per-resource call `api`: None when absent (error code in `absent`) or on failure,
    which is recorded as a gap and marks inventory `service` (if any) incomplete."""
    try:
        return fn()
    except Exception as exc:
        if error_code(exc) in absent:
            return None
        ctx.gaps.add_error(exc, region=region, service=service, api=api)
        return None


def _arn(ctx: AccountContext, service: str, region: str, resource: str) -> str:
    return f"arn:{ctx.partition}:{service}:{region}:{ctx.account_id}:{resource}"


def lambda_functions(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("lambda", region)
    found = Found()
    for fn in paginate(c, "ListFunctions", "Functions"):
        arn = fn["FunctionArn"]
        found.inventory.append(
            item(
                arn,
                InventoryKind.LAMBDA_FUNCTION,
                fn.get("Role"),
                region,
                fn.get("FunctionName", ""),
                runtime=fn.get("Runtime"),
            )
        )
        got = per_item(
            ctx,
            region,
            None,
            "lambda:GetPolicy",
            lambda: call(c, "GetPolicy", FunctionName=arn),
            absent=("ResourceNotFoundException",),
        )
        if got and got.get("Policy"):
            found.policies.append({"resource_arn": arn, "service": "lambda", "policy": policy_json(got["Policy"])})
    return found


def ec2_instances(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("ec2", region)
    found = Found()
    for res in paginate(c, "DescribeInstances", "Reservations"):
        for inst in res.get("Instances") or []:
            if (inst.get("State") or {}).get("Name") == "terminated":
                continue
            iid = inst["InstanceId"]
            profile = inst.get("IamInstanceProfile") or {}
            name = next((t["Value"] for t in inst.get("Tags") or [] if t.get("Key") == "Name"), iid)
            found.inventory.append(
                item(
                    _arn(ctx, "ec2", region, f"instance/{iid}"),
                    InventoryKind.EC2_INSTANCE,
                    lk.profile_role(profile),
                    region,
                    name,
                    instance_id=iid,
                    instance_profile_arn=profile.get("Arn"),
                    state=(inst.get("State") or {}).get("Name"),
                    tags=json.dumps({t["Key"]: t.get("Value", "") for t in inst.get("Tags") or []}, sort_keys=True)
                    if inst.get("Tags")
                    else None,
                )
            )
    return found


def ec2_launch_templates(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("ec2", region)
    found = Found()
    for lt in paginate(c, "DescribeLaunchTemplates", "LaunchTemplates"):
        ltid = lt["LaunchTemplateId"]
        versions = per_item(
            ctx,
            region,
            "ec2",
            "ec2:DescribeLaunchTemplateVersions",
            lambda: call(c, "DescribeLaunchTemplateVersions", LaunchTemplateId=ltid, Versions=["$Default"]),
        )
        data = ((versions or {}).get("LaunchTemplateVersions") or [{}])[0].get("LaunchTemplateData") or {}
        profile = data.get("IamInstanceProfile")
        found.inventory.append(
            item(
                _arn(ctx, "ec2", region, f"launch-template/{ltid}"),
                InventoryKind.EC2_LAUNCH_TEMPLATE,
                lk.profile_role(profile),
                region,
                lt.get("LaunchTemplateName", ltid),
                default_version=lt.get("DefaultVersionNumber"),
                instance_profile=(profile or {}).get("Arn") or (profile or {}).get("Name"),
            )
        )
    return found


def cloudformation_stacks(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("cloudformation", region)
    found = Found()
    for st in paginate(c, "DescribeStacks", "Stacks"):
        found.inventory.append(
            item(
                st["StackId"],
                InventoryKind.CLOUDFORMATION_STACK,
                st.get("RoleARN"),
                region,
                st.get("StackName", ""),
                status=st.get("StackStatus"),
            )
        )
    for summary in paginate(c, "ListStackSets", "Summaries", Status="ACTIVE"):
        name = summary["StackSetName"]
        got = per_item(
            ctx,
            region,
            "cloudformation",
            "cloudformation:DescribeStackSet",
            lambda: call(c, "DescribeStackSet", StackSetName=name),
        )
        ss = (got or {}).get("StackSet") or {}
        found.inventory.append(
            item(
                ss.get("StackSetARN") or _arn(ctx, "cloudformation", region, f"stackset/{name}"),
                InventoryKind.CLOUDFORMATION_STACKSET,
                ss.get("AdministrationRoleARN"),
                region,
                name,
                execution_role_name=ss.get("ExecutionRoleName"),
                permission_model=ss.get("PermissionModel"),
            )
        )
    return found


def codebuild_projects(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("codebuild", region)
    found = Found()
    names = paginate(c, "ListProjects", "projects")
    for i in range(0, len(names), 100):
        chunk = names[i : i + 100]
        got = per_item(
            ctx, region, "codebuild", "codebuild:BatchGetProjects", lambda: call(c, "BatchGetProjects", names=chunk)
        )
        for p in (got or {}).get("projects") or []:
            found.inventory.append(
                item(
                    p["arn"], InventoryKind.CODEBUILD_PROJECT, lk.role(p.get("serviceRole")), region, p.get("name", "")
                )
            )
    return found


def glue_jobs_and_endpoints(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("glue", region)
    found = Found()
    for ep in paginate(c, "GetDevEndpoints", "DevEndpoints"):
        name = ep["EndpointName"]
        found.inventory.append(
            item(
                _arn(ctx, "glue", region, f"devEndpoint/{name}"),
                InventoryKind.GLUE_DEVENDPOINT,
                lk.role(ep.get("RoleArn")),
                region,
                name,
            )
        )
    for job in paginate(c, "GetJobs", "Jobs"):
        name = job["Name"]
        found.inventory.append(
            item(
                _arn(ctx, "glue", region, f"job/{name}"), InventoryKind.GLUE_JOB, lk.role(job.get("Role")), region, name
            )
        )
    return found


def sagemaker_notebooks(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("sagemaker", region)
    found = Found()
    for nb in paginate(c, "ListNotebookInstances", "NotebookInstances"):
        name = nb["NotebookInstanceName"]
        got = per_item(
            ctx,
            region,
            "sagemaker",
            "sagemaker:DescribeNotebookInstance",
            lambda: call(c, "DescribeNotebookInstance", NotebookInstanceName=name),
        )
        found.inventory.append(
            item(
                nb.get("NotebookInstanceArn") or (got or {}).get("NotebookInstanceArn", ""),
                InventoryKind.SAGEMAKER_NOTEBOOK_INSTANCE,
                (got or {}).get("RoleArn"),
                region,
                name,
            )
        )
    return found


def ecs_tasks_and_services(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("ecs", region)
    found = Found()
    task_defs: dict[str, dict[str, Any]] = {}

    def task_def(arn: str) -> dict[str, Any]:
        if arn not in task_defs:
            got = per_item(
                ctx,
                region,
                "ecs",
                "ecs:DescribeTaskDefinition",
                lambda: call(c, "DescribeTaskDefinition", taskDefinition=arn),
            )
            task_defs[arn] = (got or {}).get("taskDefinition") or {}
        return task_defs[arn]

    for arn in paginate(c, "ListTaskDefinitions", "taskDefinitionArns", status="ACTIVE"):
        td = task_def(arn)
        found.inventory.append(
            item(
                arn,
                InventoryKind.ECS_TASK_DEFINITION,
                td.get("taskRoleArn"),
                region,
                arn.rsplit("/", 1)[-1],
                execution_role_arn=td.get("executionRoleArn"),
            )
        )
    for cluster in paginate(c, "ListClusters", "clusterArns"):
        _running_tasks(ctx, c, region, cluster, task_def, found)
        services = paginate(c, "ListServices", "serviceArns", cluster=cluster)
        for i in range(0, len(services), 10):
            chunk = services[i : i + 10]
            got = per_item(
                ctx,
                region,
                "ecs",
                "ecs:DescribeServices",
                lambda: call(c, "DescribeServices", cluster=cluster, services=chunk),
            )
            for svc in (got or {}).get("services") or []:
                td = task_def(svc["taskDefinition"]) if svc.get("taskDefinition") else {}
                found.inventory.append(
                    item(
                        svc["serviceArn"],
                        InventoryKind.ECS_SERVICE,
                        td.get("taskRoleArn"),
                        region,
                        svc.get("serviceName", ""),
                        cluster=cluster,
                        task_definition=svc.get("taskDefinition"),
                        execution_role_arn=td.get("executionRoleArn"),
                    )
                )
    return found


def _running_tasks(
    ctx: AccountContext, c: Any, region: str, cluster: str, task_def: Callable[[str], dict[str, Any]], found: Found
) -> None:
    """Running tasks of `cluster` (ecs-006: ECS Exec into a task): the task role is the override
    given at launch, else the task definition's; `execute_command` says whether ECS Exec is on."""
    tasks = paginate(c, "ListTasks", "taskArns", cluster=cluster, desiredStatus="RUNNING")
    for i in range(0, len(tasks), 100):
        chunk = tasks[i : i + 100]
        got = per_item(
            ctx, region, "ecs", "ecs:DescribeTasks", partial(call, c, "DescribeTasks", cluster=cluster, tasks=chunk)
        )
        for t in (got or {}).get("tasks") or []:
            td = task_def(t["taskDefinitionArn"]) if t.get("taskDefinitionArn") else {}
            role = (t.get("overrides") or {}).get("taskRoleArn") or td.get("taskRoleArn")
            found.inventory.append(
                item(
                    t["taskArn"],
                    InventoryKind.ECS_TASK,
                    role,
                    region,
                    t["taskArn"].rsplit("/", 1)[-1],
                    cluster=cluster,
                    task_definition=t.get("taskDefinitionArn"),
                    execute_command="true" if t.get("enableExecuteCommand") else "false",
                    status=t.get("lastStatus"),
                )
            )


def autoscaling_groups(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """Auto scaling groups with the role their instances get (launch template version or launch
    configuration instance profile), the launch template and the version they launch from."""
    c = ctx.client("autoscaling", region)
    ec2 = ctx.client("ec2", region)
    found = Found()
    configs = {
        lc["LaunchConfigurationName"]: lc for lc in paginate(c, "DescribeLaunchConfigurations", "LaunchConfigurations")
    }
    for g in paginate(c, "DescribeAutoScalingGroups", "AutoScalingGroups"):
        spec = (
            g.get("LaunchTemplate")
            or (((g.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}).get("LaunchTemplateSpecification"))
            or {}
        )
        extra: dict[str, Any] = {}
        profile: dict[str, Any] | None = None
        if spec:
            version = spec.get("Version") or "$Default"
            query = (
                {"LaunchTemplateId": spec["LaunchTemplateId"]}
                if spec.get("LaunchTemplateId")
                else {"LaunchTemplateName": spec.get("LaunchTemplateName")}
            )
            got = per_item(
                ctx,
                region,
                "autoscaling",
                "ec2:DescribeLaunchTemplateVersions",
                partial(call, ec2, "DescribeLaunchTemplateVersions", Versions=[version], **query),
            )
            ver = ((got or {}).get("LaunchTemplateVersions") or [{}])[0]
            profile = (ver.get("LaunchTemplateData") or {}).get("IamInstanceProfile")
            ltid = spec.get("LaunchTemplateId") or ver.get("LaunchTemplateId")
            extra = {
                "launch_template_arn": _arn(ctx, "ec2", region, f"launch-template/{ltid}") if ltid else None,
                "launch_template_version": version,
            }
        elif g.get("LaunchConfigurationName"):
            lc = configs.get(g["LaunchConfigurationName"]) or {}
            iprof = lc.get("IamInstanceProfile")
            profile = ({"Arn": iprof} if iprof.startswith("arn:") else {"Name": iprof}) if iprof else None
            extra = {"launch_configuration": g["LaunchConfigurationName"]}
        found.inventory.append(
            item(
                g["AutoScalingGroupARN"],
                InventoryKind.AUTOSCALING_GROUP,
                lk.profile_role(profile),
                region,
                g["AutoScalingGroupName"],
                **extra,
            )
        )
    return found


def batch_job_definitions(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """Active AWS Batch job definitions and their job role (container or ECS task properties)."""
    c = ctx.client("batch", region)
    found = Found()
    for jd in paginate(c, "DescribeJobDefinitions", "jobDefinitions", status="ACTIVE"):
        tasks = (jd.get("ecsProperties") or {}).get("taskProperties") or [{}]
        role = (jd.get("containerProperties") or {}).get("jobRoleArn") or (tasks[0] or {}).get("taskRoleArn")
        found.inventory.append(
            item(
                jd["jobDefinitionArn"],
                InventoryKind.BATCH_JOB_DEFINITION,
                lk.role(role),
                region,
                jd.get("jobDefinitionName", ""),
                revision=jd.get("revision"),
            )
        )
    return found


def cognito_identity_pools(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """Cognito identity pools and whether they hand out credentials to unauthenticated identities
    (cognitoidentity-001); the role a pool currently binds is not needed and not read."""
    c = ctx.client("cognito-identity", region)
    found = Found()
    for p in paginate(c, "ListIdentityPools", "IdentityPools", MaxResults=60):
        pid = p["IdentityPoolId"]
        got = per_item(
            ctx,
            region,
            "cognito-identity",
            "cognito-identity:DescribeIdentityPool",
            partial(call, c, "DescribeIdentityPool", IdentityPoolId=pid),
        )
        found.inventory.append(
            item(
                _arn(ctx, "cognito-identity", region, f"identitypool/{pid}"),
                InventoryKind.COGNITO_IDENTITY_POOL,
                None,
                region,
                p.get("IdentityPoolName", pid),
                pool_id=pid,
                allow_unauthenticated="true" if (got or {}).get("AllowUnauthenticatedIdentities") else "false",
            )
        )
    return found


def bedrock_agentcore_resources(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """AgentCore custom code interpreters, agent runtimes and custom browsers with their execution
    roles (bedrock-002/004/007: run code in an existing one)."""
    c = ctx.client("bedrock-agentcore-control", region)
    found = Found()
    # (list operation, its key, describe operation, id field, ARN field, role field, resource type, list params)
    kinds: tuple[tuple[str, str, str, str, str, str, InventoryKind, dict[str, str]], ...] = (
        (
            "ListCodeInterpreters",
            "codeInterpreterSummaries",
            "GetCodeInterpreter",
            "codeInterpreterId",
            "codeInterpreterArn",
            "executionRoleArn",
            InventoryKind.BEDROCK_CODE_INTERPRETER,
            {"type": "CUSTOM"},
        ),
        (
            "ListAgentRuntimes",
            "agentRuntimes",
            "GetAgentRuntime",
            "agentRuntimeId",
            "agentRuntimeArn",
            "roleArn",
            InventoryKind.BEDROCK_AGENT_RUNTIME,
            {},
        ),
        (
            "ListBrowsers",
            "browserSummaries",
            "GetBrowser",
            "browserId",
            "browserArn",
            "executionRoleArn",
            InventoryKind.BEDROCK_BROWSER,
            {"type": "CUSTOM"},
        ),
    )
    for list_op, key, get_op, id_field, arn_field, role_field, kind, params in kinds:
        for summary in paginate(c, list_op, key, **params):
            rid = summary[id_field]
            got = per_item(
                ctx,
                region,
                "bedrock-agentcore",
                f"bedrock-agentcore:{get_op}",
                partial(call, c, get_op, **{id_field: rid}),
            )
            found.inventory.append(
                item(
                    summary[arn_field],
                    kind,
                    (got or {}).get(role_field),
                    region,
                    summary.get("name") or summary.get("agentRuntimeName") or rid,
                )
            )
    return found


def codedeploy_deployment_groups(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """EC2/on-premises deployment groups and how they pick their target instances (tag filters,
    tag set, auto scaling groups); `join_codedeploy_roles` gives them the targets' roles."""
    c = ctx.client("codedeploy", region)
    found = Found()
    for app in paginate(c, "ListApplications", "applications"):
        for name in paginate(c, "ListDeploymentGroups", "deploymentGroups", applicationName=app):
            got = per_item(
                ctx,
                region,
                "codedeploy",
                "codedeploy:GetDeploymentGroup",
                partial(call, c, "GetDeploymentGroup", applicationName=app, deploymentGroupName=name),
            )
            g = (got or {}).get("deploymentGroupInfo") or {}
            if got is None or g.get("computePlatform", "Server") != "Server":
                continue
            tag_set = list((g.get("ec2TagSet") or {}).get("ec2TagSetList") or [])
            found.inventory.append(
                item(
                    _arn(ctx, "codedeploy", region, f"deploymentgroup:{app}/{name}"),
                    InventoryKind.CODEDEPLOY_DEPLOYMENT_GROUP,
                    None,
                    region,
                    name,
                    application=app,
                    tag_filters=json.dumps(g.get("ec2TagFilters") or []) if g.get("ec2TagFilters") else None,
                    tag_set=json.dumps(tag_set) if tag_set else None,
                    auto_scaling_groups=",".join(a["name"] for a in g.get("autoScalingGroups") or [] if a.get("name")),
                )
            )
    return found


def _tag_match(tags: dict[str, str], f: dict[str, Any]) -> bool:
    kind, key, value = f.get("Type", "KEY_AND_VALUE"), f.get("Key"), f.get("Value")
    if kind == "KEY_ONLY":
        return key in tags
    if kind == "VALUE_ONLY":
        return value in tags.values()
    return key in tags and tags[key] == value


def join_codedeploy_roles(inventory: list[dict[str, Any]]) -> None:
    """Give each deployment group the instance-profile roles of the instances it targets (same
    region): one item per role, by tag filters (any matches), tag set (every group matches) or auto
    scaling group name; a group whose targets have no role keeps role_arn None (in place)."""
    instances = [
        (i["region"], json.loads(i["extra"].get("tags", "{}")), i["role_arn"])
        for i in inventory
        if _kind(i) is InventoryKind.EC2_INSTANCE and i["role_arn"]
    ]
    groups = {
        (i["region"], i["name"]): i["role_arn"]
        for i in inventory
        if _kind(i) is InventoryKind.AUTOSCALING_GROUP and i["role_arn"]
    }
    out: list[dict[str, Any]] = []
    for i in inventory:
        if _kind(i) is not InventoryKind.CODEDEPLOY_DEPLOYMENT_GROUP:
            out.append(i)
            continue
        filters = json.loads(i["extra"].get("tag_filters", "[]"))
        tag_set = json.loads(i["extra"].get("tag_set", "[]"))
        roles = {
            role
            for region, tags, role in instances
            if region == i["region"]
            and (
                (filters and any(_tag_match(tags, f) for f in filters))
                or (tag_set and all(any(_tag_match(tags, f) for f in grp) for grp in tag_set))
            )
        }
        roles |= {
            groups[(i["region"], n)]
            for n in i["extra"].get("auto_scaling_groups", "").split(",")
            if (i["region"], n) in groups
        }
        out += [{**i, "role_arn": r} for r in sorted(roles)] or [i]
    inventory[:] = out


def states_state_machines(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """Step Functions state machines and their execution roles."""
    c = ctx.client("stepfunctions", region)
    found = Found()
    for sm in paginate(c, "ListStateMachines", "stateMachines"):
        arn = sm["stateMachineArn"]
        got = per_item(
            ctx,
            region,
            "states",
            "states:DescribeStateMachine",
            partial(call, c, "DescribeStateMachine", stateMachineArn=arn),
        )
        found.inventory.append(
            item(arn, InventoryKind.STATES_STATE_MACHINE, (got or {}).get("roleArn"), region, sm.get("name", ""))
        )
    return found


def apprunner_services(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("apprunner", region)
    found = Found()
    for s in paginate(c, "ListServices", "ServiceSummaryList"):
        arn = s["ServiceArn"]
        got = per_item(
            ctx, region, "apprunner", "apprunner:DescribeService", lambda: call(c, "DescribeService", ServiceArn=arn)
        )
        conf = ((got or {}).get("Service") or {}).get("InstanceConfiguration") or {}
        found.inventory.append(
            item(arn, InventoryKind.APPRUNNER_SERVICE, conf.get("InstanceRoleArn"), region, s.get("ServiceName", ""))
        )
    return found


def ssm_managed_instances(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """SSM-managed instances; EC2 ones get their role from the EC2 inventory (joined later)."""
    c = ctx.client("ssm", region)
    found = Found()
    for info in paginate(c, "DescribeInstanceInformation", "InstanceInformationList"):
        iid = info["InstanceId"]
        if iid.startswith("i-"):
            arn, role = _arn(ctx, "ec2", region, f"instance/{iid}"), None
        else:
            arn, role = _arn(ctx, "ssm", region, f"managed-instance/{iid}"), lk.role(info.get("IamRole"))
        found.inventory.append(
            item(
                arn,
                InventoryKind.SSM_MANAGED_INSTANCE,
                role,
                region,
                info.get("ComputerName") or iid,
                instance_id=iid,
                ping_status=info.get("PingStatus"),
            )
        )
    return found


def join_ssm_roles(inventory: list[dict[str, Any]]) -> None:
    """Give SSM-managed EC2 instances the role of their instance profile (in place)."""
    ec2_roles = {i["arn"]: i["role_arn"] for i in inventory if _kind(i) is InventoryKind.EC2_INSTANCE}
    for i in inventory:
        if i["service"] == "ssm" and i["role_arn"] is None and i["arn"] in ec2_roles:
            i["role_arn"] = ec2_roles[i["arn"]]


# inventory service key -> readers run in every region (all must succeed for the key to be complete)
REGIONAL_READERS: dict[str, tuple[Reader, ...]] = {
    "lambda": (lambda_functions,),
    "ec2": (ec2_instances, ec2_launch_templates),
    "cloudformation": (cloudformation_stacks,),
    "codebuild": (codebuild_projects,),
    "glue": (glue_jobs_and_endpoints,),
    "sagemaker": (sagemaker_notebooks,),
    "ecs": (ecs_tasks_and_services,),
    "apprunner": (apprunner_services,),
    "ssm": (ssm_managed_instances,),
    "autoscaling": (autoscaling_groups,),
    "states": (states_state_machines,),
    "batch": (batch_job_definitions,),
    "cognito-identity": (cognito_identity_pools,),
    "bedrock-agentcore": (bedrock_agentcore_resources,),
    "codedeploy": (codedeploy_deployment_groups,),
}
