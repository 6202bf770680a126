"""Readers that moto does not implement (App Runner, SSM instance information), driven through
botocore's Stubber on the collector's own guarded clients (the guard still records each call)."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from iamgraph.collect.live.inventory import Lookups, apprunner_services, join_ssm_roles, ssm_managed_instances
from iamgraph.collect.live.session import AccountContext
from iamgraph.collect.readonly import OperationRecorder

ACCOUNT, REGION = "111122223333", "eu-west-1"


def _ctx() -> AccountContext:
    session = boto3.Session(aws_access_key_id="AKIASTUB", aws_secret_access_key="stub", region_name=REGION)
    return AccountContext(
        session=session, account_id=ACCOUNT, partition="aws", recorder=OperationRecorder(), default_region=REGION
    )


def test_apprunner_service_role_from_describe_service():
    ctx = _ctx()
    arn = f"arn:aws:apprunner:{REGION}:{ACCOUNT}:service/webapp/0123456789abcdef0123456789abcdef"
    role = f"arn:aws:iam::{ACCOUNT}:role/apprunner-instance"
    client = ctx.client("apprunner", REGION)
    with Stubber(client) as stub:
        stub.add_response("list_services", {"ServiceSummaryList": [{"ServiceArn": arn, "ServiceName": "webapp"}]})
        stub.add_response(
            "describe_service",
            {
                "Service": {
                    "ServiceName": "webapp",
                    "ServiceId": "0123456789abcdef0123456789abcdef",
                    "ServiceArn": arn,
                    "CreatedAt": 0,
                    "UpdatedAt": 0,
                    "Status": "RUNNING",
                    "SourceConfiguration": {},
                    "InstanceConfiguration": {"InstanceRoleArn": role},
                    "NetworkConfiguration": {},
                    "ObservabilityConfiguration": {"ObservabilityEnabled": False},
                    "AutoScalingConfigurationSummary": {},
                }
            },
            {"ServiceArn": arn},
        )
        found = apprunner_services(ctx, REGION, Lookups({}, {}))
    assert [(i["arn"], i["role_arn"], i["name"]) for i in found.inventory] == [(arn, role, "webapp")]
    assert ctx.recorder.operations == {("apprunner", "ListServices"), ("apprunner", "DescribeService")}


def test_ssm_instances_take_the_role_of_their_ec2_profile_and_hybrids_their_iam_role():
    ctx = _ctx()
    hybrid_role = f"arn:aws:iam::{ACCOUNT}:role/ssm-hybrid"
    client = ctx.client("ssm", REGION)
    with Stubber(client) as stub:
        stub.add_response(
            "describe_instance_information",
            {
                "InstanceInformationList": [
                    {"InstanceId": "i-0abc", "PingStatus": "Online"},
                    {"InstanceId": "mi-0def", "IamRole": "ssm-hybrid", "ComputerName": "onprem"},
                ]
            },
        )
        found = ssm_managed_instances(ctx, REGION, Lookups({}, {"ssm-hybrid": hybrid_role}))
    ec2_role = f"arn:aws:iam::{ACCOUNT}:role/web"
    inventory = found.inventory + [
        {
            "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-0abc",
            "service": "ec2",
            "resource_type": "instance",
            "role_arn": ec2_role,
        }
    ]
    join_ssm_roles(inventory)
    ssm = {i["extra"]["instance_id"]: i for i in inventory if i["service"] == "ssm"}
    assert ssm["i-0abc"]["role_arn"] == ec2_role
    assert ssm["mi-0def"]["role_arn"] == hybrid_role
    assert ssm["mi-0def"]["arn"] == f"arn:aws:ssm:{REGION}:{ACCOUNT}:managed-instance/mi-0def"


def test_failing_per_item_call_is_a_gap_and_marks_the_service_incomplete():
    ctx = _ctx()
    arn = f"arn:aws:apprunner:{REGION}:{ACCOUNT}:service/webapp/0123456789abcdef0123456789abcdef"
    client = ctx.client("apprunner", REGION)
    with Stubber(client) as stub:
        stub.add_response("list_services", {"ServiceSummaryList": [{"ServiceArn": arn, "ServiceName": "webapp"}]})
        stub.add_client_error("describe_service", "AccessDeniedException", "not allowed")
        found = apprunner_services(ctx, REGION, Lookups({}, {}))
    assert found.inventory[0]["role_arn"] is None
    assert ctx.gaps.gaps == [
        {
            "api": "apprunner:DescribeService",
            "region": REGION,
            "detail": "AccessDeniedException: not allowed (needs apprunner:DescribeService)",
        }
    ]
    assert ctx.gaps.failed_services == {"apprunner"}
