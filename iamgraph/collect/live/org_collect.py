"""`collect --org`: every account of an AWS Organization, from the management or delegated-admin account.

Lists the accounts (Organizations paging), assumes `--member-role` (with `--external-id`) into each
with bounded concurrency (adaptive retries come from the botocore config), collects each account
as for one account; an account that cannot be entered or read becomes a collection gap and the rest
goes on. Organizations data (OU paths, SCPs/RCPs, delegated administrators) and Identity Center are
read once, from the calling account. Read-only: every call goes through the allow-list guard.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from ..readonly import OperationRecorder
from ..snapshot_io import snapshot_document
from .account import _safe_error, _scrub, _secrets, collect_account, open_account
from .identity_center import read_identity_center
from .org import OrgUnreadable, _org_region, org_paths
from .session import AccountContext, call, error_code, paginate

Progress = Callable[[str], None]
DEFAULT_MEMBER_ROLE = "OrganizationAccountAccessRole"
DELEGATED_SERVICES = ("sso.amazonaws.com", "iam.amazonaws.com", "organizations.amazonaws.com")


def collect_org_document(
    *,
    profile: str | None,
    regions: list[str] | None,
    member_role: str = DEFAULT_MEMBER_ROLE,
    external_id: str | None = None,
    role_arn: str | None = None,
    concurrency: int = 4,
    max_workers: int = 4,
    include_management: bool = True,
    progress: Progress | None = None,
    recorder: OperationRecorder | None = None,
) -> dict[str, Any]:
    """The snapshot document of the whole organisation (never contains credentials)."""
    recorder = recorder or OperationRecorder()
    recorder.allow_assume_role = True
    home = open_account(profile, role_arn=role_arn, external_id=external_id, recorder=recorder, progress=progress)
    org_client = home.client("organizations", _org_region(home))
    org = call(org_client, "DescribeOrganization")["Organization"]
    members = [a for a in paginate(org_client, "ListAccounts", "Accounts") if a.get("Status", "ACTIVE") == "ACTIVE"]
    members.sort(key=lambda a: a["Id"])
    wanted = [a for a in members if include_management or a["Id"] != org.get("MasterAccountId")]
    contexts: list[AccountContext] = [home]

    def one(acct: dict[str, Any]) -> dict[str, Any]:
        aid = acct["Id"]
        try:
            ctx = home if aid == home.account_id else _enter(home, aid, member_role, external_id, recorder, progress)
        except Exception as exc:
            home.say(f"account {aid}: cannot assume {member_role}: {_safe_error(exc)}")
            return {
                "account_id": aid,
                "authorization_details": {},
                "collection_gaps": [
                    {
                        "api": "sts:AssumeRole",
                        "region": "",
                        "detail": f"could not assume role {member_role} in {aid} ({error_code(exc) or type(exc).__name__}): "
                        "account not collected",
                    }
                ],
            }
        contexts.append(ctx)
        return collect_account(ctx, regions, max_workers=max_workers)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        accounts = list(pool.map(one, wanted))
    organization = _organization(
        home, org, members, [a["account_id"] for a in accounts if a.get("authorization_details")]
    )
    doc = snapshot_document(accounts, organization)
    ic = read_identity_center(home)
    if ic is not None:
        doc["identity_center"] = ic
    if home.gaps.gaps and accounts:  # organisation-wide gaps go with the home account's entry
        entry = next((a for a in accounts if a["account_id"] == home.account_id), accounts[0])
        seen = {(g["api"], g.get("region", ""), g.get("detail", "")) for g in entry.get("collection_gaps", [])}
        entry.setdefault("collection_gaps", []).extend(
            g for g in home.gaps.gaps if (g["api"], g.get("region", ""), g.get("detail", "")) not in seen
        )
    return _scrub(doc, _secrets(contexts))


def _enter(
    home: AccountContext,
    account: str,
    member_role: str,
    external_id: str | None,
    recorder: OperationRecorder,
    progress: Progress | None,
) -> AccountContext:
    params = {
        "RoleArn": f"arn:{home.partition}:iam::{account}:role/{member_role}",
        "RoleSessionName": "iamgraph-collect",
    }
    if external_id:
        params["ExternalId"] = external_id
    creds = call(home.client("sts", home.default_region), "AssumeRole", **params)["Credentials"]
    session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=home.default_region,
    )
    ctx = AccountContext(
        session=session,
        account_id=account,
        partition=home.partition,
        recorder=recorder,
        default_region=home.default_region,
        progress=progress,
    )
    ident = call(ctx.client("sts", ctx.default_region), "GetCallerIdentity")
    ctx.account_id = ident["Account"]
    ctx.say(f"account {ctx.account_id}: signed in as {ident['Arn']}")
    return ctx


def _organization(
    home: AccountContext, org: dict[str, Any], members: list[dict[str, Any]], collected: list[str]
) -> dict[str, Any]:
    region = _org_region(home)
    client = home.client("organizations", region)
    try:
        paths = org_paths(home, collected)
    except OrgUnreadable:
        paths = {}
    delegated: dict[str, list[str]] = {}
    for service in DELEGATED_SERVICES:
        try:
            found = paginate(client, "ListDelegatedAdministrators", "DelegatedAdministrators", ServicePrincipal=service)
        except Exception as exc:
            home.fail(
                exc,
                region=region,
                service=None,
                api="organizations:ListDelegatedAdministrators",
                note=f"delegated administrators of {service} unknown",
            )
            continue
        if found:
            delegated[service] = sorted(a["Id"] for a in found)
    return {
        "accounts": paths,
        "id": org.get("Id", ""),
        "management_account": org.get("MasterAccountId", ""),
        "members": [{"id": a["Id"], "name": a.get("Name", "")} for a in members],
        "delegated_administrators": delegated,
        "root_sessions_enabled": _root_sessions(home),
    }


def _root_sessions(home: AccountContext) -> bool | None:
    """iam:ListOrganizationsFeatures: is centralised root access (RootSessions) enabled? None: unknown."""
    try:
        feats = call(home.client("iam", home.default_region), "ListOrganizationsFeatures")
    except Exception as exc:
        home.fail(
            exc,
            region="",
            service=None,
            api="iam:ListOrganizationsFeatures",
            note="whether centralised root access is enabled is unknown",
        )
        return None
    return "RootSessions" in (feats.get("EnabledFeatures") or [])
