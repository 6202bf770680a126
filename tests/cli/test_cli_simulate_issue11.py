"""simulate: a principal by name, the action checked, --batch against --input, error lines exit non-zero."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iamgraph.cli import app

STAR = str(Path(__file__).parents[2] / "samples" / "freelancer-lambda-passrole-star.json")
DEPLOY = "arn:aws:iam::111122223333:role/deploy-admin"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin)


def test_principal_by_name_and_checked_action():
    r = run("simulate", "--input", STAR, "--principal", "freelancer", "--action", "iam:passrole", "--resource", DEPLOY)
    assert r.exit_code == 0 and r.stdout.startswith("Allowed") and "statement 4 (PassRole)" in r.stdout
    r = run("simulate", "--input", STAR, "--principal", "freelancer", "--action", "s3:GetObjct")
    assert r.exit_code == 2 and "did you mean s3:GetObject" in r.output and len(r.output.strip().splitlines()) == 1
    r = run("simulate", "--input", STAR, "--principal", "nobody", "--action", "s3:GetObject")
    assert r.exit_code == 2 and "no user or role named 'nobody'" in r.output


def test_batch_against_the_snapshot_derives_policies_and_context(tmp_path):
    lines = [
        {"id": "pass", "principal": "freelancer", "action": "iam:PassRole", "resource": DEPLOY},
        {
            "id": "fn",
            "principal": "arn:aws:iam::111122223333:user/contractors/freelancer",
            "action": "lambda:CreateFunction",
            "resource": "arn:aws:lambda:us-east-1:111122223333:function:other",
        },
        {"id": "admin", "principal": "deploy-admin", "action": "s3:DeleteBucket", "resource": "arn:aws:s3:::b"},
    ]
    f = tmp_path / "req.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    r = run("simulate", "--input", STAR, "--batch", f)
    assert r.exit_code == 0, r.output
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(o["id"], o["decision"]) for o in out] == [
        ("pass", "Allowed"),
        ("fn", "ImplicitlyDenied"),
        ("admin", "Allowed"),
    ]
    assert out[0]["allowed_by"][0]["sid"] == "PassRole"


def test_batch_error_lines_make_the_exit_code_non_zero(tmp_path):
    f = tmp_path / "req.jsonl"
    f.write_text(
        '{"id": 1, "principal": "freelancer", "action": "s3:GetObjct"}\n'
        '{"id": 2, "principal": "freelancer", "action": "s3:GetObject", "identity_policies": []}\n'
        "not json\n"
        '{"id": 4, "principal": "freelancer", "action": "iam:PassRole"}\n'
    )
    r = run("simulate", "--input", STAR, "--batch", f)
    assert r.exit_code == 2
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert "did you mean s3:GetObject" in out[0]["error"]
    assert "policies come from the snapshot" in out[1]["error"]
    assert out[2]["error"].startswith("line 3: not JSON")
    assert out[3]["decision"] == "Allowed"
    # self-contained mode: an error line also makes the exit non-zero
    r = run("simulate", "--batch", "-", stdin='{"id": "x", "principal": 5}\n')
    assert r.exit_code == 2 and "error" in json.loads(r.stdout.splitlines()[0])


def test_batch_refuses_single_request_options():
    r = run("simulate", "--input", STAR, "--batch", "-", "--principal", "freelancer", stdin="")
    assert r.exit_code == 2 and "--batch takes the requests from the file" in r.output
