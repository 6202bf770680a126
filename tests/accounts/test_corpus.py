"""Corpus of accounts drawn from public privilege-escalation suites (see README.md).

`expected.json` states, per GAAD file, who must definitely reach admin (and by which technique),
who must not, who reaches admin only conditionally, and who is admin outright. These tests run the
whole pipeline through `iamgraph.api.scan_files` and report every mismatch at once, by source ARN.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

HERE = Path(__file__).parent
EXPECTED: list[dict] = json.loads((HERE / "expected.json").read_text())
ACCOUNT_ID = "123456789012"
EXTRA_TECHNIQUES = {"iam-set-default-policy-version", "iam-provisioning-user", "iam-provisioning-role"}
TECHNIQUE_ID = re.compile(r"^[a-z0-9]+-\d{3}$")
PRIVESC_QUERY = "privesc-to-admin"
CATEGORIES = ("definite_admin", "not_admin", "conditional_admin", "admins")


def _ids(entries: list[dict]) -> list[str]:
    return [e["file"].removesuffix(".json") for e in entries]


def _load_gaad(name: str) -> dict:
    return json.loads((HERE / name).read_text())


def _listed_arns(entry: dict) -> list[str]:
    return [*entry["definite_admin"], *entry["not_admin"], *entry["conditional_admin"], *entry["admins"]]


# --- the corpus itself is well formed (runs without the analysis engine) -------------------------


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_expected_names_only_principals_of_the_file(entry: dict) -> None:
    gaad = _load_gaad(entry["file"])
    known = {u["Arn"] for u in gaad["UserDetailList"]} | {r["Arn"] for r in gaad["RoleDetailList"]}
    missing = [a for a in _listed_arns(entry) if a not in known]
    assert not missing, f"{entry['file']}: expected.json names principals absent from the file: {missing}"
    listed = _listed_arns(entry)
    dupes = sorted({a for a in listed if listed.count(a) > 1})
    assert not dupes, f"{entry['file']}: principals listed in two categories: {dupes}"


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_technique_ids_are_well_formed(entry: dict) -> None:
    from iamgraph.techniques.registry import by_id

    catalogued = by_id()  # iamgraph additions (ids without a number) are valid once catalogued
    bad = {
        src: t
        for src, techs in entry["definite_admin"].items()
        for t in techs
        if not (TECHNIQUE_ID.match(t) or t in EXTRA_TECHNIQUES or t in catalogued)
    }
    assert not bad, f"{entry['file']}: malformed technique ids: {bad}"
    assert all(entry["definite_admin"].values()), f"{entry['file']}: a definite_admin source lists no technique"


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids(EXPECTED))
def test_gaad_references_resolve(entry: dict) -> None:
    """Every attached or boundary policy is in Policies, every group named by a user exists."""
    gaad = _load_gaad(entry["file"])
    policies = {p["Arn"] for p in gaad["Policies"]}
    groups = {g["GroupName"] for g in gaad["GroupDetailList"]}
    problems: list[str] = []
    for kind, items in (
        ("user", gaad["UserDetailList"]),
        ("group", gaad["GroupDetailList"]),
        ("role", gaad["RoleDetailList"]),
    ):
        for item in items:
            assert f":{ACCOUNT_ID}:" in item["Arn"], item["Arn"]
            refs = [m["PolicyArn"] for m in item["AttachedManagedPolicies"]]
            if "PermissionsBoundary" in item:
                refs.append(item["PermissionsBoundary"]["PermissionsBoundaryArn"])
            problems += [f"{item['Arn']} -> {r}" for r in refs if r not in policies]
            if kind == "user":
                problems += [f"{item['Arn']} in unknown group {g}" for g in item["GroupList"] if g not in groups]
    for p in gaad["Policies"]:
        defaults = [v for v in p["PolicyVersionList"] if v["IsDefaultVersion"]]
        if len(defaults) != 1 or defaults[0]["VersionId"] != p["DefaultVersionId"]:
            problems.append(f"{p['Arn']}: default version mismatch")
    assert not problems, f"{entry['file']}: dangling references:\n  " + "\n  ".join(problems)


# --- the analysis agrees with the corpus -------------------------------------------------------


@cache
def _scan(name: str) -> dict:
    from iamgraph.api import scan_files

    return scan_files([HERE / name])


def _findings_by_source(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in report.get("findings", []):
        if f.get("query", PRIVESC_QUERY) == PRIVESC_QUERY:
            out.setdefault(f["source"], []).append(f)
    return out


def _describe(findings: list[dict]) -> str:
    if not findings:
        return "no finding"
    parts = []
    for f in findings:
        kind = "conditional" if f.get("conditional") else "definite"
        hops = " -> ".join(str(h.get("technique")) for h in f.get("path", [])) or "(no path)"
        parts.append(f"{kind} reaches_admin={f.get('reaches_admin')} via {hops}")
    return "; ".join(parts)


def _definite(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f.get("reaches_admin") and not f.get("conditional")]


def _mismatches(entry: dict, category: str, report: dict) -> list[str]:
    by_source = _findings_by_source(report)
    problems: list[str] = []
    if category == "definite_admin":
        for src, techniques in entry["definite_admin"].items():
            found = by_source.get(src, [])
            hit = [f for f in _definite(found) if {h.get("technique") for h in f.get("path", [])} & set(techniques)]
            if not hit:
                problems.append(
                    f"MISSED   {src}\n           want definite via one of {techniques}\n"
                    f"           got  {_describe(found)}"
                )
    elif category == "not_admin":
        for src in entry["not_admin"]:
            if bad := _definite(by_source.get(src, [])):
                problems.append(
                    f"FALSE+   {src}\n           must not definitely reach admin\n           got  {_describe(bad)}"
                )
    elif category == "conditional_admin":
        for src in entry["conditional_admin"]:
            found = by_source.get(src, [])
            if _definite(found):
                problems.append(f"TOO SURE {src}\n           want conditional only\n           got  {_describe(found)}")
            elif not [f for f in found if f.get("reaches_admin") and f.get("conditional")]:
                problems.append(
                    f"MISSED   {src}\n           want a conditional path to admin\n           got  {_describe(found)}"
                )
    else:
        for src in entry["admins"]:
            if found := by_source.get(src):
                problems.append(
                    f"ADMIN    {src}\n           is admin outright, must not be an escalation\n"
                    f"           got  {_describe(found)}"
                )
    return problems


CASES = [(e, c) for e in EXPECTED for c in CATEGORIES if e[c]]


@pytest.mark.parametrize(("entry", "category"), CASES, ids=[f"{e['file'].removesuffix('.json')}-{c}" for e, c in CASES])
def test_scan_agrees_with_expected(entry: dict, category: str) -> None:
    report = _scan(entry["file"])
    problems = _mismatches(entry, category, report)
    total = len(entry[category])
    assert not problems, f"{entry['file']} [{category}]: {len(problems)} of {total} wrong\n  " + "\n  ".join(problems)


def test_mismatch_report_catches_a_wrong_engine() -> None:
    """The comparison itself must fail on an engine that calls every principal admin, or none."""
    entry = next(e for e in EXPECTED if e["definite_admin"] and e["not_admin"] and e["admins"])
    everyone = [*entry["definite_admin"], *entry["not_admin"], *entry["conditional_admin"], *entry["admins"]]
    all_admin = {
        "findings": [
            {
                "query": PRIVESC_QUERY,
                "source": a,
                "reaches_admin": True,
                "conditional": False,
                "path": [{"technique": "sts-001"}],
            }
            for a in everyone
        ]
    }
    assert _mismatches(entry, "not_admin", all_admin)
    assert _mismatches(entry, "admins", all_admin)
    assert _mismatches(entry, "definite_admin", {"findings": []})
