"""Fan-out (issue 12 §4) on a generated organisation of 20 accounts: the same JSON, byte for byte,
in one process, a process pool and a Dask local cluster; the same (source, admin account, definite)
answers as one merged scan; every planted chain definite, no near-miss definite; summaries cached by
snapshot hash."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from iamgraph import api
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.fanout import Mode, executor, read_manifest, run_fanout, split_snapshot

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("generate_org", ROOT / "benchmarks" / "generate_org.py")
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["generate_org"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    document, truth = gen.generate_org(20, 7, base="tiny")
    d = tmp_path_factory.mktemp("org")
    return {"doc": document, "truth": truth, "manifest": split_snapshot(document, d), "dir": d}


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def triples(report: dict[str, Any]) -> set[tuple[str, str, bool]]:
    return {
        (f["source"], f["admin_account"], f["conditional"])
        for f in report["findings"]
        if f["query"] == "privesc-to-admin"
    }


@pytest.fixture(scope="module")
def serial(org: dict[str, Any]) -> dict[str, Any]:
    with executor(Mode.SERIAL) as ex:
        return run_fanout(read_manifest(org["manifest"]), ex)[0]


def test_planted_chains_definite_and_near_misses_not(org: dict[str, Any], serial: dict[str, Any]) -> None:
    s = gen.score(serial, org["truth"])
    assert (s["planted"], s["planted_total"], s["near_miss_definite"]) == (12, 12, 0), s
    assert s["near_miss_total"] == 10
    # near-misses with a potential path are reported as potential, never silently dropped
    potential = {(f["source"], f["admin_account"]) for f in serial["findings"] if f["conditional"]}
    for name in ("external-id", "mfa-trust", "permission-set-edit-without-provision"):
        n = next(x for x in org["truth"]["near_misses"] if x["name"] == name)
        assert (n["source"], n["admin_account"]) in potential, name


def test_fanout_equals_one_merged_scan(org: dict[str, Any], serial: dict[str, Any]) -> None:
    merged = api.run_queries(
        api.build_graph(parse_snapshot_document(org["doc"], file="org.json")), ("privesc-to-admin",)
    )
    assert triples(serial) == triples(merged)
    assert len(triples(serial)) > 100


def test_identical_json_in_a_process_pool(org: dict[str, Any], serial: dict[str, Any]) -> None:
    with executor(Mode.PROCESS, workers=2) as ex:
        report, stats = run_fanout(read_manifest(org["manifest"]), ex)
    assert dumps(report) == dumps(serial)
    assert stats.accounts == 20 and stats.task_seconds > 0


def test_identical_json_on_dask(org: dict[str, Any], serial: dict[str, Any]) -> None:
    pytest.importorskip("distributed")
    import dask

    key = "distributed.worker.profile.enabled"
    before = dask.config.get(key)
    with executor(Mode.DASK, workers=2) as ex:
        report, _ = run_fanout(read_manifest(org["manifest"]), ex)
        # the local cluster's worker processes run without the statistical profiler
        assert ex.submit(functools.partial(dask.config.get, key)).result() is False
        assert ex.submit(functools.partial(dask.config.get, "distributed.admin.tick.interval")).result() == "1s"
    assert dumps(report) == dumps(serial)
    assert dask.config.get(key) == before  # this process's settings are restored


def test_summaries_are_cached_by_snapshot_hash(org: dict[str, Any], serial: dict[str, Any], tmp_path: Path) -> None:
    manifest = read_manifest(org["manifest"])
    cache = str(tmp_path / "cache")
    with executor(Mode.SERIAL) as ex:
        first, s1 = run_fanout(manifest, ex, cache_dir=cache)
        again, s2 = run_fanout(manifest, ex, cache_dir=cache)
        assert (s1.cached, s2.cached) == (0, 20) and dumps(again) == dumps(first) == dumps(serial)
        # change one account: only it is recomputed
        acct, path = manifest.accounts[5]
        d = json.loads(path.read_text())
        d["accounts"][0]["authorization_details"]["UserDetailList"].append(
            {
                "Path": "/",
                "UserName": "new-admin",
                "UserId": "AIDANEWADMIN00000001",
                "Arn": f"arn:aws:iam::{acct}:user/new-admin",
                "GroupList": [],
                "UserPolicyList": [
                    {
                        "PolicyName": "p",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*"}],
                        },
                    }
                ],
                "AttachedManagedPolicies": [],
            }
        )
        path.write_text(json.dumps(d))
        try:
            changed, s3 = run_fanout(read_manifest(org["manifest"]), ex, cache_dir=cache)
        finally:
            d["accounts"][0]["authorization_details"]["UserDetailList"].pop()
            path.write_text(json.dumps(d, separators=(",", ":")))
    assert s3.cached == 19
    assert (f"arn:aws:iam::{acct}:user/new-admin", acct, False) in triples(changed)


def test_findings_carry_the_admin_account(serial: dict[str, Any]) -> None:
    f = serial["findings"][0]
    assert f["path"][-1]["to"] == f"iamgraph:admin:{f['admin_account']}"
    assert serial["schema_version"] == "1.1" and len(serial["accounts"]) == 20
