"""Loading a group with many members is linear (issue 17: 20k users 2.0 s, 40k 8.2 s, 80k 30 s)."""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

from iamgraph.collect.loader import load_snapshot

ACCOUNT = "111122223333"


def _gaad(n: int) -> dict[str, object]:
    """n users in one group whose managed policy is missing (every member is named a referrer)."""
    return {
        "UserDetailList": [
            {"UserName": f"u{i}", "Arn": f"arn:aws:iam::{ACCOUNT}:user/u{i}", "Path": "/", "GroupList": ["big"]}
            for i in range(n)
        ],
        "GroupDetailList": [
            {
                "GroupName": "big",
                "Arn": f"arn:aws:iam::{ACCOUNT}:group/big",
                "Path": "/",
                "AttachedManagedPolicies": [{"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/gone"}],
            }
        ],
        "RoleDetailList": [],
        "Policies": [],
    }


def _load_time(tmp_path: Path, n: int) -> float:
    p = tmp_path / f"g{n}.json"
    p.write_text(json.dumps(_gaad(n)), encoding="utf-8")
    best = float("inf")
    gc.collect()
    gc.disable()  # the collector's full passes over a growing heap are not the loader's cost
    try:
        for _ in range(3):
            start = time.process_time()  # CPU of this process: other load on the machine does not count
            snap = load_snapshot([p])
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    assert len(snap.users) == n
    assert all(r.startswith("managed policy") for u in snap.users for r in snap.incomplete[u])
    [g] = snap.groups.values()
    assert snap.groups_of(snap.users[f"arn:aws:iam::{ACCOUNT}:user/u{n - 1}"]) == (g,)
    return best


def test_big_group_loads_in_linear_time(tmp_path: Path) -> None:
    small, large = _load_time(tmp_path, 8_000), _load_time(tmp_path, 40_000)
    # 5x the members: linear ~5x the CPU time, the quadratic loader was ~25x. Best of 3 against noise.
    assert large / small < 13, (small, large)
