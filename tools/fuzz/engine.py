"""Mutation fuzzing of every input iamgraph reads: GAAD files, snapshots, `simulate --batch`
lines, suppression and baseline files, `check-policy` documents.

An input is *handled* when the CLI ends with exit 0/1 (a result) or exit 2 with one line on
stderr (an input error), without a traceback, within the time limit. Anything else (another exit
code, an exception escaping, a multi-line error, a hang) is a failure. Used by the bounded,
derandomised test in the suite (tests/pipeline/test_fuzz_inputs.py) and by the longer campaign
(tools/fuzz/campaign.py).
"""

from __future__ import annotations

import json
import random
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
SEED_FILES = (
    ROOT / "tests/data/gaad/cli_account.json",
    ROOT / "samples/freelancer-lambda-passrole-star.json",
    ROOT / "samples/freelancer-lambda-passrole-fixed.snapshot.json",
)
STAR_SAMPLE = ROOT / "samples/freelancer-lambda-passrole-star.json"
HUGE_BYTES = 64 << 20  # inputs above this are written sparse (iamgraph rejects them by size, before reading)


class Target(str, Enum):
    """Which input the mutated bytes are fed as."""

    GAAD = "gaad"
    SNAPSHOT = "snapshot"
    BATCH = "batch"
    SUPPRESSIONS = "suppressions"
    BASELINE = "baseline"
    CHECK_POLICY = "check-policy"


class Verdict(str, Enum):
    RESULT = "result"  # exit 0 or 1
    INPUT_ERROR = "input-error"  # exit 2, one line
    FAILURE = "failure"  # anything else
    HANG = "hang"  # over the time limit


@dataclass(frozen=True, kw_only=True)
class Outcome:
    target: Target
    verdict: Verdict
    seconds: float
    detail: str = ""


# ---- hostile values -----------------------------------------------------------------------

HOSTILE_STRINGS = (
    "a*" * 24 + "b",
    "*a" * 24 + ":b",
    "?" * 300,
    "[/x]",
    "[bold]x[/bold]",
    "\\" * 50_000,
    "\x1b]0;t\x07\x1b[2J",
    "\u202e\u200b\ufeff",
    "\ud800",
    "x" * 300_000,
    "${aws:username}" * 50,
    "${",
    "%7B%22",
    "arn:aws:iam::*:*",
    "\u0000",
    "é" * 1000,
    "",
    " ",
    "*",
)
HOSTILE_NUMBERS = ("9" * 5000, "-" + "1" * 4400, "1e999", "-0", "1.5e-400", "123456789012345678901234567890")


def _deep_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def _statement_flood(n: int) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}] * n}


def _hostile_document(rng: random.Random) -> Any:
    """A policy document meant to break something: deep, huge, odd encodings, duplicate keys."""
    kind = rng.randrange(7)
    if kind == 0:
        return quote('{"Version": "2012-10-17", "Statement": ' + _deep_list(rng.choice((50, 5000, 100_000))) + "}")
    if kind == 1:
        return _statement_flood(rng.choice((10, 20_000)))
    if kind == 2:
        vals = [f"v{i}*" for i in range(rng.choice((10, 20_000)))]
        return {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"aws:userid": vals}}}
            ],
        }
    if kind == 3:
        return '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    if kind == 4:
        return quote('{"Statement": [{"Effect": "Allow", "Action": "\\ud800", "Resource": "*"}]}')
    if kind == 5:
        pat = rng.choice(HOSTILE_STRINGS[:3])
        return {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:" + pat, "iam:" + pat],
                    "Resource": "arn:aws:s3:::" + pat,
                    "Condition": {
                        "StringLike": {"aws:username": pat},
                        "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::" + pat},
                    },
                }
            ],
        }
    return {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "NotAction": rng.choice(HOSTILE_STRINGS),
            "NotResource": rng.choice(HOSTILE_STRINGS),
        },
    }


# ---- structural mutation of parsed JSON ---------------------------------------------------


def _containers(value: Any) -> list[Any]:
    out: list[Any] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict) and v:
            out.append(v)
            stack.extend(v.values())
        elif isinstance(v, list) and v:
            out.append(v)
            stack.extend(v)
    return out


def _wrong_value(rng: random.Random) -> Any:
    return rng.choice(
        [
            None,
            True,
            0,
            -1,
            2**70,
            1.5,
            "",
            [],
            {},
            [1, "x"],
            {"Effect": 1},
            "%7B",
            "*",
            "Allow",
            "arn:aws:iam::111122223333:user/z",
            rng.choice(HOSTILE_STRINGS),
            _hostile_document(rng),
        ]
    )


def mutate_structure(obj: Any, rng: random.Random) -> Any:
    """Delete keys, replace values by wrong types or hostile values, duplicate entries."""
    for _ in range(rng.randint(1, 4)):
        containers = _containers(obj)
        if not containers:
            break
        target = rng.choice(containers)
        if isinstance(target, dict):
            key = rng.choice(sorted(target, key=str))
            op = rng.randrange(3)
            if op == 0:
                del target[key]
            elif op == 1:
                target[key] = _wrong_value(rng)
            elif not isinstance(target[key], (dict, list)):  # shared containers would grow exponentially
                target[rng.choice(HOSTILE_STRINGS[3:9])] = target[key]
        else:
            i = rng.randrange(len(target))
            if rng.random() < 0.3 and not isinstance(target[i], (dict, list)):
                target.append(target[i])
            else:
                target[i] = _wrong_value(rng)
    return obj


# ---- textual mutation of JSON text / bytes -----------------------------------------------


def mutate_text(text: str, rng: random.Random) -> bytes:
    """Numbers, nesting, duplicate keys, escapes, truncation, byte flips, encodings."""
    op = rng.randrange(9)
    if op == 0:  # a number too long for int(), or odd floats
        i = text.find(":", rng.randrange(len(text)))
        if i >= 0:
            j = i + 1
            while j < len(text) and text[j] in " -+.0123456789eE":
                j += 1
            text = text[: i + 1] + rng.choice(HOSTILE_NUMBERS) + text[j:]
    elif op == 1:  # deep nesting somewhere in the file
        i = text.find("{", rng.randrange(len(text)))
        if i >= 0:
            text = text[: i + 1] + '"_deep": ' + _deep_list(rng.choice((900, 5000, 100_000))) + ", " + text[i + 1 :]
    elif op == 2:  # duplicate key (the file level: last wins)
        i = text.find('": ', rng.randrange(len(text)))
        j = text.rfind('"', 0, i)
        if i > 0 and j >= 0:
            key = text[j : i + 1]
            text = text[:j] + key + ': "dup", ' + text[j:]
    elif op == 3:  # lone surrogate / control escapes in a string
        i = text.find('"', rng.randrange(len(text)))
        if i >= 0:
            text = (
                text[: i + 1] + rng.choice(("\\ud800", "\\udfff", "\\u001b[2J", "\\u0000", "\\\\ud800")) + text[i + 1 :]
            )
    elif op == 4:  # truncate
        text = text[: rng.randrange(len(text))]
    data = text.encode("utf-8", "surrogatepass")
    if op == 5:  # byte flips
        raw = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    elif op == 6:  # encodings: BOMs, UTF-16, UTF-32, invalid UTF-8
        data = rng.choice(
            (
                b"\xef\xbb\xbf" + data,
                b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass"),
                text.encode("utf-16-be", "surrogatepass"),
                b"\xff\xfe\x00\x00" + text.encode("utf-32-le", "surrogatepass"),
                data + b"\xc3",
                b"\xc3\x28" + data,
            )
        )
    elif op == 7:  # non-JSON tails / heads
        data = rng.choice((data + b"}", b"[" + data, data + b"\n{}", b"\x00" * 4 + data))
    return data


# ---- running one input --------------------------------------------------------------------


class _Timeout(BaseException):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def fire(_sig: int, _frame: FrameType | None) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _cli(args: list[str]) -> tuple[int, str, BaseException | None]:
    from typer.testing import CliRunner

    from iamgraph.cli import app

    r = CliRunner().invoke(app, args)
    return r.exit_code, r.stderr, r.exception if not isinstance(r.exception, SystemExit) else None


def _judge(code: int, stderr: str, exc: BaseException | None) -> tuple[Verdict, str]:
    if exc is not None:
        if isinstance(exc, _Timeout):
            raise exc
        return Verdict.FAILURE, f"{type(exc).__name__}: {str(exc)[:200]}"
    if code in (0, 1):
        return Verdict.RESULT, ""
    lines = [ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith(("warning:", "note:"))]
    if code == 2 and len(lines) == 1 and "Traceback" not in stderr:
        return Verdict.INPUT_ERROR, lines[0][:200]
    return Verdict.FAILURE, f"exit {code}: {stderr.strip()[:300]}"


def _batch(data: bytes) -> tuple[Verdict, str]:
    from iamgraph.simulate.batch import run_batch

    text = data.decode("utf-8", "replace")
    for out in run_batch(text.splitlines()):
        obj = json.loads(out)
        out.encode("utf-8")  # what the CLI writes must be printable
        if "error" not in obj and "decision" not in obj:
            return Verdict.FAILURE, f"batch output without decision or error: {out[:200]}"
    return Verdict.RESULT, ""


def run_input(target: Target, data: bytes, *, limit_s: float = 5.0) -> Outcome:
    """Feed `data` as `target`; classify what happened (see the module doc)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.json"
        if len(data) > HUGE_BYTES:  # a huge input: its head, then a sparse tail up to its full size
            with path.open("wb") as fh:
                fh.write(data[: 1 << 20])
                fh.truncate(len(data))
        else:
            path.write_bytes(data)
        start = time.perf_counter()  # the time of iamgraph's work, not of writing the input
        try:
            with _time_limit(limit_s):
                if target is Target.BATCH:
                    verdict, detail = _batch(data[:HUGE_BYTES])
                else:
                    if target in (Target.GAAD, Target.SNAPSHOT):
                        args = ["scan", "--input", str(path), "--format", "json"]
                    elif target is Target.SUPPRESSIONS:
                        args = ["scan", "--input", str(STAR_SAMPLE), "--format", "json", "--suppressions", str(path)]
                    elif target is Target.BASELINE:
                        args = ["scan", "--input", str(STAR_SAMPLE), "--format", "json", "--baseline", str(path)]
                    else:
                        args = [
                            "check-policy",
                            str(path),
                            "--input",
                            str(STAR_SAMPLE),
                            "--attach-to",
                            "freelancer",
                            "--format",
                            "json",
                        ]
                    verdict, detail = _judge(*_cli(args))
        except _Timeout:
            return Outcome(target=target, verdict=Verdict.HANG, seconds=time.perf_counter() - start)
        except Exception as exc:
            verdict, detail = Verdict.FAILURE, f"{type(exc).__name__}: {str(exc)[:200]}"
    seconds = time.perf_counter() - start
    if seconds > limit_s:  # the alarm only interrupts Python code: judge by the wall clock too
        return Outcome(target=target, verdict=Verdict.HANG, seconds=seconds, detail=f"took {seconds:.1f} s: {detail}")
    return Outcome(target=target, verdict=verdict, seconds=seconds, detail=detail)


# ---- seeds per target ---------------------------------------------------------------------


def _seed_objects() -> dict[Target, list[Any]]:
    gaads = [json.loads(p.read_text(encoding="utf-8")) for p in SEED_FILES[:2]]
    snap = json.loads(SEED_FILES[2].read_text(encoding="utf-8"))
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S",
                "Effect": "Allow",
                "Action": ["iam:PassRole", "lambda:*"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
            }
        ],
    }
    batch = {
        "id": 1,
        "principal": "arn:aws:iam::111122223333:user/alice",
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::b/k",
        "context": {"aws:SourceIp": "10.0.0.1"},
        "identity_policies": [doc],
        "resource_policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]},
        "scps": [[doc]],
        "unknown_context_keys": ["aws:MultiFactorAuthPresent"],
    }
    sup = {
        "suppressions": [
            {"id": "f-1", "reason": "accepted", "expires": "2999-01-01"},
            {"pattern": {"source": "*freelancer*", "technique": "lambda-*"}, "reason": "known"},
        ]
    }
    from iamgraph import api

    baseline = api.scan_files([str(STAR_SAMPLE)])
    baseline = json.loads(api.report_json(baseline)) if not isinstance(baseline, dict) else baseline
    return {
        Target.GAAD: gaads,
        Target.SNAPSHOT: [snap],
        Target.BATCH: [batch],
        Target.SUPPRESSIONS: [sup],
        Target.BASELINE: [baseline],
        Target.CHECK_POLICY: [doc],
    }


_SEEDS: dict[Target, list[Any]] | None = None


def seeds() -> dict[Target, list[Any]]:
    global _SEEDS
    if _SEEDS is None:
        _SEEDS = _seed_objects()
    return _SEEDS


def make_input(target: Target, rng: random.Random) -> bytes:
    """One mutated input for `target`: a structural mutation, a textual one, or both."""
    obj = json.loads(json.dumps(rng.choice(seeds()[target]), default=str))
    mode = rng.randrange(3)
    if mode != 1:
        obj = mutate_structure(obj, rng)
    try:
        text = json.dumps(obj, ensure_ascii=rng.random() < 0.5, default=str)
    except ValueError:
        text = json.dumps(obj, default=str)
    if target is Target.BATCH:
        lines = [text, json.dumps(rng.choice(seeds()[target]))]
        text = "\n".join(lines)
    if mode != 0:
        return mutate_text(text, rng)
    return text.encode("utf-8", "surrogatepass")


def campaign(n: int, seed: int, on_outcome: Callable[[int, Outcome, bytes], None] | None = None) -> list[Outcome]:
    """`n` inputs spread over every target, reproducible from `seed`."""
    rng = random.Random(seed)
    targets = list(Target)
    out = []
    for i in range(n):
        target = targets[i % len(targets)]
        data = make_input(target, rng)
        o = run_input(target, data)
        if on_outcome is not None:
            on_outcome(i, o, data)
        out.append(o)
    return out
