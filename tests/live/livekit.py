"""Helpers of the live-collection tests (constants, fake AWS environment, users with a policy).

A module with its own name: test modules import it as `livekit`, never as `conftest` (another
folder's conftest.py may hold that name in sys.modules).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT_KEY_ID, ROOT_SECRET = "AKIAROOTEXAMPLE00001", "rootSecretExample/0000000000000000000000"

# Operations that fail under moto for reasons unrelated to IAM permissions (moto 5.2):
# apprunner and Bedrock AgentCore are not implemented, ssm DescribeInstanceInformation is not
# implemented, and moto's SigV4 re-computation for Lambda's REST path fails once IAM authentication
# is enabled. (The AgentCore and App Runner readers are tested with Stubber instead.)
MOTO_UNIMPLEMENTED = {
    "apprunner:ListServices",
    "ssm:DescribeInstanceInformation",
    "bedrock-agentcore:ListCodeInterpreters",
}
MOTO_BROKEN_WITH_AUTH = MOTO_UNIMPLEMENTED | {"lambda:ListFunctions"}

# moto >= 5.2 authorises a request by its botocore *operation* name, not by the IAM action AWS
# checks: S3 ListBuckets is authorised as "s3:ListBuckets" although AWS (and our minimal policy)
# name it s3:ListAllMyBuckets (moto sets data["Action"]="ListAllMyBuckets" but no longer reads it).
# Test users get the alias beside the real action, so the tests pass on moto before and after.
MOTO_ACTION_ALIASES = {"s3:ListAllMyBuckets": "s3:ListBuckets"}


def with_moto_aliases(policy: dict[str, Any]) -> dict[str, Any]:
    """`policy` with moto's operation-name alias added next to each aliased IAM action."""
    statements = []
    for st in policy.get("Statement", []):
        actions = st.get("Action")
        if isinstance(actions, str):
            actions = [actions]
        if isinstance(actions, list):
            extra = [MOTO_ACTION_ALIASES[a] for a in actions if a in MOTO_ACTION_ALIASES]
            st = {**st, "Action": actions + [a for a in extra if a not in actions]}
        statements.append(st)
    return {**policy, "Statement": statements}


def fake_aws_env(mp: pytest.MonkeyPatch, tmp: Path, key_id: str = ROOT_KEY_ID, secret: str = ROOT_SECRET) -> None:
    """Point boto3 at fake static credentials only (no profile, no config files, no real AWS)."""
    for var in list(os.environ):
        if var.startswith("AWS_"):
            mp.delenv(var)
    mp.setenv("AWS_ACCESS_KEY_ID", key_id)
    mp.setenv("AWS_SECRET_ACCESS_KEY", secret)
    mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
    mp.setenv("AWS_CONFIG_FILE", str(tmp / "no-config"))
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp / "no-credentials"))
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
    mp.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # seconds saved; the builder names its AMI


def user_keys(name: str, policy: dict[str, Any]) -> tuple[str, str]:
    """Create IAM user `name` whose only permissions are `policy`; return its access key."""
    import boto3

    iam = boto3.client("iam", region_name="us-east-1", aws_access_key_id=ROOT_KEY_ID, aws_secret_access_key=ROOT_SECRET)
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="only", PolicyDocument=json.dumps(with_moto_aliases(policy)))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


@contextlib.contextmanager
def moto_server(tmp: Path, key_id: str, secret: str) -> Iterator[dict[str, str]]:
    """A moto_server subprocess on 127.0.0.1 and an environment (profile `test`, no other AWS_*
    variable) pointing at it over HTTP; the server is stopped on exit."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start")
                time.sleep(0.2)
        (tmp / "credentials").write_text(f"[test]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
        (tmp / "config").write_text("[profile test]\nregion = us-east-1\n")
        env.update(
            AWS_ENDPOINT_URL=url,
            AWS_SHARED_CREDENTIALS_FILE=str(tmp / "credentials"),
            AWS_CONFIG_FILE=str(tmp / "config"),
            AWS_EC2_METADATA_DISABLED="true",
            AWS_MAX_ATTEMPTS="2",
        )
        yield env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
