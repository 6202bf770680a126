"""Technique specs: the TOML loader, what families derive, and that the collector reads every
inventory kind a technique needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iamgraph.collect.live.inventory import REGIONAL_READERS
from iamgraph.collect.snapshot_io import parse_snapshot_document
from iamgraph.graph.build import build_graph
from iamgraph.techniques.base import Category
from iamgraph.techniques.case_builders import account, allow, arn, role, trust_service, user
from iamgraph.techniques.families import ExistingResource, NewPassRole
from iamgraph.techniques.families.spec_file import SpecError, build, load_file
from iamgraph.techniques.families.vehicles import Resource, inventory_kinds
from iamgraph.techniques.registry import catalogue

ROOT = Path(__file__).resolve().parents[2]
BASE = {
    "id": "lambda-x",
    "family": "new-passrole",
    "vehicle": "LAMBDA_FUNCTION",
    "steps": ["lambda:CreateFunction", "lambda:InvokeFunction"],
    "description": "d",
    "remediation": "r",
    "references": ["https://example.org/x"],
}


def _where(exc: pytest.ExceptionInfo[SpecError]) -> str:
    return str(exc.value)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"family": "new-role"}, r"t\[0\]\.family: 'new-role' is not one of new-passrole"),
        ({"vehicle": "LAMBDA"}, r"t\[0\]\.vehicle: 'LAMBDA' is not one of ANY"),
        (
            {"steps": ["lambda:CreateFunction", {"action": "lambda:InvokeFunction", "on": "NOPE"}]},
            r"t\[0\]\.steps\[1\]\.on: 'NOPE'",
        ),
        ({"steps": ["CreateFunction"]}, r"t\[0\]\.steps\[0\]: expected \"service:Action\""),
        ({"steps": []}, r"t\[0\]\.steps: expected a non-empty list"),
        ({"needs_inventory": True}, r"t\[0\]: unknown key\(s\) needs_inventory for family new-passrole"),
        ({"references": "https://x"}, r"t\[0\]\.references: expected a list"),
        ({"category": "lateral"}, r"t\[0\]\.category: 'lateral' is not one of"),
        ({"description": " "}, r"t\[0\]\.description: expected a non-empty string"),
    ],
)
def test_bad_spec_names_the_table_and_key(change: dict, message: str) -> None:
    with pytest.raises(SpecError) as exc:
        build({**BASE, **change}, "f.toml: t[0]")
    assert re.search(message, _where(exc)), _where(exc)
    assert _where(exc).startswith("f.toml: t[0]")


def test_missing_keys_and_a_vehicle_without_inventory_for_an_existing_family() -> None:
    with pytest.raises(SpecError, match=r"t\[0\]: missing references, remediation"):
        build({k: v for k, v in BASE.items() if k not in ("references", "remediation")}, "f.toml: t[0]")
    with pytest.raises(SpecError, match="vehicle GLUE_SESSION has no inventory kind"):
        build(
            {**BASE, "family": "existing-resource", "vehicle": "GLUE_SESSION", "steps": ["glue:RunStatement"]},
            "f.toml: t[0]",
        )


def test_malformed_toml_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text("[[technique]]\nid = \n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"^x\.toml: "):
        load_file(bad)
    bad.write_text("[other]\na = 1\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"x\.toml: expected only \[\[technique\]\] tables"):
        load_file(bad)


def test_family_derives_actions_name_category_and_inventory_need() -> None:
    t = build(BASE, "t")
    assert isinstance(t, NewPassRole) and not t.needs_inventory
    assert t.actions == ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction")
    assert t.name == "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction"
    assert t.category is Category.NEW_PASSROLE and t.service == "lambda.amazonaws.com"
    e = build({**BASE, "family": "existing-resource", "steps": ["lambda:UpdateFunctionCode"]}, "t")
    assert isinstance(e, ExistingResource) and e.needs_inventory and e.category is Category.EXISTING_PASSROLE
    assert e.actions == ("lambda:UpdateFunctionCode",) and e.inventory_service == "lambda"
    with pytest.raises(AttributeError):
        e.needs_inventory = False  # type: ignore[misc]  # a class property of the family, frozen


def test_generated_cases_cover_vulnerable_near_miss_and_conditional() -> None:
    for t in catalogue():
        kinds = {(c.vulnerable, c.conditional) for c in t.cases}
        assert (True, False) in kinds and (False, False) in kinds, t.id
        assert (True, True) in kinds, f"{t.id}: no conditional case"


def test_every_inventory_kind_a_technique_reads_is_collected() -> None:
    """An existing-resource technique is definite only with inventory: the collector must read it."""
    not_collected: set[str] = set()
    from iamgraph.techniques.families.cognito import IdentityPoolRoles

    needed = {
        (t.inventory_service if isinstance(t, ExistingResource) else t.existing_service)
        for t in catalogue()
        if isinstance(t, ExistingResource) or (isinstance(t, NewPassRole) and t.existing_service)
    }
    needed |= {"cognito-identity" for t in catalogue() if isinstance(t, IdentityPoolRoles)}
    assert needed - set(REGIONAL_READERS) == not_collected
    assert {svc for svc, _ in inventory_kinds()} - set(REGIONAL_READERS) == not_collected


def test_every_vehicle_arn_template_fills_in() -> None:
    for r in Resource:
        if r is Resource.ANY:
            continue
        concrete = r.template().format(account="111111111111")
        assert concrete.startswith("arn:aws:") and "{" not in concrete and "*" not in concrete, r


def test_contributing_example_is_a_working_spec(tmp_path: Path) -> None:
    """The spec shown in CONTRIBUTING.md loads, stays short, and its generated cases pass."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block is not None
    lines = block.group(1).strip().splitlines()
    assert 8 <= len(lines) <= 15
    spec = tmp_path / "lambda.toml"
    spec.write_text(block.group(1), encoding="utf-8")
    (t,) = load_file(spec)
    assert t.id == "lambda-example" and len(t.cases) >= 7
    from tests.techniques.test_catalogue import test_case

    for case in t.cases:
        test_case(t, case)


def test_stopped_instance_variant_needs_a_stopped_instance() -> None:
    """ec2-userdata-stopped-instance: definite for a stopped instance, none for a running one."""
    t = next(t for t in catalogue() if t.id == "ec2-userdata-stopped-instance")
    gaad = account(
        users=[user("dev", allow(["ec2:ModifyInstanceAttribute", "ec2:StartInstances"]))],
        roles=[role("ec2-admin", trust_service("ec2.amazonaws.com"), admin=True, instance_profile=True)],
    )

    def edges(state: str) -> list:
        item = {
            "arn": "arn:aws:ec2:us-east-1:111111111111:instance/i-1",
            "service": "ec2",
            "resource_type": "instance",
            "role_arn": arn("role", "ec2-admin"),
            "region": "us-east-1",
            "name": "i-1",
            "extra": {"state": state},
        }
        doc = {
            "format": "iamgraph-snapshot",
            "schema_version": "1",
            "accounts": [
                {
                    "account_id": "111111111111",
                    "authorization_details": gaad,
                    "inventory": [item],
                    "inventory_collected": ["ec2"],
                }
            ],
        }
        g = build_graph(parse_snapshot_document(doc, file="case"), [t])
        return [e for e in g.edges_between(arn("user", "dev"), arn("role", "ec2-admin")) if e.technique == t.id]

    assert edges("stopped") and not edges("stopped")[0].conditional
    assert not edges("running")
