"""Manual benchmark (not collected by pytest): generate a ~15 MB GAAD with 5,000 roles, 2,000
users and 400 three-version policies, then time load_snapshot (CPU seconds, best of 3).

    /work/venv/bin/python tests/collect/bench_load_large.py
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from iamgraph.collect.loader import load_snapshot

ACCOUNT = "111122223333"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def large_gaad(roles: int = 5000, users: int = 2000, policies: int = 400, seed: int = 1) -> dict[str, Any]:
    rnd = random.Random(seed)
    trusts = [
        _doc({"Effect": "Allow", "Principal": {"Service": f"{s}.amazonaws.com"}, "Action": "sts:AssumeRole"})
        for s in ("lambda", "ec2", "ecs-tasks", "glue", "codebuild")
    ]
    trusts.append(
        _doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    )
    pols = [
        {
            "PolicyName": f"p{i}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:policy/p{i}",
            "Path": "/",
            "DefaultVersionId": "v3",
            "AttachmentCount": 3,
            "PolicyVersionList": [
                {
                    "VersionId": f"v{v}",
                    "IsDefaultVersion": v == 3,
                    "CreateDate": "2023-01-01T00:00:00+00:00",
                    "Document": _doc(
                        {
                            "Effect": "Allow",
                            "Action": [f"s3:Get{j}" for j in range(20)],
                            "Resource": f"arn:aws:s3:::bucket-{i}-{v}/*",
                        },
                        {
                            "Effect": "Deny",
                            "Action": "iam:*",
                            "Resource": "*",
                            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}},
                        },
                    ),
                }
                for v in (1, 2, 3)
            ],
        }
        for i in range(policies)
    ]
    role_list = [
        {
            "Path": "/",
            "RoleName": f"role-{i}",
            "RoleId": f"AROA{i:016d}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:role/role-{i}",
            "AssumeRolePolicyDocument": rnd.choice(trusts),
            "InstanceProfileList": [],
            "RolePolicyList": [
                {
                    "PolicyName": "inline",
                    "PolicyDocument": _doc(
                        {
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogGroup", "logs:PutLogEvents"],
                            "Resource": f"arn:aws:logs:*:{ACCOUNT}:log-group:/aws/lambda/role-{i}:*",
                        }
                    ),
                }
            ],
            "AttachedManagedPolicies": [
                {"PolicyName": f"p{j}", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/p{j}"}
                for j in rnd.sample(range(policies), 3)
            ],
            "Tags": [{"Key": "team", "Value": f"t{i % 20}"}],
            "RoleLastUsed": {"LastUsedDate": "2024-01-01T00:00:00+00:00", "Region": "eu-west-1"},
        }
        for i in range(roles)
    ]
    user_list = [
        {
            "Path": "/",
            "UserName": f"user-{i}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:user/user-{i}",
            "UserPolicyList": [],
            "GroupList": [f"g{i % 50}"],
            "AttachedManagedPolicies": [
                {"PolicyName": f"p{i % policies}", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/p{i % policies}"}
            ],
        }
        for i in range(users)
    ]
    groups = [{"GroupName": f"g{i}", "Arn": f"arn:aws:iam::{ACCOUNT}:group/g{i}"} for i in range(50)]
    return {"UserDetailList": user_list, "GroupDetailList": groups, "RoleDetailList": role_list, "Policies": pols}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.json"
        path.write_text(json.dumps(large_gaad(), indent=4))
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            snap = load_snapshot([path])
            best = min(best, time.process_time() - start)
        print(f"{path.stat().st_size / 1e6:.1f} MB, {len(snap.roles)} roles: best {best:.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
