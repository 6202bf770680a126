"""docs/report.schema.json (draft 2020-12) describes every JSON document the CLI writes: each one
the commands produce on the samples validates, and the schema rejects what the contract forbids."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
from exporthelpers import FREELANCER, ROOT, SAMPLES
from typer.testing import CliRunner

from iamgraph import api
from iamgraph.cli import app

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
FIXED = ROOT / "samples" / "freelancer-lambda-passrole-fixed.json"
runner = CliRunner()


def _json(*args: object) -> Any:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code in (0, 1), (args, r.output)
    return json.loads(r.stdout)


def _valid(doc: Any, what: str) -> None:
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, f"{what}: " + "; ".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5])


def test_schema_is_draft_2020_12_and_versioned_with_the_output() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    versions = SCHEMA["$defs"]["reportFields"]["properties"]["schema_version"]["enum"]
    # the version the code writes is described, and the schema names the newest one it knows
    assert api.REPORT_SCHEMA_VERSION in versions
    assert SCHEMA["x-schema-version"] == max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))
    assert all(v.split(".")[0] == "1" for v in versions) and SCHEMA["$id"].endswith(":1")


def test_every_query_command_output_validates(tmp_path: Path) -> None:
    for sample in SAMPLES:
        _valid(_json("scan", "-i", sample, "-f", "json"), f"scan {sample.name}")
        snap = api.load([sample])
        for arn in sorted([*snap.users, *snap.roles])[:4]:
            _valid(_json("reach", arn, "-i", sample, "-f", "json"), f"reach {arn}")
            _valid(_json("path", arn, "admin", "-i", sample, "-f", "json"), f"path {arn}")
        _valid(_json("who-can", "s3:GetObject", "-i", sample, "-f", "json"), f"who-can {sample.name}")
        _valid(_json("who-can", "iam:PassRole", "*", "-i", sample, "-f", "json"), f"who-can {sample.name}")
    out = tmp_path / "scan.json"
    runner.invoke(app, ["scan", "-i", str(FREELANCER), "-f", "json", "-o", str(out)])
    _valid(json.loads(out.read_text(encoding="utf-8")), "scan --output")


def test_gated_diff_and_what_if_outputs_validate(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(json.dumps(_json("scan", "-i", FIXED, "-f", "json")), encoding="utf-8")
    star = _json("scan", "-i", FREELANCER, "-f", "json")
    supp = tmp_path / "supp.json"
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    supp.write_text(
        json.dumps({"suppressions": [{"id": star["findings"][0]["id"], "reason": "accepted", "expires": expires}]})
    )
    gated = _json(
        "scan", "-i", FREELANCER, "-f", "json", "--baseline", base, "--suppressions", supp, "--fail-on", "low"
    )
    assert "baseline" in gated and gated["suppressed"] and "gate" in gated
    _valid(gated, "scan --baseline --suppressions --fail-on")
    for old, new in ((FIXED, FREELANCER), (FREELANCER, FIXED), (base, FREELANCER)):
        d = _json("diff", old, new, "-f", "json", "--fail-on", "medium")
        assert d["kind"] == "diff"
        _valid(d, f"diff {old.name} {new.name}")
    policy = tmp_path / "p.json"
    policy.write_text(
        json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
        )
    )
    for extra in ((), ("--no-suggest",)):
        c = _json("check-policy", policy, "-i", FIXED, "--attach-to", "freelancer", "-f", "json", *extra)
        assert c["kind"] == "check-policy" and c["opens_admin_path"] is True
        _valid(c, "check-policy")


def test_simulate_and_techniques_outputs_validate(tmp_path: Path) -> None:
    user = "arn:aws:iam::111122223333:user/contractors/freelancer"
    for action in ("iam:PassRole", "s3:GetObject", "lambda:CreateFunction"):
        _valid(_json("simulate", "-i", FREELANCER, "--principal", user, "--action", action, "--format", "json"), action)
    batch = tmp_path / "req.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps({"id": str(i), "principal": user, "action": a, "resource": "*"})
            for i, a in enumerate(("iam:PassRole", "s3:GetObject"))
        )
        + "\n"
    )
    r = runner.invoke(app, ["simulate", "-i", str(FREELANCER), "--batch", str(batch), "--format", "json"])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    assert len(lines) == 2
    for ln in lines:
        _valid(json.loads(ln), "simulate --batch")
    _valid(_json("techniques", "-f", "json"), "techniques")
    _valid(_json("queries", "-f", "json"), "queries")
    _valid(_json("query", "who-can", "-i", FREELANCER, "--param", "action=iam:PassRole", "-f", "json"), "query who-can")


def test_fanout_output_validates(tmp_path: Path) -> None:
    """`fanout` writes a report too (an organisation generated by benchmarks/generate_org.py)."""
    out = tmp_path / "org"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate_org.py"),
            "--accounts",
            "20",
            "--seed",
            "3",
            "--base",
            "tiny",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    doc = _json("fanout", out / "manifest.json", "--executor", "serial", "-f", "json")
    assert doc["findings"] and len(doc["accounts"]) == 20
    _valid(doc, "fanout")


def test_schema_rejects_what_the_contract_forbids() -> None:
    good = _json("scan", "-i", FREELANCER, "-f", "json")
    _valid(good, "baseline document")
    good["some_future_field"] = {"x": 1}  # additions are allowed
    good["findings"][0]["incomplete"] = ["managed policy arn:aws:iam::aws:policy/X is not in the input"]
    _valid(good, "document with additions")

    def broken(edit: Any) -> dict[str, Any]:
        doc = copy.deepcopy(good)
        edit(doc)
        return doc

    bad = [
        broken(lambda d: d.pop("summary")),
        broken(lambda d: d.update(schema_version="2")),
        broken(lambda d: d.update(schema_version=1)),
        broken(lambda d: d["findings"][0].update(severity="urgent")),
        broken(lambda d: d["findings"][0].pop("conditional")),
        broken(lambda d: d["findings"][0].update(id="not-a-fingerprint")),
        broken(lambda d: d["findings"][0]["path"][0].pop("evidence")),
        broken(lambda d: d["findings"][0]["path"][0]["evidence"][0].update(statement="4")),
        broken(lambda d: d["findings"][0]["path"][0].update(actions="iam:PassRole")),
        broken(lambda d: d["summary"]["by_severity"].update(info=0)),
        broken(lambda d: d.update(accounts=["1111"])),
        broken(lambda d: d.update(kind="diff")),  # a diff must carry its diff
    ]
    for i, doc in enumerate(bad):
        assert not VALIDATOR.is_valid(doc), f"case {i} was accepted"
