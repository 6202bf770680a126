"""Resource limits measured end to end (docs/limits.md): time and peak RSS of `iamgraph scan
--format json` on accounts holding one oversized policy, beyond and at each limit.

    python benchmarks/limits.py [--out /tmp/limits]

Cases: a managed policy of 100,000 statements (rejected), of 10,000 (the limit, scanned); a
condition with 100,000 values (rejected) and with 10,000 (scanned); a 24-star wildcard in Action,
Resource and StringLike against 50,000-character names (scanned).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ACCOUNT = "111122223333"


def _gaad(doc: dict[str, Any], user_name: str = "alice") -> dict[str, Any]:
    arn = f"arn:aws:iam::{ACCOUNT}:policy/big"
    return {
        "UserDetailList": [
            {
                "UserName": user_name,
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/{user_name}",
                "Path": "/",
                "AttachedManagedPolicies": [{"PolicyName": "big", "PolicyArn": arn}],
            }
        ],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [
            {
                "PolicyName": "big",
                "Arn": arn,
                "Path": "/",
                "DefaultVersionId": "v1",
                "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": doc}],
            }
        ],
    }


def _statements(n: int) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": f"S{i}", "Effect": "Allow", "Action": f"s3:GetObject{i}", "Resource": "*"} for i in range(n)
        ],
    }


def _values(n: int) -> dict[str, Any]:
    vals = [f"AIDA{i:012d}*" for i in range(n)]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*", "Condition": {"StringLike": {"aws:userid": vals}}}
        ],
    }


def _wildcards() -> dict[str, Any]:
    pat = "a*" * 24 + "b"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:" + pat, "s3:" + pat],
                "Resource": "arn:aws:iam::*:user/" + pat,
                "Condition": {"StringLike": {"aws:username": pat}},
            }
        ],
    }


CASES = {
    "100,000 statements": lambda: _gaad(_statements(100_000)),
    "10,000 statements (limit)": lambda: _gaad(_statements(10_000)),
    "100,000 condition values": lambda: _gaad(_values(100_000)),
    "10,000 condition values (limit)": lambda: _gaad(_values(10_000)),
    "24-star wildcards, 2,000-char user name": lambda: _gaad(_wildcards(), user_name="a" * 2_000),
}


def run_case(path: Path) -> dict[str, Any]:
    exe = shutil.which("iamgraph") or str(Path(sys.executable).with_name("iamgraph"))
    t = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "scan", "--input", str(path), "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
    return {
        "seconds": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "exit": os.waitstatus_to_exitcode(status),
        "stderr": err.splitlines()[-1][:160] if err else "",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="iamgraph-limits-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("| case | file MB | exit | wall | peak RSS | message |")
    print("|---|---|---|---|---|---|")
    for name, build in CASES.items():
        path = folder / (name.split(" ")[0].replace(",", "") + "-" + str(abs(hash(name)) % 1000) + ".json")
        path.write_text(json.dumps(build()), encoding="utf-8")
        r = run_case(path)
        msg = r["stderr"].replace(str(path), "F").replace("|", "\\|")
        print(
            f"| {name} | {path.stat().st_size / 1e6:.1f} | {r['exit']} | {r['seconds']:.2f} s | {r['peak_rss_mb']} MB | {msg} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
