"""risky-trust on SAML: the standard IAM Identity Center trust is expected; a missing or wrong SAML:aud is
flagged with remediation that says to add it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iamgraph import api

SAMPLE = Path(__file__).parents[2] / "samples" / "provisioning-boundary.json"
IDC = "arn:aws:iam::111122223333:saml-provider/AWSSSO_3f9a0c6d2b7e1a44_DO_NOT_DELETE"
OKTA = "arn:aws:iam::111122223333:saml-provider/Okta"


def _with_trust(tmp_path, provider: str, condition: dict | None) -> list:
    gaad = json.loads(SAMPLE.read_text())
    role = gaad["RoleDetailList"][0]
    stmt = role["AssumeRolePolicyDocument"]["Statement"][0]
    stmt["Principal"] = {"Federated": provider}
    if condition is None:
        stmt.pop("Condition", None)
    else:
        stmt["Condition"] = condition
    path = tmp_path / "g.json"
    path.write_text(json.dumps(gaad))
    report = api.run(api.build_graph(api.load([path])), ["risky-trust"])
    return [f for f in report.findings if f.detail("kind") == "saml"]


def test_identity_center_trust_is_expected(tmp_path):
    assert _with_trust(tmp_path, IDC, {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}) == []
    assert (
        _with_trust(tmp_path, IDC, {"StringEquals": {"SAML:aud": "https://eu-west-1.signin.aws.amazon.com/saml"}}) == []
    )


@pytest.mark.parametrize("condition", [None, {"StringEquals": {"SAML:aud": "https://evil.example/saml"}}])
def test_missing_or_wrong_audience_says_add(tmp_path, condition):
    for provider in (IDC, OKTA):
        [f] = _with_trust(tmp_path, provider, condition)
        assert f.severity_name in ("medium", "high")
        assert f.remediation.startswith("Add Condition StringEquals SAML:aud https://signin.aws.amazon.com/saml")


def test_other_idp_with_audience_is_a_low_entry_point_note(tmp_path):
    [f] = _with_trust(tmp_path, OKTA, {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})
    assert f.title.startswith("SAML federation trust") and f.remediation.startswith("Keep Condition")
