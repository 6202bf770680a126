"""Inventory kinds of issue 13 where moto leaves out a field the techniques need, driven through
botocore's Stubber on the collector's guarded clients: ECS Exec on a running task (moto does not
echo enableExecuteCommand) and an auto scaling group with a mixed-instances launch template."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from iamgraph.collect.live.inventory import Lookups, autoscaling_groups, ecs_tasks_and_services
from iamgraph.collect.live.session import AccountContext
from iamgraph.collect.readonly import OperationRecorder

ACCOUNT, REGION = "111122223333", "eu-west-1"
CLUSTER = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/main"
TD = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/app:3"


def _ctx() -> AccountContext:
    session = boto3.Session(aws_access_key_id="AKIASTUB", aws_secret_access_key="stub", region_name=REGION)
    return AccountContext(
        session=session, account_id=ACCOUNT, partition="aws", recorder=OperationRecorder(), default_region=REGION
    )


def test_running_tasks_record_ecs_exec_and_the_launch_override_role():
    ctx = _ctx()
    td_role, override = f"arn:aws:iam::{ACCOUNT}:role/app-task", f"arn:aws:iam::{ACCOUNT}:role/override"
    tasks = [f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/main/{n}" for n in ("aaa", "bbb")]
    client = ctx.client("ecs", REGION)
    with Stubber(client) as stub:
        stub.add_response("list_task_definitions", {"taskDefinitionArns": []}, {"status": "ACTIVE"})
        stub.add_response("list_clusters", {"clusterArns": [CLUSTER]})
        stub.add_response("list_tasks", {"taskArns": tasks}, {"cluster": CLUSTER, "desiredStatus": "RUNNING"})
        stub.add_response(
            "describe_tasks",
            {
                "tasks": [
                    {
                        "taskArn": tasks[0],
                        "taskDefinitionArn": TD,
                        "enableExecuteCommand": True,
                        "lastStatus": "RUNNING",
                    },
                    {
                        "taskArn": tasks[1],
                        "taskDefinitionArn": TD,
                        "enableExecuteCommand": False,
                        "lastStatus": "RUNNING",
                        "overrides": {"taskRoleArn": override},
                    },
                ]
            },
            {"cluster": CLUSTER, "tasks": tasks},
        )
        stub.add_response(
            "describe_task_definition",
            {"taskDefinition": {"taskDefinitionArn": TD, "taskRoleArn": td_role}},
            {"taskDefinition": TD},
        )
        stub.add_response("list_services", {"serviceArns": []}, {"cluster": CLUSTER})
        found = ecs_tasks_and_services(ctx, REGION, Lookups({}, {}))
    by_arn = {i["arn"]: i for i in found.inventory}
    assert (by_arn[tasks[0]]["role_arn"], by_arn[tasks[0]]["extra"]["execute_command"]) == (td_role, "true")
    assert (by_arn[tasks[1]]["role_arn"], by_arn[tasks[1]]["extra"]["execute_command"]) == (override, "false")
    assert {("ecs", "ListTasks"), ("ecs", "DescribeTasks")} <= ctx.recorder.operations


def test_mixed_instances_group_takes_the_role_of_its_launch_template_version():
    ctx = _ctx()
    role, profile = f"arn:aws:iam::{ACCOUNT}:role/web", f"arn:aws:iam::{ACCOUNT}:instance-profile/web"
    group = f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:0000:autoScalingGroupName/web"
    asg, ec2 = ctx.client("autoscaling", REGION), ctx.client("ec2", REGION)
    with Stubber(asg) as a, Stubber(ec2) as e:
        a.add_response("describe_launch_configurations", {"LaunchConfigurations": []})
        a.add_response(
            "describe_auto_scaling_groups",
            {
                "AutoScalingGroups": [
                    {
                        "AutoScalingGroupName": "web",
                        "AutoScalingGroupARN": group,
                        "MinSize": 0,
                        "MaxSize": 1,
                        "DesiredCapacity": 0,
                        "DefaultCooldown": 300,
                        "AvailabilityZones": ["eu-west-1a"],
                        "HealthCheckType": "EC2",
                        "CreatedTime": "2024-01-01T00:00:00Z",
                        "MixedInstancesPolicy": {
                            "LaunchTemplate": {
                                "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-0abc", "Version": "$Latest"}
                            }
                        },
                    }
                ]
            },
        )
        e.add_response(
            "describe_launch_template_versions",
            {
                "LaunchTemplateVersions": [
                    {"LaunchTemplateId": "lt-0abc", "LaunchTemplateData": {"IamInstanceProfile": {"Arn": profile}}}
                ]
            },
            {"LaunchTemplateId": "lt-0abc", "Versions": ["$Latest"]},
        )
        found = autoscaling_groups(ctx, REGION, Lookups({profile: role}, {}))
    (g,) = found.inventory
    assert (g["arn"], g["service"], g["resource_type"], g["role_arn"]) == (group, "autoscaling", "group", role)
    assert g["extra"] == {
        "launch_template_arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:launch-template/lt-0abc",
        "launch_template_version": "$Latest",
    }


def test_agentcore_interpreters_runtimes_and_browsers_carry_their_execution_role():
    """moto does not implement AgentCore: the reader runs against stubbed responses."""
    from iamgraph.collect.live.inventory import bedrock_agentcore_resources

    ctx = _ctx()
    role = f"arn:aws:iam::{ACCOUNT}:role/agent-exec"
    ci = f"arn:aws:bedrock-agentcore:{REGION}:{ACCOUNT}:code-interpreter/ci-0123456789"
    rt = f"arn:aws:bedrock-agentcore:{REGION}:{ACCOUNT}:runtime/rt-0123456789"
    br = f"arn:aws:bedrock-agentcore:{REGION}:{ACCOUNT}:browser-custom/br-0123456789"
    t, net = "2024-01-01T00:00:00Z", {"networkMode": "PUBLIC"}
    client = ctx.client("bedrock-agentcore-control", REGION)
    with Stubber(client) as stub:
        stub.add_response(
            "list_code_interpreters",
            {
                "codeInterpreterSummaries": [
                    {
                        "codeInterpreterId": "ci-0123456789",
                        "codeInterpreterArn": ci,
                        "name": "sandbox",
                        "status": "READY",
                        "createdAt": t,
                    }
                ]
            },
            {"type": "CUSTOM"},
        )
        stub.add_response(
            "get_code_interpreter",
            {
                "codeInterpreterId": "ci-0123456789",
                "codeInterpreterArn": ci,
                "name": "sandbox",
                "executionRoleArn": role,
                "networkConfiguration": net,
                "status": "READY",
                "createdAt": t,
                "lastUpdatedAt": t,
            },
            {"codeInterpreterId": "ci-0123456789"},
        )
        stub.add_response(
            "list_agent_runtimes",
            {
                "agentRuntimes": [
                    {
                        "agentRuntimeArn": rt,
                        "agentRuntimeId": "rt-0123456789",
                        "agentRuntimeVersion": "1",
                        "agentRuntimeName": "support-bot",
                        "description": "d",
                        "lastUpdatedAt": t,
                        "status": "READY",
                    }
                ]
            },
            {},
        )
        stub.add_response(
            "get_agent_runtime",
            {
                "agentRuntimeArn": rt,
                "agentRuntimeName": "support-bot",
                "agentRuntimeId": "rt-0123456789",
                "agentRuntimeVersion": "1",
                "createdAt": t,
                "lastUpdatedAt": t,
                "roleArn": role,
                "status": "READY",
                "networkConfiguration": net,
                "lifecycleConfiguration": {"idleRuntimeSessionTimeout": 900},
            },
            {"agentRuntimeId": "rt-0123456789"},
        )
        stub.add_response(
            "list_browsers",
            {
                "browserSummaries": [
                    {
                        "browserId": "br-0123456789",
                        "browserArn": br,
                        "name": "crawler",
                        "status": "READY",
                        "createdAt": t,
                    }
                ]
            },
            {"type": "CUSTOM"},
        )
        stub.add_response(
            "get_browser",
            {
                "browserId": "br-0123456789",
                "browserArn": br,
                "name": "crawler",
                "executionRoleArn": role,
                "networkConfiguration": net,
                "status": "READY",
                "createdAt": t,
                "lastUpdatedAt": t,
            },
            {"browserId": "br-0123456789"},
        )
        found = bedrock_agentcore_resources(ctx, REGION, Lookups({}, {}))
    assert sorted((i["resource_type"], i["arn"], i["role_arn"], i["name"]) for i in found.inventory) == [
        ("browser", br, role, "crawler"),
        ("code-interpreter", ci, role, "sandbox"),
        ("runtime", rt, role, "support-bot"),
    ]
    assert ("bedrock-agentcore", "GetAgentRuntime") in ctx.recorder.operations


def test_deployment_groups_take_the_roles_of_the_instances_they_target():
    """Tag filters match any filter, a tag set needs every group, auto scaling groups by name; a
    group targeting nothing with a role keeps role_arn None."""
    import json

    from iamgraph.collect.live.inventory import join_codedeploy_roles

    def inst(n: str, tags: dict[str, str], role: str, region: str = REGION) -> dict:
        return {
            "arn": f"arn:aws:ec2:{region}:{ACCOUNT}:instance/i-{n}",
            "service": "ec2",
            "resource_type": "instance",
            "role_arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
            "region": region,
            "name": n,
            "extra": {"tags": json.dumps(tags)},
        }

    def group(n: str, **extra: str) -> dict:
        return {
            "arn": f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:app/{n}",
            "service": "codedeploy",
            "resource_type": "deployment-group",
            "role_arn": None,
            "region": REGION,
            "name": n,
            "extra": extra,
        }

    inventory = [
        inst("1", {"app": "web", "env": "prod"}, "web-prod"),
        inst("2", {"app": "web", "env": "dev"}, "web-dev"),
        inst("3", {"team": "web"}, "team"),
        inst("4", {"app": "web"}, "other-region", region="us-west-2"),
        {
            "arn": "asg",
            "service": "autoscaling",
            "resource_type": "group",
            "role_arn": f"arn:aws:iam::{ACCOUNT}:role/asg",
            "region": REGION,
            "name": "fleet",
            "extra": {},
        },
        group(
            "filters",
            tag_filters=json.dumps(
                [{"Key": "app", "Value": "web", "Type": "KEY_AND_VALUE"}, {"Value": "web", "Type": "VALUE_ONLY"}]
            ),
        ),
        group(
            "set",
            tag_set=json.dumps(
                [
                    [{"Key": "app", "Value": "web", "Type": "KEY_AND_VALUE"}],
                    [{"Key": "env", "Value": "prod", "Type": "KEY_AND_VALUE"}],
                ]
            ),
        ),
        group("asg", auto_scaling_groups="fleet,gone"),
        group("nothing", tag_filters=json.dumps([{"Key": "app", "Value": "api", "Type": "KEY_AND_VALUE"}])),
    ]
    join_codedeploy_roles(inventory)
    roles: dict[str, list] = {}
    for i in inventory:
        if i["service"] == "codedeploy":
            roles.setdefault(i["name"], []).append(i["role_arn"] and i["role_arn"].rsplit("/", 1)[-1])
    assert roles == {"filters": ["team", "web-dev", "web-prod"], "set": ["web-prod"], "asg": ["asg"], "nothing": [None]}
