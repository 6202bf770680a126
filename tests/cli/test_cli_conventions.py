"""CLI conventions and filters (issue 11): one-line usage errors, -h/--version/-q everywhere, Choice types,
--min-severity/--status/--query/--skip-admins, gate effects in text, expired suppressions in JSON warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iamgraph.cli import app

SAMPLES = Path(__file__).parents[2] / "samples"
STAR = str(SAMPLES / "freelancer-lambda-passrole-star.json")
CHAIN = str(SAMPLES / "multi-hop-chain.json")
S3 = str(SAMPLES / "groups-s3-access.json")


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})


@pytest.mark.parametrize(
    "argv",
    [
        ["who-can", "s3:GetObject", "--bogus"],
        ["nosuch"],
        ["scan", "--format", "xml", "--input", STAR],
        ["path", "freelancer"],
        ["scan", "--fail-on", "urgent", "--input", STAR],
        ["scan", "--status", "maybe"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv):
    r = run(*argv)
    assert r.exit_code == 2, r.output
    out = r.stderr.strip() if r.stderr_bytes is not None else r.output.strip()
    assert len(out.splitlines()) == 1 and out.startswith("iamgraph: error: "), out
    assert "╭" not in r.output and "│" not in r.output


def test_version_and_short_help():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("iamgraph ")
    for cmd in ("scan", "reach", "who-can", "path", "check-policy", "simulate", "diff"):
        h = run(cmd, "-h")
        assert h.exit_code == 0 and "Usage:" in h.stdout, cmd


def test_help_shows_choices_and_file_metavars():
    h = CliRunner().invoke(app, ["scan", "-h"], env={"COLUMNS": "200"}).stdout
    assert "text|json|sarif" in h and "critical|high|medium|low" in h and "definite|conditional" in h
    assert "FILE" in h
    w = CliRunner().invoke(app, ["who-can", "-h"], env={"COLUMNS": "200"}).stdout
    assert "ACTION" in w and "RESOURCE" in w


@pytest.mark.parametrize(
    "cmd", [["scan"], ["reach", "freelancer"], ["path", "freelancer", "admin"], ["who-can", "iam:PassRole"]]
)
def test_q_means_quiet_everywhere(cmd):
    r = run(*cmd, "--input", STAR, "-q")
    assert r.exit_code == 0, r.output
    assert (
        r.stdout.strip().splitlines()[-1].endswith(tuple(f"finding{s}" for s in ("", "s")))
        or ")" in r.stdout.strip().splitlines()[-1]
    )


def test_misspelt_action_is_a_one_line_error_with_a_suggestion():
    r = run("who-can", "s3:GetObjct", "--input", S3)
    assert r.exit_code == 2
    assert "did you mean s3:GetObject" in r.output and len(r.output.strip().splitlines()) == 1
    r = run("who-can", "GetObject", "--input", S3)
    assert r.exit_code == 2 and "give service:Action" in r.output


def test_filters_on_scan():
    full = json.loads(run("scan", "--input", STAR, "-f", "json").stdout)
    assert {f["severity"] for f in full["findings"]} == {"critical", "low"}
    high = json.loads(run("scan", "--input", STAR, "-f", "json", "--min-severity", "high").stdout)
    assert [f["severity"] for f in high["findings"]] == ["critical"]
    assert high["summary"]["findings"] == 1 and high["summary"]["by_severity"]["low"] == 0
    skip = json.loads(run("scan", "--input", STAR, "-f", "json", "--skip-admins").stdout)
    assert [f["query"] for f in skip["findings"]] == ["privesc-to-admin"]
    cond = json.loads(run("scan", "--input", STAR, "-f", "json", "--status", "conditional").stdout)
    assert cond["findings"] == []
    only = json.loads(run("scan", "--input", STAR, "-f", "json", "--query", "admins").stdout)
    assert {f["query"] for f in only["findings"]} == {"admins"}


def test_filters_on_who_can():
    allf = json.loads(run("who-can", "s3:GetObject", "--input", S3, "-f", "json").stdout)["findings"]
    definite = json.loads(run("who-can", "s3:GetObject", "--input", S3, "-f", "json", "--status", "definite").stdout)
    assert definite["findings"] and all(not f["conditional"] for f in definite["findings"])
    assert len(definite["findings"]) < len(allf)
    no_admin = json.loads(run("who-can", "s3:GetObject", "--input", S3, "-f", "json", "--skip-admins").stdout)
    assert not any(f["source"].endswith("carol.admin") for f in no_admin["findings"])
    assert any(f["source"].endswith("carol.admin") for f in allf)


def test_gate_effects_are_in_the_text_and_expired_suppressions_in_json_warnings(tmp_path):
    base = tmp_path / "base.json"
    assert run("scan", "--input", STAR, "-f", "json", "-o", base).exit_code == 0
    ids = [f["id"] for f in json.loads(base.read_text())["findings"]]
    admins = [f["id"] for f in json.loads(base.read_text())["findings"] if f["query"] == "admins"]
    supp = tmp_path / "supp.json"
    supp.write_text(
        json.dumps(
            {
                "suppressions": [
                    {"id": admins[0], "reason": "break-glass", "expires": "2020-01-01"},
                    {"id": admins[1], "reason": "owner", "expires": "2099-01-01"},
                ]
            }
        )
    )
    r = run("scan", "--input", STAR, "--suppressions", supp, "--fail-on", "high", "-q")
    assert r.exit_code == 1
    assert "1 suppressed; exit 1: 1 finding \u2265 high" in r.stdout
    j = json.loads(run("scan", "--input", STAR, "--suppressions", supp, "-f", "json").stdout)
    assert any("expired on 2020-01-01" in w for w in j["warnings"])
    r = run("scan", "--input", STAR, "--baseline", base, "--fail-on", "high", "-q")
    assert r.exit_code == 0
    assert f"0 new since baseline (0 resolved, {len(ids)} unchanged); exit 0: nothing \u2265 high" in r.stdout


def test_scan_warns_about_account_statements_naming_no_real_action(tmp_path):
    g = json.loads(Path(STAR).read_text())
    user = next(u for u in g["UserDetailList"] if u["UserName"] == "freelancer")
    user["UserPolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"].append("lambda:InvokeFuntion")
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(g))
    j = json.loads(run("scan", "--input", path, "-f", "json").stdout)
    [w] = [w for w in j["warnings"] if "matches no IAM action" in w]
    assert "lambda-freelance-dev statement 0 (FreelancerFunctions) names lambda:InvokeFuntion" in w
    assert "did you mean lambda:InvokeFunction?" in w
    assert not [
        w
        for w in json.loads(run("scan", "--input", STAR, "-f", "json").stdout)["warnings"]
        if "matches no IAM action" in w
    ]


def test_json_summaries_agree_with_their_findings():
    for argv in (["scan"], ["path", "freelancer", "admin"], ["reach", "freelancer"]):
        j = json.loads(run(*argv, "--input", STAR, "-f", "json").stdout)
        assert j["summary"]["reaching_admin"] == 1, argv
        assert j["summary"]["findings"] == len(j["findings"])
        assert {
            f["severity"]
            for f in j["findings"]
            if f["reaches_admin"] and f["path"] and f["source"].endswith("/freelancer")
        } == {"critical"}, argv


@pytest.mark.parametrize(
    "argv", [["reach", "freelancer"], ["who-can", "iam:PassRole"], ["path", "freelancer", "admin"], ["scan"]]
)
@pytest.mark.parametrize("flag", ["--output", "--html"])
def test_unwritable_output_paths_are_one_line_exit_2(tmp_path, argv, flag):
    for target in (tmp_path / "missing" / "r.out", tmp_path):
        r = run(*argv, "--input", STAR, flag, target)
        assert r.exit_code == 2, (argv, flag, r.output)
        assert len(r.output.strip().splitlines()) == 1 and "cannot write" in r.output and "Traceback" not in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing half-written, no temp file left


def test_who_can_text_shows_the_whole_resource():
    r = run("who-can", "s3:GetObject", "--input", S3)
    assert r.exit_code == 0
    assert "dana.analyst -> arn:aws:s3:::acme-analytics-" in r.stdout
