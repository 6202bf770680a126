"""apply_gate and `scan --baseline/--suppressions/--fail-on`: baseline filtering, suppressions, thresholds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import iamgraph.cli  # noqa: F401  (registers every command)
from iamgraph import api
from iamgraph.cli.app import app
from iamgraph.errors import InputError
from iamgraph.gate import apply_gate as _apply_gate
from iamgraph.query.report import Report


def apply_gate(report: dict, **kw: object) -> tuple[dict, int, list[str]]:
    """The gate over a Report, results compared as the JSON documents they are written as."""
    out, code, notes = _apply_gate(Report.from_json(report), **kw)  # type: ignore[arg-type]
    return out.to_json(), code, notes


ROOT = Path(__file__).resolve().parents[2]
STAR = ROOT / "samples/freelancer-lambda-passrole-star.json"
FIXED = ROOT / "samples/freelancer-lambda-passrole-fixed.json"
TODAY = dt.date(2026, 3, 1)
runner = CliRunner()


@pytest.fixture(scope="module")
def star() -> dict:
    return api.scan_files([STAR])


@pytest.fixture(scope="module")
def fixed() -> dict:
    return api.scan_files([FIXED])


def _critical(report: dict) -> dict:
    return next(f for f in report["findings"] if f["severity"] == "critical" and f["query"] == "privesc-to-admin")


def _write(tmp_path: Path, name: str, obj: object) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(obj) if not isinstance(obj, str) else obj)
    return p


def _report(*severities: str) -> dict:
    fs = [
        {"id": f"id{i}", "query": "q", "severity": s, "source": "s", "target": "t", "path": []}
        for i, s in enumerate(severities)
    ]
    return {"tool": {"name": "iamgraph"}, "summary": {}, "findings": fs}


# ---- baseline -----------------------------------------------------------------------------------


def test_baseline_of_itself_leaves_nothing(tmp_path, star):
    base = _write(tmp_path, "base.json", star)
    out, code, notes = apply_gate(star, baseline=base, suppressions=None, fail_on="low")
    assert out["findings"] == [] and code == 0 and notes == []
    assert out["baseline"] == {"file": str(base), "new": 0, "resolved": 0, "unchanged": len(star["findings"])}
    assert out["summary"]["findings"] == 0


def test_baseline_keeps_only_new_ids(tmp_path, star, fixed):
    base = _write(tmp_path, "fixed.json", fixed)
    out, code, _ = apply_gate(star, baseline=base, suppressions=None, fail_on="critical")
    old_ids = {f["id"] for f in fixed["findings"]}
    assert {f["id"] for f in out["findings"]} == {f["id"] for f in star["findings"]} - old_ids
    assert _critical(star)["id"] in {f["id"] for f in out["findings"]}
    assert out["baseline"]["resolved"] == len(old_ids - {f["id"] for f in star["findings"]})
    assert code == 1
    assert out["summary"]["by_severity"]["critical"] == 1


def test_baseline_must_be_a_result(tmp_path, star):
    with pytest.raises(InputError, match="not an iamgraph JSON result") as e:
        apply_gate(star, baseline=STAR, suppressions=None, fail_on=None)
    assert str(STAR) in e.value.one_line()
    bad = _write(tmp_path, "bad.json", {"tool": {}, "findings": [{"id": "a"}, {"severity": "low"}]})
    with pytest.raises(InputError, match=r"\$\.findings\[1\]\.id"):
        apply_gate(star, baseline=bad, suppressions=None, fail_on=None)


# ---- suppressions -------------------------------------------------------------------------------


def test_suppression_by_id(tmp_path, star):
    crit = _critical(star)
    supp = _write(tmp_path, "s.json", {"suppressions": [{"id": crit["id"], "reason": "accepted until migration"}]})
    out, code, notes = apply_gate(star, baseline=None, suppressions=supp, fail_on="critical", today=TODAY)
    assert code == 0 and notes == []
    assert crit["id"] not in {f["id"] for f in out["findings"]}
    assert out["suppressed"] == [
        {"finding": crit, "reason": "accepted until migration", "suppression": 0, "expires": None}
    ]
    assert len(out["findings"]) == len(star["findings"]) - 1


def test_suppression_by_pattern_globs(tmp_path, star):
    supp = _write(
        tmp_path,
        "s.json",
        {
            "suppressions": [
                {
                    "pattern": {
                        "query": "privesc-to-admin",
                        "source": "arn:aws:iam::*:user/contractors/*",
                        "technique": "lambda-00?",
                    },
                    "reason": "contractor sandbox",
                }
            ]
        },
    )
    out, code, _ = apply_gate(star, baseline=None, suppressions=supp, fail_on="critical", today=TODAY)
    assert code == 0 and [s["finding"]["id"] for s in out["suppressed"]] == [_critical(star)["id"]]


@pytest.mark.parametrize(
    "pattern",
    [
        {"query": "risky-trust"},
        {"source": "*:user/alice*", "query": "privesc-to-admin"},
        {"technique": "ec2-*", "query": "privesc-to-admin"},
    ],
)
def test_non_matching_pattern_does_not_silence(tmp_path, star, pattern):
    supp = _write(tmp_path, "s.json", {"suppressions": [{"pattern": pattern, "reason": "x"}]})
    out, code, notes = apply_gate(star, baseline=None, suppressions=supp, fail_on="critical", today=TODAY)
    assert code == 1 and _critical(star) in out["findings"]
    assert any("matched no finding" in n for n in notes) or out["suppressed"]


def test_expired_suppression_stops_silencing_and_says_so(tmp_path, star):
    crit = _critical(star)
    supp = _write(tmp_path, "s.json", {"suppressions": [{"id": crit["id"], "reason": "r", "expires": "2026-02-28"}]})
    out, code, notes = apply_gate(star, baseline=None, suppressions=supp, fail_on="critical", today=TODAY)
    assert code == 1 and crit in out["findings"] and out["suppressed"] == []
    assert notes == [
        f"suppression #0 (id {crit['id']}) expired on 2026-02-28; it no longer silences (1 finding(s) reported again)"
    ]
    # the expiry day itself still silences
    out, code, notes = apply_gate(
        star, baseline=None, suppressions=supp, fail_on="critical", today=dt.date(2026, 2, 28)
    )
    assert code == 0 and notes == []


@pytest.mark.parametrize(
    "doc, where",
    [
        ({"suppression": []}, "at $:"),
        ({"suppressions": [{"id": "abc"}]}, "$.suppressions[0].reason"),
        ({"suppressions": [{"reason": "r"}]}, "$.suppressions[0]:"),
        ({"suppressions": [{"id": "a", "pattern": {"query": "x"}, "reason": "r"}]}, "$.suppressions[0]:"),
        (
            {"suppressions": [{"id": "a", "reason": "r"}, {"id": "b", "reason": "r", "expires": "31/01/2027"}]},
            "$.suppressions[1].expires",
        ),
        ({"suppressions": [{"pattern": {"sorce": "x"}, "reason": "r"}]}, "$.suppressions[0].pattern.sorce"),
        ({"suppressions": [{"id": "a", "reason": "r", "expire": "2027-01-01"}]}, "$.suppressions[0].expire"),
    ],
)
def test_malformed_suppression_file(tmp_path, star, doc, where):
    supp = _write(tmp_path, "s.json", doc)
    with pytest.raises(InputError) as e:
        apply_gate(star, baseline=None, suppressions=supp, fail_on=None, today=TODAY)
    line = e.value.one_line()
    assert str(supp) in line and where in line and "\n" not in line


# ---- fail-on ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "severities, fail_on, code",
    [
        (("critical",), "critical", 1),
        (("high",), "critical", 0),
        (("high",), "high", 1),
        (("medium", "low"), "high", 0),
        (("medium",), "medium", 1),
        (("low",), "medium", 0),
        (("low",), "low", 1),
        ((), "low", 0),
        (("high",), None, 0),
        (("critical",), "HIGH", 1),
    ],
)
def test_fail_on_thresholds(severities, fail_on, code):
    assert apply_gate(_report(*severities), baseline=None, suppressions=None, fail_on=fail_on)[1] == code


def test_conditional_findings_count_at_their_own_severity():
    r = _report("medium")
    r["findings"][0]["conditional"] = True
    assert apply_gate(r, baseline=None, suppressions=None, fail_on="medium")[1] == 1
    assert apply_gate(r, baseline=None, suppressions=None, fail_on="high")[1] == 0


def test_invalid_fail_on():
    with pytest.raises(InputError, match="--fail-on must be one of"):
        apply_gate(_report("low"), baseline=None, suppressions=None, fail_on="severe")


# ---- through the CLI ----------------------------------------------------------------------------


def test_scan_cli_exit_codes(tmp_path, fixed, star):
    r = runner.invoke(app, ["scan", "--input", str(STAR), "--format", "json", "--fail-on", "critical"])
    assert r.exit_code == 1, r.output
    assert _critical(star)["id"] in {f["id"] for f in json.loads(r.stdout)["findings"]}
    base = _write(tmp_path, "star.json", r.stdout)
    r = runner.invoke(
        app, ["scan", "--input", str(STAR), "--format", "json", "--fail-on", "low", "--baseline", str(base)]
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["findings"] == []
    supp = _write(
        tmp_path, "s.json", {"suppressions": [{"id": _critical(star)["id"], "reason": "r", "expires": "2000-01-01"}]}
    )
    r = runner.invoke(
        app, ["scan", "--input", str(STAR), "--format", "json", "--fail-on", "critical", "--suppressions", str(supp)]
    )
    assert r.exit_code == 1 and "expired on 2000-01-01" in r.stderr


def test_scan_cli_input_errors_exit_2(tmp_path):
    r = runner.invoke(app, ["scan", "--input", str(STAR), "--fail-on", "severe"])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "--fail-on" in r.stderr
    supp = _write(tmp_path, "s.json", "{not json")
    r = runner.invoke(app, ["scan", "--input", str(STAR), "--suppressions", str(supp)])
    assert r.exit_code == 2 and str(supp) in r.stderr and "Traceback" not in r.output
