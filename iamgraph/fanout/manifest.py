"""The organisation manifest: one snapshot file per account plus the small organisation context.

    {"format": "iamgraph-org-manifest", "schema_version": "1",
     "organization": {...snapshot organization section...}, "identity_center": {...} (optional),
     "accounts": [{"account_id": "111122223333", "snapshot": "accounts/111122223333.json"}, ...]}

Paths are relative to the manifest. `split_snapshot` turns one merged snapshot document into this
layout (each account file is an ordinary one-account snapshot document).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

MANIFEST_FORMAT = "iamgraph-org-manifest"


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    path: Path
    organization: dict[str, Any] | None
    identity_center: dict[str, Any] | None
    accounts: tuple[tuple[str, Path], ...]  # (account id, snapshot file), sorted by account

    @property
    def account_ids(self) -> tuple[str, ...]:
        return tuple(a for a, _ in self.accounts)


def is_manifest(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("format") == MANIFEST_FORMAT


def read_manifest(path: str | Path) -> Manifest:
    """Parse a manifest (InputError naming the file and JSON path on bad input)."""
    p = Path(path)
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the manifest ({exc})", file=str(p)) from None
    if not is_manifest(obj):
        raise InputError(f"format must be {MANIFEST_FORMAT!r}", file=str(p), path="$.format")
    accounts = obj.get("accounts")
    if not isinstance(accounts, list):
        raise InputError("accounts must be an array", file=str(p), path="$.accounts")
    out = []
    for i, a in enumerate(accounts):
        if (
            not isinstance(a, dict)
            or not isinstance(a.get("account_id"), str)
            or not isinstance(a.get("snapshot"), str)
        ):
            raise InputError("an account needs account_id and snapshot (strings)", file=str(p), path=f"$.accounts[{i}]")
        f = (p.parent / a["snapshot"]).resolve()
        if not f.is_file():
            raise InputError(
                f"snapshot file {a['snapshot']!r} not found", file=str(p), path=f"$.accounts[{i}].snapshot"
            )
        out.append((a["account_id"], f))
    return Manifest(
        path=p,
        organization=obj.get("organization"),
        identity_center=obj.get("identity_center"),
        accounts=tuple(sorted(out)),
    )


def write_manifest(
    directory: str | Path,
    accounts: list[dict[str, Any]],
    organization: dict[str, Any] | None,
    identity_center: dict[str, Any] | None = None,
) -> Path:
    """Write one snapshot file per account entry and the manifest; returns the manifest path."""
    d = Path(directory)
    (d / "accounts").mkdir(parents=True, exist_ok=True)
    rows = []
    for entry in sorted(accounts, key=lambda e: e["account_id"]):
        rel = f"accounts/{entry['account_id']}.json"
        doc = {"format": "iamgraph-snapshot", "schema_version": "1", "accounts": [entry]}
        (d / rel).write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
        rows.append({"account_id": entry["account_id"], "snapshot": rel})
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "schema_version": "1",
        "organization": organization,
        "accounts": rows,
    }
    if identity_center is not None:
        manifest["identity_center"] = identity_center
    out = d / "manifest.json"
    out.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return out


def split_snapshot(doc: dict[str, Any], directory: str | Path) -> Path:
    """A merged snapshot document -> per-account files + manifest."""
    return write_manifest(directory, list(doc["accounts"]), doc.get("organization"), doc.get("identity_center"))
