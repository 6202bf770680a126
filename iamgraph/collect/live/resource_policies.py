"""Resource-based policies: S3 buckets (global listing), KMS keys, SQS, SNS, Secrets Manager, ECR.

(Lambda function policies are read with the Lambda inventory.) A resource without a policy is
simply absent; a failing read is recorded as a gap.
"""

from __future__ import annotations

from typing import Any

from .inventory import Found, Lookups, per_item
from .session import AccountContext, call, paginate, policy_json


def _policy(arn: str, service: str, raw: Any) -> dict[str, Any]:
    return {"resource_arn": arn, "service": service, "policy": policy_json(raw)}


def kms_key_policies(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("kms", region)
    found = Found()
    for key in paginate(c, "ListKeys", "Keys"):
        got = per_item(
            ctx,
            region,
            None,
            "kms:GetKeyPolicy",
            lambda: call(c, "GetKeyPolicy", KeyId=key["KeyId"], PolicyName="default"),
        )
        if got and got.get("Policy"):
            found.policies.append(_policy(key["KeyArn"], "kms", got["Policy"]))
    return found


def sqs_queue_policies(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("sqs", region)
    found = Found()
    for url in paginate(c, "ListQueues", "QueueUrls"):
        got = per_item(
            ctx,
            region,
            None,
            "sqs:GetQueueAttributes",
            lambda: call(c, "GetQueueAttributes", QueueUrl=url, AttributeNames=["Policy", "QueueArn"]),
        )
        attrs = (got or {}).get("Attributes") or {}
        if attrs.get("Policy"):
            found.policies.append(_policy(attrs.get("QueueArn") or url, "sqs", attrs["Policy"]))
    return found


def sns_topic_policies(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("sns", region)
    found = Found()
    for topic in paginate(c, "ListTopics", "Topics"):
        arn = topic["TopicArn"]
        got = per_item(ctx, region, None, "sns:GetTopicAttributes", lambda: call(c, "GetTopicAttributes", TopicArn=arn))
        attrs = (got or {}).get("Attributes") or {}
        if attrs.get("Policy"):
            found.policies.append(_policy(arn, "sns", attrs["Policy"]))
    return found


def secret_policies(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("secretsmanager", region)
    found = Found()
    for secret in paginate(c, "ListSecrets", "SecretList"):
        arn = secret["ARN"]
        got = per_item(
            ctx, region, None, "secretsmanager:GetResourcePolicy", lambda: call(c, "GetResourcePolicy", SecretId=arn)
        )
        if got and got.get("ResourcePolicy"):
            found.policies.append(_policy(arn, "secretsmanager", got["ResourcePolicy"]))
    return found


def ecr_repository_policies(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    c = ctx.client("ecr", region)
    found = Found()
    for repo in paginate(c, "DescribeRepositories", "repositories"):
        got = per_item(
            ctx,
            region,
            None,
            "ecr:GetRepositoryPolicy",
            lambda: call(c, "GetRepositoryPolicy", repositoryName=repo["repositoryName"]),
            absent=("RepositoryPolicyNotFoundException",),
        )
        if got and got.get("policyText"):
            found.policies.append(_policy(repo["repositoryArn"], "ecr", got["policyText"]))
    return found


def s3_bucket_policies(ctx: AccountContext, region: str, lk: Lookups) -> Found:
    """All buckets of the account (S3 lists globally); each policy read in the bucket's region."""
    c = ctx.client("s3", region)
    found = Found()
    for bucket in paginate(c, "ListBuckets", "Buckets"):
        name = bucket["Name"]
        loc = per_item(ctx, region, None, "s3:GetBucketLocation", lambda: call(c, "GetBucketLocation", Bucket=name))
        if loc is None:
            continue
        bucket_region = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(
            loc.get("LocationConstraint"), loc.get("LocationConstraint")
        )
        rc = ctx.client("s3", bucket_region)
        got = per_item(
            ctx,
            bucket_region,
            None,
            "s3:GetBucketPolicy",
            lambda: call(rc, "GetBucketPolicy", Bucket=name),
            absent=("NoSuchBucketPolicy",),
        )
        if got and got.get("Policy"):
            found.policies.append(_policy(f"arn:{ctx.partition}:s3:::{name}", "s3", got["Policy"]))
    return found


REGIONAL_POLICY_READERS = (
    kms_key_policies,
    sqs_queue_policies,
    sns_topic_policies,
    secret_policies,
    ecr_repository_policies,
)
GLOBAL_POLICY_READERS = (s3_bucket_policies,)
