"""IAM reads: GetAccountAuthorizationDetails (pages merged, raw shape) and identity providers."""

from __future__ import annotations

from typing import Any

from .session import AccountContext, call, jsonable

GAAD_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")


GAAD_API = "iam:GetAccountAuthorizationDetails"


class GarbledPage(Exception):
    """A GAAD page that parsed but does not have the documented shape."""


def authorization_details(ctx: AccountContext) -> dict[str, list[Any]]:
    """All GAAD pages merged into one raw GAAD document (every entity type, every policy version).

    All or nothing: when any page fails (denied, throttled past the retry budget, unparseable, or
    of the wrong shape) no page is kept, the lists are empty and a gap is recorded, so the account
    is reported as not analysed instead of as an account with fewer principals.
    """
    merged: dict[str, list[Any]] = {k: [] for k in GAAD_LISTS}
    iam = ctx.client("iam")
    pages_read = 0
    try:
        for page in iam.get_paginator("get_account_authorization_details").paginate():
            _check_page(page, pages_read)
            for key in GAAD_LISTS:
                merged[key].extend(page.get(key) or [])
            pages_read += 1
    except Exception as exc:
        note = f"page {pages_read + 1} failed after {pages_read} page(s) were read; none are used" if pages_read else ""
        ctx.gaps.add_error(exc, region="global", service=None, api=GAAD_API, note=note)
        return {k: [] for k in GAAD_LISTS}
    return jsonable(merged)


def _check_page(page: Any, index: int) -> None:
    """Raise GarbledPage unless `page` is an object whose GAAD lists are lists of objects."""
    if not isinstance(page, dict):
        raise GarbledPage(f"page {index + 1} is not an object")
    for key in GAAD_LISTS:
        items = page.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise GarbledPage(f"page {index + 1}: {key} is not a list of objects")


def identity_providers(ctx: AccountContext) -> list[dict[str, Any]]:
    """SAML providers (ARN) and OIDC providers (ARN, URL without scheme, client ids)."""
    iam = ctx.client("iam")
    out: list[dict[str, Any]] = []
    try:
        for p in call(iam, "ListSAMLProviders").get("SAMLProviderList") or []:
            out.append({"arn": p["Arn"], "type": "saml"})
    except Exception as exc:
        ctx.gaps.add_error(exc, region="global", service=None, api="iam:ListSAMLProviders")
    try:
        oidc = call(iam, "ListOpenIDConnectProviders").get("OpenIDConnectProviderList") or []
    except Exception as exc:
        ctx.gaps.add_error(exc, region="global", service=None, api="iam:ListOpenIDConnectProviders")
        oidc = []
    for p in oidc:
        arn = p["Arn"]
        entry: dict[str, Any] = {
            "arn": arn,
            "type": "oidc",
            "url": arn.split("oidc-provider/", 1)[-1],
            "client_ids": [],
        }
        try:
            got = call(iam, "GetOpenIDConnectProvider", OpenIDConnectProviderArn=arn)
            entry["url"] = _strip_scheme(got.get("Url") or entry["url"])
            entry["client_ids"] = list(got.get("ClientIDList") or [])
        except Exception as exc:
            ctx.gaps.add_error(exc, region="global", service=None, api="iam:GetOpenIDConnectProvider")
        out.append(entry)
    return out


def instance_profile_roles(gaad: dict[str, list[Any]]) -> dict[str, str]:
    """Instance profile ARN (and bare name) -> ARN of the role it holds, from RoleDetailList."""
    out: dict[str, str] = {}
    for role in gaad.get("RoleDetailList") or []:
        for prof in role.get("InstanceProfileList") or []:
            roles = prof.get("Roles") or []
            role_arn = roles[0]["Arn"] if roles and roles[0].get("Arn") else role.get("Arn")
            if prof.get("Arn"):
                out[prof["Arn"]] = role_arn
            if prof.get("InstanceProfileName"):
                out.setdefault(prof["InstanceProfileName"], role_arn)
    return out


def role_arns_by_name(gaad: dict[str, list[Any]]) -> dict[str, str]:
    """Role name -> role ARN (role names are unique in an account, whatever their path)."""
    return {r["RoleName"]: r["Arn"] for r in gaad.get("RoleDetailList") or [] if "RoleName" in r and "Arn" in r}


def _strip_scheme(url: str) -> str:
    return url.split("://", 1)[-1]
