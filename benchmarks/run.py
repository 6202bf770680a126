"""Benchmark runner: phase wall times, peak RSS and scaling on generated quota-scale accounts.

    python benchmarks/run.py --sizes 500,1000,2000,5000 [--seed 7] [--repeat 3] [--json results.json] [--no-cli]

For each size it generates (or reuses) benchmarks/data/acct-<size>.json, then measures, in a fresh
subprocess per size (so peak RSS is that size's alone): json.load of the file (the floor), then the
library phases load -> build_graph -> run_queries -> report_json -> render_html, and evaluator
throughput; then the end-to-end CLI (`iamgraph scan --input F --format json`) in its own process.
With `--repeat N` each of those processes runs N times and every time (json.load's included) is the
minimum of its N runs, peak RSS the maximum: on a shared host one run's `json.load` can take twice
its usual time, which would move the "x json_load" column as much as any change to iamgraph.
A phase whose function does not exist yet is reported as "missing" and the later phases that need
its output are skipped; the runner never fails because of it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PHASES = ("json_load", "load", "build_graph", "run_queries", "report_json", "render_html")
THROUGHPUT_ACTIONS = (
    "iam:PassRole",
    "sts:AssumeRole",
    "lambda:CreateFunction",
    "iam:CreatePolicyVersion",
    "s3:GetObject",
    "ec2:RunInstances",
)


def _maxrss_mb(usage: resource.struct_rusage) -> float:
    # Linux reports kilobytes, macOS bytes
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _resolve(dotted: str) -> Any:
    """Import `pkg.mod.attr`; raise LookupError with a readable reason when it does not exist yet."""
    mod_name, _, attr = dotted.rpartition(".")
    try:
        mod = __import__(mod_name, fromlist=[attr])
    except ImportError as exc:
        raise LookupError(f"{mod_name} not importable ({exc})") from None
    fn = getattr(mod, attr, None)
    if fn is None:
        raise LookupError(f"{dotted} does not exist yet")
    return fn


def _throughput(snapshot: Any, budget_s: float = 2.0) -> dict[str, Any]:
    """Decisions/s of the evaluator on (principal, catalogue-relevant action, '*') requests."""
    evaluate = _resolve("iamgraph.evaluate.engine.evaluate")
    from iamgraph.evaluate.types import PolicySet, Request

    principals = sorted([*snapshot.users, *snapshot.roles])
    sets = [
        (arn, PolicySet(identity=snapshot.identity_policies(arn), boundaries=snapshot.boundary_policies(arn)))
        for arn in principals
    ]
    n, start = 0, time.perf_counter()
    for arn, ps in sets:
        for action in THROUGHPUT_ACTIONS:
            evaluate(Request(arn, action, "*", open_world=True), ps)
            n += 1
        if time.perf_counter() - start > budget_s:
            break
    elapsed = time.perf_counter() - start
    return {"decisions": n, "seconds": round(elapsed, 4), "decisions_per_s": round(n / elapsed) if elapsed else None}


def child(path: str) -> dict[str, Any]:
    """Run every phase once on `path` in this process; return times (s), notes and peak RSS (MB)."""
    gc.disable()  # as the CLI does for its one short run (iamgraph.cli.app.main)
    times: dict[str, float | None] = dict.fromkeys(PHASES)
    notes: dict[str, str] = {}
    out: dict[str, Any] = {"file": path, "mb": round(os.path.getsize(path) / 1e6, 2), "times": times, "notes": notes}

    t = time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        json.load(fh)
    times["json_load"] = time.perf_counter() - t

    steps = (
        ("load", "iamgraph.api.load", lambda f, _: f([path])),
        ("build_graph", "iamgraph.api.build_graph", lambda f, prev: f(prev)),
        ("run_queries", "iamgraph.api.run", lambda f, prev: f(prev)),  # the typed Report
        ("report_json", "iamgraph.api.report_json", lambda f, prev: f(prev)),
        ("render_html", "iamgraph.render.html.render_html", None),
    )
    value: Any = None
    report: Any = None
    snapshot: Any = None
    for phase, dotted, call in steps:
        needs = report if phase == "render_html" else value
        if phase != "load" and needs is None:
            notes[phase] = "skipped: an earlier phase is missing"
            continue
        try:
            fn = _resolve(dotted)
        except LookupError as exc:
            notes[phase] = f"missing: {exc}"
            if phase != "render_html":
                value = None
            continue
        t = time.perf_counter()
        try:
            result = fn(report) if call is None else call(fn, value)
        except Exception as exc:
            notes[phase] = f"failed: {type(exc).__name__}: {exc}"
            value = None
            continue
        times[phase] = time.perf_counter() - t
        if phase == "load":
            snapshot = result
        if phase == "run_queries":
            report = result
        if phase == "report_json":
            out["report_bytes"] = len(result.encode())
            out["findings"] = len(report.findings) if hasattr(report, "findings") else None
            continue  # report_json output feeds nothing; keep `value` = the report
        if phase == "render_html":
            out["html_bytes"] = len(result.encode())
            continue
        value = result

    if snapshot is None:
        try:
            snapshot = _resolve("iamgraph.collect.loader.load_snapshot")([path])
        except Exception as exc:
            notes["throughput"] = f"no snapshot: {exc}"
    if snapshot is not None:
        try:
            out["throughput"] = _throughput(snapshot)
        except Exception as exc:
            notes["throughput"] = f"failed: {type(exc).__name__}: {exc}"
    out["peak_rss_mb"] = round(_maxrss_mb(resource.getrusage(resource.RUSAGE_SELF)), 1)
    return out


def run_child(path: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"file": str(path), "error": proc.stderr.strip().splitlines()[-1:] or ["child failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_cli(path: Path) -> dict[str, Any]:
    """Wall time and peak RSS of `iamgraph scan --input F --format json` (stdout discarded)."""
    exe = shutil.which("iamgraph") or str(Path(sys.executable).with_name("iamgraph"))
    if not Path(exe).exists():
        return {"error": "iamgraph executable not found"}
    t = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "scan", "--input", str(path), "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    lines = [ln.strip(" │╭╮╰╯─") for ln in err.splitlines()]
    return {
        "seconds": round(wall, 3),
        "peak_rss_mb": round(_maxrss_mb(usage), 1),
        "exit_code": proc.returncode,
        "stderr_tail": [ln for ln in lines if ln][-3:] if proc.returncode not in (0, 1) else [],
    }


def repeated(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One child result from N runs of it: each phase's minimum time, the maximum peak RSS, the
    first run's other fields; an error if any run failed or the runs disagree on the findings."""
    errors = [r for r in runs if "error" in r]
    if errors:
        return errors[0]
    if len({r.get("findings") for r in runs}) > 1:
        return {
            "file": runs[0]["file"],
            "error": [f"runs disagree on the findings: {[r.get('findings') for r in runs]}"],
        }
    out = dict(runs[0])
    out["times"] = {
        p: min((v for r in runs if (v := r["times"].get(p)) is not None), default=None) for p in runs[0]["times"]
    }
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    out["runs"] = len(runs)
    return out


def repeated_cli(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One CLI result from N runs: the minimum wall time, the maximum peak RSS; the first failing
    run (exit code other than 0 or 1) when there is one."""
    bad = [r for r in runs if "error" in r or r["exit_code"] not in (0, 1)]
    if bad:
        return bad[0]
    return {**runs[0], "seconds": min(r["seconds"] for r in runs), "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def ensure_file(size: int, seed: int, data_dir: Path) -> Path:
    path = data_dir / f"acct-{size}-s{seed}.json"
    if not path.exists() or not Path(f"{path}.truth.json").exists():
        from generate_account import main as generate

        generate(["--roles", str(size), "--seed", str(seed), "--out", str(path)])
    return path


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def table(results: list[dict[str, Any]]) -> str:
    head = [
        "roles",
        "MB",
        *PHASES,
        "library total",
        "× json_load",
        "CLI e2e",
        "peak RSS MB (lib/CLI)",
        "decisions/s",
        "findings",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['size']} | error: {r['error']} |")
            continue
        ts = r["times"]
        total = sum(v for k, v in ts.items() if k != "json_load" and v is not None) or None
        floor = ts["json_load"]
        cli = r.get("cli", {})
        tp = r.get("throughput", {})
        lines.append(
            "| "
            + " | ".join(
                [
                    str(r["size"]),
                    f"{r['mb']:.1f}",
                    *(_fmt(ts[p]) for p in PHASES),
                    _fmt(total),
                    _fmt(total / floor) if total and floor else "—",
                    _fmt(cli.get("seconds")),
                    f"{r['peak_rss_mb']:.0f} / {cli.get('peak_rss_mb', '—')}",
                    str(tp.get("decisions_per_s", "—")),
                    str(r.get("findings", "—")),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def scaling(results: list[dict[str, Any]]) -> list[str]:
    ok = [r for r in results if "error" not in r]
    if len(ok) < 2:
        return []
    lo, hi = min(ok, key=lambda r: r["size"]), max(ok, key=lambda r: r["size"])
    out = []
    for label, get in (
        ("library total", lambda r: sum(v for k, v in r["times"].items() if k != "json_load" and v is not None)),
        ("CLI e2e", lambda r: r.get("cli", {}).get("seconds")),
        ("json_load", lambda r: r["times"]["json_load"]),
    ):
        a, b = get(lo), get(hi)
        if a and b:
            out.append(f"- time({hi['size']})/time({lo['size']}) {label}: {b / a:.1f}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,1000,2000,5000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=HERE / "data")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    ap.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI measurement")
    ap.add_argument("--repeat", type=int, default=3, help="runs per process; times are the minimum (default 3)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child), default=str))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        path = ensure_file(size, args.seed, args.data_dir)
        print(f"… {size} roles: {path}", file=sys.stderr)
        r = {"size": size, **repeated([run_child(path) for _ in range(max(1, args.repeat))])}
        if not args.no_cli and "error" not in r:
            r["cli"] = repeated_cli([run_cli(path) for _ in range(max(1, args.repeat))])
        for phase, note in r.get("notes", {}).items():
            print(f"  {phase}: {note}", file=sys.stderr)
        if r.get("cli", {}).get("stderr_tail"):
            print(f"  CLI exit {r['cli']['exit_code']}: {' / '.join(r['cli']['stderr_tail'])}", file=sys.stderr)
        results.append(r)
    print(table(results))
    for line in scaling(results):
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count(), "results": results}, indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
