"""Suite-wide Hypothesis defaults: no per-example deadline (a loaded 2-core machine makes the
200 ms default flaky without finding anything), and derandomised runs in CI (CI=true)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

settings.register_profile("iamgraph", deadline=None, derandomize=os.environ.get("CI") == "true", database=None)
settings.load_profile("iamgraph")


@pytest.fixture(scope="session")
def generated_500_account(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The benchmark's 500-role account (benchmarks/generate_account.py, seed 7), generated once per
    run: benchmarks/data/ is not in the repository."""
    spec = importlib.util.spec_from_file_location("_gen_account", ROOT / "benchmarks" / "generate_account.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen  # its dataclasses look their module up
    spec.loader.exec_module(gen)
    out = tmp_path_factory.mktemp("generated") / "acct-500-s7.json"
    gen.main(["--roles", "500", "--seed", "7", "--out", str(out)])
    return str(out)


@pytest.fixture
def account_file(request: pytest.FixtureRequest) -> str:
    """For `parametrize("account_file", [...], indirect=True)`: an account file by its path from the
    repository root, or "generated-500" for the session's generated 500-role account."""
    name: str = request.param
    return request.getfixturevalue("generated_500_account") if name == "generated-500" else name
