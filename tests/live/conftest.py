"""Fixtures for the live-collection tests: an isolated fake AWS environment and a moto account."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from livekit import fake_aws_env


@pytest.fixture(scope="session")
def moto_account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A populated account (see account_builder) in an in-process moto, built once per session;
    tests add uniquely named users only."""
    import account_builder as ab
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as mp:
        fake_aws_env(mp, tmp_path_factory.mktemp("aws"))
        with mock_aws():
            arns = ab.build_account()
            arns["org"] = ab.build_organization()
            yield arns


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/live/ carries the `live` marker (fast lane: -m "not browser and not live")."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.live)
