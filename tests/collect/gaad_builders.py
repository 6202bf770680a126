"""Helpers for the loader tests: small GAAD builders and a `write` fixture (import it into a test
module to use it; no conftest, so the tests tree stays free of same-named modules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "gaad"
ACCOUNT = "111122223333"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def user(name: str, **extra: Any) -> dict[str, Any]:
    return {"UserName": name, "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}", "Path": "/", **extra}


def role(name: str, trust: Any = None, **extra: Any) -> dict[str, Any]:
    trust = trust or doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    return {
        "RoleName": name,
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "Path": "/",
        "AssumeRolePolicyDocument": trust,
        **extra,
    }


def managed(name: str, *versions: tuple[str, bool, Any], account: str = ACCOUNT, **extra: Any) -> dict[str, Any]:
    return {
        "PolicyName": name,
        "Arn": f"arn:aws:iam::{account}:policy/{name}",
        "Path": "/",
        "PolicyVersionList": [{"VersionId": v, "IsDefaultVersion": d, "Document": body} for v, d, body in versions],
        **extra,
    }


def gaad(
    users: list[Any] = (), groups: list[Any] = (), roles: list[Any] = (), policies: list[Any] = ()
) -> dict[str, Any]:
    return {
        "UserDetailList": list(users),
        "GroupDetailList": list(groups),
        "RoleDetailList": list(roles),
        "Policies": list(policies),
    }


@pytest.fixture
def write(tmp_path: Path):
    """write(obj_or_bytes, name="in.json") -> path of a file holding it (JSON-encoded unless bytes/str)."""

    def _write(content: Any, name: str = "in.json") -> Path:
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        elif isinstance(content, str):
            p.write_text(content, encoding="utf-8")
        else:
            p.write_text(json.dumps(content, indent=2), encoding="utf-8")
        return p

    return _write
