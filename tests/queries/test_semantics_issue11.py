"""who-can without a resource means any resource; reach lists effective permissions per principal it can become;
a definite path to admin has one severity in every query; action names are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamgraph import api
from iamgraph.errors import InputError

SAMPLES = Path(__file__).parents[2] / "samples"


def _graph(name: str):
    return api.build_graph(api.load([SAMPLES / name]))


def _findings(graph, query: str, **params):
    report = api.run(graph, [query], params={query: params})
    return report.findings


def test_who_can_without_resource_finds_principals_scoped_to_a_bucket():
    graph = _graph("groups-s3-access.json")
    anywhere = _findings(graph, "who-can", action="s3:GetObject")
    on_star = _findings(graph, "who-can", action="s3:GetObject", resource="*")
    names = {f.source.rsplit("/", 1)[-1] for f in anywhere}
    assert {"dana.analyst", "hana.data"} <= names  # bucket-scoped statements
    assert "dana.analyst" not in {f.source.rsplit("/", 1)[-1] for f in on_star}  # missed before: literal *
    dana = next(f for f in anywhere if f.source.endswith("/dana.analyst"))
    assert dana.target.startswith("arn:aws:s3:::acme-analytics-")  # the whole resource, not "*"
    assert dana.conditional  # MFA condition


def test_who_can_rejects_a_misspelt_action():
    graph = _graph("groups-s3-access.json")
    with pytest.raises(InputError) as e:
        _findings(graph, "who-can", action="s3:GetObjct")
    assert "did you mean s3:GetObject" in e.value.one_line()


def test_reach_gives_effective_permissions_by_action_and_hop_count():
    graph = _graph("freelancer-lambda-passrole-star.json")
    findings = _findings(graph, "reach", principal="freelancer")
    own = next(f for f in findings if f.source == f.target)
    eff = {e["action"]: e["resources"] for e in own.detail("effective")}
    assert [r["resource"] for r in eff["iam:PassRole"]] == ["*"]
    assert eff["lambda:CreateFunction"][0]["resource"] == "arn:aws:lambda:*:111122223333:function:freelancer-*"
    assert eff["iam:PassRole"][0]["allowed_by"][0]["sid"] == "PassRole"
    assert own.detail("hops") == 0
    exec_role = next(f for f in findings if f.target.endswith("/lambda-exec-freelancer"))
    assert exec_role.detail("hops") == 1
    assert "logs:PutLogEvents" in {e["action"] for e in exec_role.detail("effective")}


def test_a_definite_path_to_admin_has_one_severity_everywhere():
    graph = _graph("freelancer-lambda-passrole-star.json")
    scan = [f for f in api.run(graph).findings if f.reaches_admin and f.query == "privesc-to-admin"]
    path = _findings(graph, "path", source="freelancer", target="admin")
    reach = [f for f in _findings(graph, "reach", principal="freelancer") if f.reaches_admin and f.path]
    severities = {f.severity_name for f in [*scan, *path, *reach]}
    assert scan and path and reach
    assert severities == {"critical"}
