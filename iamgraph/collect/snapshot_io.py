"""The iamgraph snapshot document (docs/snapshot-format.md) <-> Snapshot.

Reading checks `format` and `schema_version` first, then reads each account's GAAD with the GAAD
parser and the optional sections; writing produces exactly the documented shape.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..model import (
    SNAPSHOT_SCHEMA_VERSION,
    CollectionGap,
    IdentityProvider,
    IdpKind,
    InventoryResource,
    OrgNode,
    OrgNodeKind,
    Policy,
    PolicyKind,
    PolicyRef,
    ResourcePolicy,
    Snapshot,
    account_of,
)
from .assemble import SnapshotParts, finish
from .gaad import _ACCOUNT, json_type, read_gaad_into
from .gaad_export import document_json, gaad_of_account
from .org_sections import identity_center_json, organization_extras_json, read_identity_center, read_organization_extras

SNAPSHOT_FORMAT = "iamgraph-snapshot"


def is_snapshot_document(obj: Any) -> bool:
    return isinstance(obj, dict) and "format" in obj


def parse_snapshot_document(obj: dict[str, Any], *, file: str | None) -> Snapshot:
    """A parsed snapshot document -> Snapshot. Raises InputError (wrong version, bad section)."""
    parts = SnapshotParts()
    read_snapshot_into(parts, obj, file=file)
    return finish(parts)


# ---- reading -------------------------------------------------------------------------------


def _need(value: Any, kind: type | tuple[type, ...], what: str, *, file: str | None, path: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise InputError(f"{what} must be {_kind_name(kind)}, not {json_type(value)}", file=file, path=path)
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "an array", dict: "an object", int: "a number", bool: "a boolean"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _str(d: dict[str, Any], key: str, *, file: str | None, path: str, required: bool = False, default: str = "") -> str:
    if key not in d or d[key] is None:
        if required:
            raise InputError(f"missing {key}", file=file, path=path)
        return default
    return str(_need(d[key], str, key, file=file, path=f"{path}.{key}"))


def _arn(d: dict[str, Any], key: str, *, file: str | None, path: str, required: bool = True) -> str:
    v = _str(d, key, file=file, path=path, required=required)
    if v or required:
        bits = v.split(":", 5)
        if len(bits) != 6 or bits[0] != "arn" or not bits[1] or not bits[2]:
            raise InputError(f"not an ARN: {v!r}", file=file, path=f"{path}.{key}")
    return v


def _items(d: dict[str, Any], key: str, *, file: str | None, path: str) -> list[tuple[dict[str, Any], str]]:
    v = d.get(key)
    if v is None:
        return []
    _need(v, list, key, file=file, path=f"{path}.{key}")
    out = []
    for i, item in enumerate(v):
        _need(item, dict, f"{key} entry", file=file, path=f"{path}.{key}[{i}]")
        out.append((item, f"{path}.{key}[{i}]"))
    return out


def _strings(d: dict[str, Any], key: str, *, file: str | None, path: str) -> tuple[str, ...]:
    v = d.get(key)
    if v is None:
        return ()
    _need(v, list, key, file=file, path=f"{path}.{key}")
    for i, x in enumerate(v):
        _need(x, str, f"{key} entry", file=file, path=f"{path}.{key}[{i}]")
    return tuple(v)


def _document(parts: SnapshotParts, d: dict[str, Any], key: str, *, file: str | None, path: str) -> Any:
    if d.get(key) is None:
        raise InputError(f"missing {key}", file=file, path=path)
    return parts.document(d[key], file=file, path=f"{path}.{key}")


def check_header(obj: Any, *, file: str | None) -> None:
    """`format` must be iamgraph-snapshot and `schema_version` the one this iamgraph reads."""
    fmt = obj.get("format")
    if fmt != SNAPSHOT_FORMAT:
        raise InputError(f"unknown format {fmt!r} (expected {SNAPSHOT_FORMAT!r})", file=file, path="$.format")
    version = obj.get("schema_version")
    if version is None:
        raise InputError("snapshot has no schema_version", file=file, path="$")
    if str(version) != SNAPSHOT_SCHEMA_VERSION:
        raise InputError(
            f"snapshot schema_version {str(version)!r} is not supported "
            f"(this iamgraph reads {SNAPSHOT_SCHEMA_VERSION!r})",
            file=file,
            path="$.schema_version",
        )


def read_snapshot_into(parts: SnapshotParts, obj: Any, *, file: str | None) -> None:
    """Add everything in one snapshot document to `parts`."""
    _need(obj, dict, "snapshot", file=file, path="$")
    check_header(obj, file=file)
    accounts = obj.get("accounts")
    _need(accounts, list, "accounts", file=file, path="$.accounts")
    for i, acc in enumerate(accounts):
        _read_account(parts, acc, file=file, path=f"$.accounts[{i}]")
    org = obj.get("organization")
    if org is not None:
        _read_organization(
            parts, _need(org, dict, "organization", file=file, path="$.organization"), file=file, path="$.organization"
        )
        extras = read_organization_extras(org, file=file, path="$.organization")
        if extras is not None:
            parts.organization = extras
    if obj.get("identity_center") is not None:
        parts.identity_center = read_identity_center(obj["identity_center"], file=file)


def _read_account(parts: SnapshotParts, acc: Any, *, file: str | None, path: str) -> None:
    _need(acc, dict, "account", file=file, path=path)
    account = _str(acc, "account_id", file=file, path=path, required=True)
    if not _ACCOUNT.match(account):
        raise InputError(f"account_id must be 12 digits, not {account!r}", file=file, path=f"{path}.account_id")
    parts.add_account(account)
    gaad = acc.get("authorization_details")
    if gaad is None:  # IAM of this account is unknown: fail closed (the report is incomplete), never "no principals"
        parts.collection_gaps.append(
            CollectionGap(
                api="iam:GetAccountAuthorizationDetails",
                account=account,
                detail="the snapshot holds no authorization_details for this account",
            )
        )
    if gaad is not None:
        _need(gaad, (dict, list), "authorization_details", file=file, path=f"{path}.authorization_details")
        if gaad:  # an empty object is an account with nothing collected yet
            read_gaad_into(parts, gaad, file=file, path=f"{path}.authorization_details", account_id=account)
    for d, ipath in _items(acc, "identity_providers", file=file, path=path):
        text = _str(d, "type", file=file, path=ipath, required=True).lower()
        try:
            kind = IdpKind(text)
        except ValueError:
            raise InputError(
                f"identity provider type must be 'saml' or 'oidc', not {text!r}", file=file, path=f"{ipath}.type"
            ) from None
        parts.identity_providers.append(
            IdentityProvider(
                arn=_arn(d, "arn", file=file, path=ipath),
                kind=kind,
                url=_str(d, "url", file=file, path=ipath),
                client_ids=_strings(d, "client_ids", file=file, path=ipath),
            )
        )
    for d, ipath in _items(acc, "inventory", file=file, path=path):
        extra = d.get("extra") or {}
        _need(extra, dict, "extra", file=file, path=f"{ipath}.extra")
        parts.inventory.append(
            InventoryResource(
                arn=_arn(d, "arn", file=file, path=ipath),
                service=_str(d, "service", file=file, path=ipath, required=True),
                resource_type=_str(d, "resource_type", file=file, path=ipath, required=True),
                role_arn=_arn(d, "role_arn", file=file, path=ipath, required=False) or None,
                region=_str(d, "region", file=file, path=ipath),
                name=_str(d, "name", file=file, path=ipath),
                extra={str(k): v if isinstance(v, str) else json.dumps(v) for k, v in extra.items()},
            )
        )
    if acc.get("inventory_collected") is not None:
        services = _strings(acc, "inventory_collected", file=file, path=path)
        parts.inventory_collected[account] = parts.inventory_collected.get(account, frozenset()) | set(services)
    for d, ipath in _items(acc, "resource_policies", file=file, path=path):
        rarn = _arn(d, "resource_arn", file=file, path=ipath)
        doc = _document(parts, d, "policy", file=file, path=ipath)
        name = _str(d, "name", file=file, path=ipath)
        parts.resource_policies.append(
            ResourcePolicy(
                resource_arn=rarn,
                service=_str(d, "service", file=file, path=ipath, required=True),
                policy=Policy(PolicyRef(PolicyKind.RESOURCE, rarn, name), doc),
            )
        )
    for d, ipath in _items(acc, "collection_gaps", file=file, path=path):
        parts.collection_gaps.append(
            CollectionGap(
                api=_str(d, "api", file=file, path=ipath, required=True),
                region=_str(d, "region", file=file, path=ipath),
                detail=_str(d, "detail", file=file, path=ipath),
                account=account,
            )
        )


def _org_policies(
    parts: SnapshotParts, node: dict[str, Any], key: str, kind: PolicyKind, *, file: str | None, path: str
) -> tuple[Policy, ...]:
    out = []
    for d, ppath in _items(node, key, file=file, path=path):
        arn = _arn(d, "arn", file=file, path=ppath)
        doc = _document(parts, d, "document", file=file, path=ppath)
        out.append(Policy(PolicyRef(kind, arn, _str(d, "name", file=file, path=ppath)), doc))
    return tuple(out)


def _read_organization(parts: SnapshotParts, org: dict[str, Any], *, file: str | None, path: str) -> None:
    accounts = org.get("accounts") or {}
    _need(accounts, dict, "organization accounts", file=file, path=f"{path}.accounts")
    kinds = {k.value: k for k in OrgNodeKind}
    for account, nodes in accounts.items():
        apath = f"{path}.accounts[{json.dumps(account)}]"
        if not _ACCOUNT.match(account):
            raise InputError(f"account id must be 12 digits, not {account!r}", file=file, path=apath)
        _need(nodes, list, "org path", file=file, path=apath)
        out = []
        for i, node in enumerate(nodes):
            npath = f"{apath}[{i}]"
            _need(node, dict, "org node", file=file, path=npath)
            kind = kinds.get(_str(node, "kind", file=file, path=npath, required=True))
            if kind is None:
                raise InputError(f"org node kind must be one of {', '.join(kinds)}", file=file, path=f"{npath}.kind")
            out.append(
                OrgNode(
                    id=_str(node, "id", file=file, path=npath, required=True),
                    kind=kind,
                    name=_str(node, "name", file=file, path=npath),
                    scps=_org_policies(parts, node, "scps", PolicyKind.SCP, file=file, path=npath),
                    rcps=_org_policies(parts, node, "rcps", PolicyKind.RCP, file=file, path=npath),
                )
            )
        parts.org_paths[account] = tuple(out)


# ---- writing -------------------------------------------------------------------------------


def snapshot_document(
    accounts: list[dict[str, Any]], organization: dict[str, Any] | None = None, *, collected_at: str | None = None
) -> dict[str, Any]:
    """Wrap per-account dicts (documented shape: account_id, authorization_details, ...) and an
    optional organization section into a snapshot document."""
    doc: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "schema_version": SNAPSHOT_SCHEMA_VERSION,
        "generated_by": f"iamgraph {__version__}",
        "collected_at": collected_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "accounts": accounts,
    }
    if organization is not None:
        doc["organization"] = organization
    return doc


def _org_node_json(node: OrgNode) -> dict[str, Any]:
    def pols(ps: tuple[Policy, ...]) -> list[dict[str, Any]]:
        return [{"arn": p.ref.id, "name": p.ref.name, "document": document_json(p.document)} for p in ps]

    return {"id": node.id, "kind": node.kind.value, "name": node.name, "scps": pols(node.scps), "rcps": pols(node.rcps)}


def snapshot_to_document(snapshot: Snapshot, *, collected_at: str | None = None) -> dict[str, Any]:
    """A Snapshot as a snapshot document; loading it back gives equal entities and sections
    (collection gaps and account-less resource policies are written under the first account)."""
    accounts = list(snapshot.account_ids)
    out: list[dict[str, Any]] = []
    for i, account in enumerate(accounts):

        def here(arn: str) -> bool:
            owner = account_of(arn)
            return owner == account or (i == 0 and owner not in accounts)

        entry: dict[str, Any] = {
            "account_id": account,
            "authorization_details": gaad_of_account(snapshot, account, unreferenced_aws=i == 0),
            "identity_providers": [
                {"arn": p.arn, "type": p.kind.value, "url": p.url, "client_ids": list(p.client_ids)}
                for p in snapshot.identity_providers
                if here(p.arn)
            ],
            "inventory": [
                {
                    "arn": r.arn,
                    "service": r.service,
                    "resource_type": r.resource_type,
                    "role_arn": r.role_arn,
                    "region": r.region,
                    "name": r.name,
                    "extra": dict(r.extra),
                }
                for r in snapshot.inventory
                if here(r.arn)
            ],
            "inventory_collected": sorted(snapshot.inventory_collected),
            "resource_policies": [
                {
                    "resource_arn": rp.resource_arn,
                    "service": rp.service,
                    "name": rp.policy.ref.name,
                    "policy": document_json(rp.policy.document),
                }
                for rp in snapshot.resource_policies
                if here(rp.resource_arn)
            ],
            "collection_gaps": [
                {"api": g.api, "region": g.region, "detail": g.detail}
                for g in snapshot.collection_gaps
                if g.account == account or (i == 0 and g.account not in accounts)
            ],
        }
        out.append(entry)
    org = None
    if snapshot.org_paths or snapshot.organization is not None:
        org = {"accounts": {a: [_org_node_json(n) for n in nodes] for a, nodes in snapshot.org_paths.items()}}
        if snapshot.organization is not None:
            org.update(organization_extras_json(snapshot.organization))
    doc = snapshot_document(out, org, collected_at=collected_at)
    if snapshot.identity_center is not None:
        doc["identity_center"] = identity_center_json(snapshot.identity_center)
    return doc


def write_snapshot_document(doc: dict[str, Any], path: str | Path) -> None:
    """Write `doc` as UTF-8 JSON, atomically (a temp file renamed over `path`); an unwritable
    location is an InputError."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".iamgraph-", suffix=".json", dir=target.parent or ".")
    except OSError as exc:
        raise InputError(f"cannot write the snapshot ({exc.strerror or exc})", file=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, ensure_ascii=False, default=str)
            fh.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
