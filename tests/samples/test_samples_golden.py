"""Golden semantics of the bundled samples (samples/README.md): who reaches admin, by which techniques,
citing which statements; negative samples have no definite path; reports are byte-stable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iamgraph.api import report_json, scan_files

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ACCT = "arn:aws:iam::111122223333"
ALL = sorted(p.name for p in SAMPLES.glob("*.json"))
NEGATIVE = [
    "freelancer-lambda-passrole-fixed.json",
    "freelancer-lambda-passrole-fixed.snapshot.json",
    "third-party-no-externalid.json",
    "third-party-externalid.json",
    "provisioning-boundary.json",
    "groups-s3-access.json",
]

_cache: dict[str, dict[str, Any]] = {}


def scan(name: str) -> dict[str, Any]:
    if name not in _cache:
        _cache[name] = scan_files([SAMPLES / name])
    return _cache[name]


def privesc(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["query"] == "privesc-to-admin"]


def definite_sources(report: dict[str, Any]) -> set[str]:
    return {f["source"] for f in privesc(report) if f["reaches_admin"] and not f["conditional"]}


def finding_for(report: dict[str, Any], source: str) -> dict[str, Any]:
    found = [f for f in privesc(report) if f["source"] == source]
    assert len(found) == 1, f"expected one privesc-to-admin finding for {source}, got {len(found)}"
    return found[0]


def techniques(finding: dict[str, Any]) -> list[str]:
    return [hop["technique"] for hop in finding["path"] if hop.get("technique")]


def is_subsequence(expected: list[str], actual: list[str]) -> bool:
    it = iter(actual)
    return all(any(a == e for a in it) for e in expected)


def hop(finding: dict[str, Any], technique: str) -> dict[str, Any]:
    hops = [h for h in finding["path"] if h.get("technique") == technique]
    assert hops, f"no {technique} hop in {techniques(finding)}"
    return hops[0]


def test_every_sample_is_covered() -> None:
    assert len(ALL) == 9  # three vulnerable/fixed pairs + groups-s3-access + multi-hop-chain + one snapshot
    assert set(NEGATIVE) < set(ALL)


@pytest.mark.parametrize("name", NEGATIVE)
def test_negative_samples_have_no_definite_path_to_admin(name: str) -> None:
    report = scan(name)
    assert definite_sources(report) == set()
    for f in privesc(report):
        assert not (f["reaches_admin"] and not f["conditional"]), f


def test_freelancer_passrole_star_reaches_deploy_admin_through_lambda() -> None:
    report = scan("freelancer-lambda-passrole-star.json")
    freelancer = f"{ACCT}:user/contractors/freelancer"
    assert definite_sources(report) == {freelancer}
    f = finding_for(report, freelancer)
    assert techniques(f)[:1] == ["lambda-001"]
    h = hop(f, "lambda-001")
    assert h["to"] == f"{ACCT}:role/deploy-admin"
    assert not h["conditional"]
    assert {"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"} <= set(h["actions"])
    passrole = [e for e in h["evidence"] if e["action"] == "iam:PassRole"]
    assert passrole, h["evidence"]
    # the PassRole grant is statement 4 (Sid "PassRole") of the inline policy lambda-freelance-dev
    assert any(
        "lambda-freelance-dev" in str(e["policy"]) and e["statement"] == 4 and e.get("sid") == "PassRole"
        for e in passrole
    ), passrole
    create = [e for e in h["evidence"] if e["action"] == "lambda:CreateFunction"]
    assert any(e["statement"] == 0 and e.get("sid") == "FreelancerFunctions" for e in create), create


def test_freelancer_fixed_has_no_definite_hop_to_deploy_admin() -> None:
    """A potential (conditional) hop, e.g. lambda-003 without inventory, is allowed; a definite one is not."""
    report = scan("freelancer-lambda-passrole-fixed.json")
    freelancer, deploy_admin = f"{ACCT}:user/contractors/freelancer", f"{ACCT}:role/deploy-admin"
    for f in report["findings"]:
        for h in f.get("path", []):
            if h["from"] == freelancer and h["to"] == deploy_admin:
                assert h["conditional"], h
                assert h["technique"] != "lambda-001", h


def _mentions(finding: dict[str, Any], text: str) -> bool:
    return text in str(finding.get("source")) or text in str(finding.get("target"))


def test_third_party_without_external_id_is_a_risky_trust() -> None:
    report = scan("third-party-no-externalid.json")
    risky = [f for f in report["findings"] if f["query"] == "risky-trust" and _mentions(f, "role/vendor-audit")]
    assert risky, [f["query"] for f in report["findings"]]


def test_third_party_with_external_id_is_not_a_risky_trust() -> None:
    report = scan("third-party-externalid.json")
    assert not [f for f in report["findings"] if f["query"] == "risky-trust" and _mentions(f, "role/vendor-audit")]


def test_hijackable_provisioner_reaches_admin_by_creating_a_user() -> None:
    report = scan("provisioning-hijackable.json")
    provisioner = f"{ACCT}:role/provisioner"
    assert definite_sources(report) == {provisioner}
    f = finding_for(report, provisioner)
    actions = {a for h in f["path"] for a in h.get("actions", [])}
    assert {"iam:CreateUser", "iam:CreateAccessKey"} <= actions
    assert actions & {"iam:AttachUserPolicy", "iam:PutUserPolicy"}


def test_multi_hop_chain() -> None:
    report = scan("multi-hop-chain.json")
    ci_bot, deployer = f"{ACCT}:user/ci/ci-bot", f"{ACCT}:role/deployer"
    assert definite_sources(report) == {ci_bot, deployer}
    chain = finding_for(report, ci_bot)
    assert is_subsequence(["sts-001", "ec2-001"], techniques(chain)), techniques(chain)
    assert hop(chain, "sts-001")["to"] == deployer
    assert hop(chain, "ec2-001")["to"] == f"{ACCT}:role/ops-admin"
    assert techniques(finding_for(report, deployer))[:1] == ["ec2-001"]
    # the documents were URL-encoded: evidence must still cite the decoded statement
    ev = [e for e in hop(chain, "ec2-001")["evidence"] if e["action"] == "iam:PassRole"]
    assert any(e.get("sid") == "PassInstanceRoles" for e in ev), ev


@pytest.mark.parametrize("name", ALL)
def test_report_is_byte_identical_across_runs(name: str) -> None:
    first = report_json(scan(name))
    second = report_json(scan_files([SAMPLES / name]))
    assert first == second
    ids = [f["id"] for f in scan(name)["findings"]]
    assert len(ids) == len(set(ids))


def test_fixed_freelancer_with_inventory_has_no_path_at_all() -> None:
    """With Lambda inventory (which function runs as which role), the potential lambda-003 path of
    the GAAD-only file is resolved: the freelancer's functions run as the harmless execution role."""
    report = scan("freelancer-lambda-passrole-fixed.snapshot.json")
    assert privesc(report) == []
    gaad_only = scan("freelancer-lambda-passrole-fixed.json")
    [potential] = privesc(gaad_only)
    assert potential["conditional"] and techniques(potential)[0] == "lambda-003"
    assert "inventory" in " ".join(potential["path"][0].get("missing", []))
