"""Suite-wide Hypothesis defaults: no per-example deadline (a loaded 2-core machine makes the
200 ms default flaky without finding anything), and derandomised runs in CI (CI=true)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("iamgraph", deadline=None, derandomize=os.environ.get("CI") == "true", database=None)
settings.load_profile("iamgraph")
