"""Live collection: boto3 session(s) -> snapshot document (docs/snapshot-format.md), read-only.

Phases per account: identity (sts:GetCallerIdentity) -> regions -> IAM (GAAD, identity providers)
-> inventory and resource policies (bounded thread pool over service x region); then, across the
accounts, Organizations SCP/RCP paths. Any read that fails becomes a `collection_gaps` entry and
the collection goes on; only missing/invalid credentials stop it (InputError).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from ...errors import InputError
from ...model.arn import partition_of
from ..readonly import OperationRecorder
from ..snapshot_io import snapshot_document
from .iam import authorization_details, identity_providers, instance_profile_roles, role_arns_by_name
from .inventory import REGIONAL_READERS, Found, Lookups, Reader, join_codedeploy_roles, join_ssm_roles
from .org import ORG_UNREADABLE, OrgUnreadable, org_paths
from .resource_policies import GLOBAL_POLICY_READERS, REGIONAL_POLICY_READERS
from .session import AccountContext, call, paginate

Progress = Callable[[str], None]


def collect_document(
    *,
    profiles: list[str | None],
    regions: list[str] | None,
    role_arn: str | None,
    external_id: str | None,
    max_workers: int = 8,
    progress: Progress | None = None,
    recorder: OperationRecorder | None = None,
) -> dict[str, Any]:
    """Collect every account reachable through `profiles` (None = default credential chain).

    `regions` None means all enabled regions. `recorder` (tests) receives every API operation.
    Returns the snapshot document; it never contains credentials.
    """
    recorder = recorder or OperationRecorder()
    recorder.allow_assume_role = role_arn is not None
    contexts: list[AccountContext] = []
    for profile in profiles or [None]:
        contexts.append(
            open_account(profile, role_arn=role_arn, external_id=external_id, recorder=recorder, progress=progress)
        )
    accounts = [collect_account(ctx, regions, max_workers=max_workers) for ctx in contexts]
    organization = collect_organization(contexts, accounts)
    doc = snapshot_document(accounts, organization)
    return _scrub(doc, _secrets(contexts))


def open_account(
    profile: str | None,
    *,
    role_arn: str | None,
    external_id: str | None,
    recorder: OperationRecorder,
    progress: Progress | None = None,
) -> AccountContext:
    """Session for `profile` (assuming `role_arn` first when given) and its account identity."""
    where = f"profile {profile!r}" if profile else "default AWS credentials"
    session: boto3.Session | None = None
    try:
        session = boto3.Session(profile_name=profile)
        region = session.region_name or "us-east-1"
        probe = AccountContext(
            session=session, account_id="", partition="aws", recorder=recorder, default_region=region, progress=progress
        )
        if role_arn:
            params = {"RoleArn": role_arn, "RoleSessionName": "iamgraph-collect"}
            if external_id:
                params["ExternalId"] = external_id
            creds = call(probe.client("sts", region), "AssumeRole", **params)["Credentials"]
            session = boto3.Session(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
                region_name=region,
            )
            probe = AccountContext(
                session=session,
                account_id="",
                partition="aws",
                recorder=recorder,
                default_region=region,
                progress=progress,
            )
        ident = call(probe.client("sts", region), "GetCallerIdentity")
    except (BotoCoreError, ClientError) as exc:
        secrets = _session_secrets(session) if session is not None else []
        message = _scrub(f"cannot use AWS credentials: {_safe_error(exc)}", secrets)
        raise InputError(message, file=where) from None
    probe.account_id = ident["Account"]
    probe.partition = partition_of(ident["Arn"])
    probe.say(f"account {probe.account_id}: signed in as {ident['Arn']}")
    return probe


def collect_account(ctx: AccountContext, regions: list[str] | None, *, max_workers: int = 8) -> dict[str, Any]:
    """One account's section of the snapshot document."""
    regions = regions or enabled_regions(ctx)
    ctx.say(f"account {ctx.account_id}: IAM authorization details")
    gaad = authorization_details(ctx)
    idps = identity_providers(ctx)
    lookups = Lookups(instance_profile_roles(gaad), role_arns_by_name(gaad))

    offered = {service: _offered_regions(ctx, service) for service in REGIONAL_READERS}
    tasks: list[tuple[str | None, Reader, str]] = []
    for region in regions:
        for service, readers in REGIONAL_READERS.items():
            if not offered[service] or region in offered[service]:
                tasks += [(service, r, region) for r in readers]
        for reader in REGIONAL_POLICY_READERS:
            tasks.append((None, reader, region))
    tasks += [(None, reader, ctx.default_region) for reader in GLOBAL_POLICY_READERS]

    inventory: list[dict[str, Any]] = []
    policies: list[dict[str, Any]] = []
    left = Counter(region for _, _, region in tasks)
    ctx.say(f"account {ctx.account_id}: inventory and resource policies, {len(regions)} region(s)")
    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        futures: dict[Future[Found], str] = {
            pool.submit(_run, ctx, service, reader, region, lookups): region for service, reader, region in tasks
        }
        for fut in as_completed(futures):
            found = fut.result()
            inventory += found.inventory
            policies += found.policies
            region = futures[fut]
            left[region] -= 1
            if left[region] == 0:
                ctx.say(f"account {ctx.account_id}: region {region} done")
    join_ssm_roles(inventory)
    join_codedeploy_roles(inventory)
    failed = set(ctx.gaps.failed_services)
    if "ec2" in failed:
        failed.add("ssm")  # SSM instances take their role from the EC2 listing
    if failed & {"ec2", "autoscaling"}:
        failed.add("codedeploy")  # deployment groups take their roles from their target instances
    collected = sorted(s for s in REGIONAL_READERS if s not in failed)
    return {
        "account_id": ctx.account_id,
        "authorization_details": gaad,
        "identity_providers": idps,
        "inventory": sorted(inventory, key=lambda i: (i["service"], i["region"], i["arn"])),
        "inventory_collected": collected,
        "resource_policies": sorted(policies, key=lambda p: (p["service"], p["resource_arn"])),
        "collection_gaps": ctx.gaps.gaps,
    }


def enabled_regions(ctx: AccountContext) -> list[str]:
    """Regions enabled for the account (ec2:DescribeRegions); the session's region if unreadable."""
    try:
        found = paginate(ctx.client("ec2", ctx.default_region), "DescribeRegions", "Regions")
        names = sorted(r["RegionName"] for r in found if r.get("RegionName"))
        if names:
            return names
    except Exception as exc:
        ctx.fail(
            exc,
            region=ctx.default_region,
            service=None,
            api="ec2:DescribeRegions",
            note=f"only {ctx.default_region} collected",
        )
    return [ctx.default_region]


def collect_organization(contexts: list[AccountContext], accounts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """SCP/RCP paths of the scanned accounts, read with the first credentials that can."""
    wanted = [a["account_id"] for a in accounts]
    paths: dict[str, list[dict[str, Any]]] = {}
    for ctx in contexts:
        missing = [a for a in wanted if a not in paths]
        if not missing:
            break
        ctx.say(f"account {ctx.account_id}: Organizations SCPs/RCPs")
        try:
            paths.update(org_paths(ctx, missing))
        except OrgUnreadable:
            continue
    for ctx, acc in zip(contexts, accounts):
        if acc["account_id"] not in paths and not any(ORG_UNREADABLE in g["detail"] for g in acc["collection_gaps"]):
            ctx.gaps.add(
                api="organizations:ListParents",
                region="",
                detail=f"account not found in a readable organization; {ORG_UNREADABLE}",
            )
    return {"accounts": paths} if paths else None


def _run(ctx: AccountContext, service: str | None, reader: Reader, region: str, lookups: Lookups) -> Found:
    ctx.recorder.forget_current()
    try:
        return reader(ctx, region, lookups)
    except Exception as exc:
        ctx.fail(exc, region=region, service=service, api=f"{service or reader.__name__}")
        return Found()


def _offered_regions(ctx: AccountContext, service: str) -> set[str]:
    """Regions botocore's endpoint data lists for `service` (empty: unknown, try every region)."""
    try:
        return set(ctx.session.get_available_regions(service, partition_name=ctx.partition))
    except Exception:
        return set()


def _secrets(contexts: list[AccountContext]) -> list[str]:
    return [s for ctx in contexts for s in _session_secrets(ctx.session)]


def _session_secrets(session: boto3.Session) -> list[str]:
    """The access key id, secret key and token of `session` (empty when it has none)."""
    try:
        creds = session.get_credentials()
        frozen = creds.get_frozen_credentials() if creds is not None else None
    except Exception:
        return []
    return [s for s in (frozen.access_key, frozen.secret_key, frozen.token) if s] if frozen else []


def _scrub(obj: Any, secrets: list[str]) -> Any:
    """Defence in depth: replace any credential string that found its way into the document."""
    if not secrets:
        return obj
    if isinstance(obj, str):
        for s in secrets:
            obj = obj.replace(s, "[REDACTED]")
        return obj
    if isinstance(obj, dict):
        return {k: _scrub(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_scrub(v, secrets) for v in obj]
    return obj


def _safe_error(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return f"{err.get('Code', 'Error')}: {err.get('Message', '')}"
    return str(exc)
