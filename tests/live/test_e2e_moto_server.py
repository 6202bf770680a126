"""End to end over HTTP: moto_server on 127.0.0.1, an account built through boto3 with a planted
lambda-001 escalation, and the real `iamgraph` CLI in a subprocess (profile `test`)."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from livekit import moto_server

from iamgraph.collect.snapshot_io import parse_snapshot_document

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
KEY_ID, SECRET = "AKIAE2EEXAMPLE000001", "e2eSecretExample/00000000000000000000000"
BUILD = """
import boto3, account_builder as ab, io, zipfile
arns = ab.build_escalation()
boto3.client("lambda").create_function(FunctionName="deploy", Runtime="python3.12", Role=arns["lambda_admin"],
                                       Handler="h.h", Code={"ZipFile": ab._zip()})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """moto_server plus an environment (profile `test`) pointing at it, with the account built."""
    tmp = tmp_path_factory.mktemp("e2e")
    with moto_server(tmp, KEY_ID, SECRET) as env:
        env["PYTHONPATH"] = str(HERE)
        subprocess.run([sys.executable, "-c", BUILD], env={**env, "AWS_PROFILE": "test"}, check=True, timeout=120)
        yield {"env": env, "tmp": str(tmp)}  # type: ignore[misc]


@functools.cache
def _cli() -> tuple[str, ...]:
    """The installed CLI; if commands_collect were not registered in iamgraph.cli, import it."""
    exe = str(VENV_BIN / "iamgraph")
    if "collect" in subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60).stdout:
        return (exe,)
    return (sys.executable, "-c", "import iamgraph.cli.commands_collect; from iamgraph.cli import main; main()")


def _iamgraph(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_cli(), *args], env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def collected(server: dict[str, Any]) -> tuple[dict[str, Any], subprocess.CompletedProcess[str], Path]:
    out = Path(server["tmp"]) / "snapshot.json"
    run = _iamgraph(["collect", "--profile", "test", "--region", "us-east-1", "--output", str(out)], server["env"])
    assert run.returncode == 0, run.stderr
    return json.loads(out.read_text()), run, out


def test_cli_collects_the_account_over_http(collected):
    doc, run, _ = collected
    snap = parse_snapshot_document(doc, file="snapshot.json")
    assert snap.account_ids == ("123456789012",)
    assert "arn:aws:iam::123456789012:user/freelancer" in snap.users
    admin = "arn:aws:iam::123456789012:role/lambda-admin"
    assert admin in snap.roles
    fn = next(i for i in snap.inventory if i.service == "lambda")
    assert (fn.name, fn.role_arn) == ("deploy", admin)
    assert "lambda" in snap.inventory_collected
    assert "wrote" in run.stderr and "collection gap" in run.stderr


def test_cli_output_and_snapshot_hold_no_credentials(collected):
    doc, run, out = collected
    for text in (out.read_text(), run.stdout, run.stderr):
        assert KEY_ID not in text and SECRET not in text


def _scan_exists(env: dict[str, str]) -> bool:
    return _iamgraph(["scan", "--help"], env).returncode == 0


SAVE_GAAD = """
import boto3, json, sys
pages = list(boto3.client("iam").get_paginator("get_account_authorization_details").paginate())
json.dump(pages, open(sys.argv[1], "w"), default=str)
"""


def test_live_scan_matches_offline_scan_of_the_same_account_saved_as_gaad(server, collected):
    """`scan --profile` over HTTP finds the same escalations as `scan --input` on the account's
    GAAD saved with boto3 (`default=str`, as users save it)."""
    env = server["env"]
    gaad = Path(server["tmp"]) / "gaad.json"
    subprocess.run(
        [sys.executable, "-c", SAVE_GAAD, str(gaad)], env={**env, "AWS_PROFILE": "test"}, check=True, timeout=120
    )
    live = _iamgraph(["scan", "--profile", "test", "--region", "us-east-1", "--format", "json"], env)
    offline = _iamgraph(["scan", "--input", str(gaad), "--format", "json"], env)
    assert live.returncode == 0, live.stderr
    assert offline.returncode == 0, offline.stderr

    def definite(report: str) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return {
            (f["source"], f["target"], f["id"], tuple(h["technique"] for h in f["path"]))
            for f in json.loads(report)["findings"]
            if f["query"] == "privesc-to-admin" and not f["conditional"]
        }

    assert definite(live.stdout) == definite(offline.stdout)
    assert any(src.endswith(":user/freelancer") and "lambda-001" in techs for src, _, _, techs in definite(live.stdout))


def test_live_scan_matches_offline_scan_of_the_saved_snapshot(server, collected):
    env = server["env"]
    assert _scan_exists(env)
    live = _iamgraph(["scan", "--profile", "test", "--region", "us-east-1", "--format", "json"], env)
    offline = _iamgraph(["scan", "--input", str(collected[2]), "--format", "json"], env)
    assert live.returncode in (0, 1), live.stderr
    assert offline.returncode == live.returncode, offline.stderr

    def key(report: str) -> set[tuple[str, str, str]]:
        return {(f["query"], f["source"], f["target"]) for f in json.loads(report)["findings"]}

    assert key(live.stdout) == key(offline.stdout)
    assert any(src.endswith(":user/freelancer") for _, src, _ in key(offline.stdout))
