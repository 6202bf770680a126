"""Bundled catalogue of AWS managed policies (default version documents), read lazily once.

Used only to fill in an AWS managed policy that a principal references but the input lacks;
the document may lag behind AWS's current version, so callers keep the principal incomplete.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any

CATALOGUE_FILE = "aws_managed_policies.json.gz"


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    blob = resources.files("iamgraph.data").joinpath(CATALOGUE_FILE).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(blob))
    return data


def catalogue_source() -> str:
    """Where the bundled documents come from (e.g. 'moto 5.2.5 (...)')."""
    return str(_catalogue().get("source", "bundled catalogue"))


def aws_managed_key(arn: str) -> str | None:
    """'arn:<partition>:iam::aws:policy/<path><name>' -> '/<path><name>' (None for other ARNs)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or parts[4] != "aws" or not parts[5].startswith("policy/"):
        return None
    return parts[5][len("policy") :]


def lookup(arn: str) -> tuple[str, dict[str, Any]] | None:
    """(default version id, raw policy document) of an AWS managed policy, or None if unknown."""
    key = aws_managed_key(arn)
    if key is None:
        return None
    entry = _catalogue()["policies"].get(key)
    if entry is None:
        return None
    return str(entry[0]), entry[1]
