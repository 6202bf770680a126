"""Saved results (`scan --format json`) and the baseline filter: keep only findings that are new."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..collect.files import read_json
from ..errors import InputError


def is_result(obj: Any) -> bool:
    """A saved iamgraph result is a JSON object with `tool` and a `findings` list."""
    return isinstance(obj, dict) and "tool" in obj and isinstance(obj.get("findings"), list)


def check_result(obj: Any, *, file: str) -> dict[str, Any]:
    """Validate a parsed result: every finding an object with a string `id` (InputError otherwise)."""
    if not is_result(obj):
        raise InputError("not an iamgraph JSON result (expected an object with \"tool\" and \"findings\"; "
                         "save one with `iamgraph scan --format json`)", file=file, path="$")
    for key in ("findings", "suppressed"):
        for i, f in enumerate(obj.get(key) or []):
            item = f.get("finding") if key == "suppressed" and isinstance(f, dict) else f
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                where = f"$.{key}[{i}]" + (".finding" if key == "suppressed" else "")
                raise InputError("finding without a string \"id\"", file=file, path=where + ".id")
    return obj


def load_result(path: str | Path) -> dict[str, Any]:
    """Read and validate a saved result file."""
    return check_result(read_json(path), file=str(path))


def known_ids(result: dict[str, Any]) -> set[str]:
    """Ids a result knows: its findings and the findings it had suppressed."""
    ids = {f["id"] for f in result.get("findings", [])}
    ids |= {s["finding"]["id"] for s in result.get("suppressed", []) or [] if isinstance(s, dict) and "finding" in s}
    return ids


def filter_new(report: dict[str, Any], baseline: dict[str, Any], *, file: str) -> dict[str, Any]:
    """A copy of `report` keeping only findings whose id the baseline does not know.

    Adds report["baseline"] = {file, new, resolved, unchanged}; resolved counts baseline findings
    whose id is absent from the current report (found or suppressed).
    """
    old = known_ids(baseline)
    current = known_ids(report)
    new = [f for f in report.get("findings", []) if f["id"] not in old]
    out = dict(report)
    out["findings"] = new
    out["baseline"] = {"file": file, "new": len(new), "resolved": len(old - current),
                       "unchanged": len(report.get("findings", [])) - len(new)}
    return out
