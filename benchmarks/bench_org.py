"""Organisation fan-out benchmark (not a timed test): one process, a process pool, a Dask local cluster.

    python benchmarks/generate_org.py --accounts 200 --seed 7 --out /tmp/iamgraph-org-200
    python benchmarks/bench_org.py --manifest /tmp/iamgraph-org-200/manifest.json --workers 2

Each mode runs in a fresh subprocess (so the driver's peak RSS is its own). Reports wall time,
speed-up over one process, the driver's peak RSS (taken before the report is loaded back for
scoring), the merge share (driver phases after the summaries / wall), the summed task CPU time,
bytes of summaries (spooled) and of their portal parts (returned to the driver), the
planted/near-miss score against OUT/truth.json and the SHA-256 of the JSON (identical across modes).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _one(manifest: Path, mode: str, workers: int) -> dict[str, object]:
    sys.path.insert(0, str(HERE.parent))
    from iamgraph.fanout import Mode, executor, read_manifest, write_fanout

    spec = importlib.util.spec_from_file_location("generate_org", HERE / "generate_org.py")
    gen = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory(prefix="iamgraph-bench-") as tmp:
        out = Path(tmp) / "report.json"
        t0 = time.perf_counter()
        with executor(Mode(mode), workers=workers) as ex:
            t_ready = time.perf_counter()
            with out.open("w", encoding="utf-8", newline="") as fh:
                stats = write_fanout(read_manifest(manifest), ex, fh)
        wall = time.perf_counter() - t0
        # the driver's high-water mark, before anything here loads the report back
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        digest = hashlib.sha256()
        with out.open("rb") as fb:
            for chunk in iter(lambda: fb.read(1 << 20), b""):
                digest.update(chunk)
        report = json.loads(out.read_text(encoding="utf-8"))
    truth = json.loads((manifest.parent / "truth.json").read_text())
    merge = stats.phase_seconds["match"] + stats.phase_seconds["merge"]
    return {
        "mode": mode,
        "workers": workers,
        "accounts": stats.accounts,
        "wall_s": round(wall, 2),
        "startup_s": round(t_ready - t0, 2),
        "phases_s": {k: round(v, 2) for k, v in stats.phase_seconds.items()},
        "task_cpu_s": round(stats.task_seconds, 1),
        "merge_share": round(merge / wall, 3),
        "driver_peak_rss_mb": round(rss, 1),
        "summary_mb": round(stats.summary_bytes / 1e6, 2),
        "portal_mb": round(stats.portal_bytes / 1e6, 2),
        "findings": report["summary"]["findings"],
        "score": gen.score(report, truth),
        "sha256": digest.hexdigest()[:16],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--modes", default="serial,process,dask")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one mode in this process
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.manifest, args.one, args.workers)))
        return 0
    rows = []
    for mode in args.modes.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--manifest", str(args.manifest), "--workers", str(args.workers), "--one", mode],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    base = next((r["wall_s"] for r in rows if r["mode"] == "serial"), None)
    print(
        "| mode | workers | wall s | speed-up | driver peak RSS MB | merge share | task CPU s | summaries MB | score | JSON sha256 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        sp = f"{base / r['wall_s']:.2f}x" if base else "-"
        s = r["score"]
        print(
            f"| {r['mode']} | {r['workers'] if r['mode'] != 'serial' else 1} | {r['wall_s']} | {sp} | "
            f"{r['driver_peak_rss_mb']} | {r['merge_share'] * 100:.1f} % | {r['task_cpu_s']} | {r['summary_mb']} | "
            f"{s['planted']}/{s['planted_total']} planted, {s['near_miss_definite']}/{s['near_miss_total']} near-miss definite | "
            f"{r['sha256']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
