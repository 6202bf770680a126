"""Throughput of the batch path (`iamgraph simulate --batch`): JSON parse + policy parse + evaluate.

Generates a few thousand realistic requests with a seeded RNG (a pool of identity policies,
boundaries, SCP levels, bucket/trust policies, conditions on tags, IPs and MFA), runs them
through `run_batch` and prints requests/s. Usage: python benchmarks/bench_simulate.py [N]
"""

from __future__ import annotations

import json
import random
import sys
import time

from iamgraph.simulate.batch import run_batch

ACCT, OTHER = "111122223333", "444455556666"
SERVICES = {
    "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject", "GetBucketPolicy"],
    "ec2": ["RunInstances", "DescribeInstances", "TerminateInstances", "StartInstances"],
    "iam": ["PassRole", "CreateUser", "AttachRolePolicy", "GetRole", "CreateAccessKey"],
    "lambda": ["CreateFunction", "InvokeFunction", "UpdateFunctionCode"],
    "sts": ["AssumeRole"],
    "kms": ["Decrypt", "Encrypt", "GenerateDataKey"],
}


def resource_for(rng: random.Random, svc: str) -> str:
    if svc == "s3":
        return f"arn:aws:s3:::bucket-{rng.randint(0, 9)}/team-{rng.randint(0, 4)}/obj{rng.randint(0, 99)}"
    if svc == "ec2":
        return f"arn:aws:ec2:eu-west-1:{ACCT}:instance/i-{rng.randint(0, 10**6):08x}"
    if svc in ("iam", "sts"):
        return f"arn:aws:iam::{ACCT}:role/role-{rng.randint(0, 19)}"
    if svc == "lambda":
        return f"arn:aws:lambda:eu-west-1:{ACCT}:function:fn-{rng.randint(0, 9)}"
    return f"arn:aws:kms:eu-west-1:{ACCT}:key/{rng.randint(0, 5)}"


def identity_policy(rng: random.Random) -> dict:
    stmts = []
    for i in range(rng.randint(2, 6)):
        svc = rng.choice(list(SERVICES))
        acts = [f"{svc}:{a}" for a in rng.sample(SERVICES[svc], k=min(len(SERVICES[svc]), rng.randint(1, 3)))]
        if rng.random() < 0.3:
            acts = [f"{svc}:*"]
        st: dict = {
            "Sid": f"S{i}",
            "Effect": "Deny" if rng.random() < 0.1 else "Allow",
            "Action": acts,
            "Resource": rng.choice(
                [
                    "*",
                    f"arn:aws:s3:::bucket-{rng.randint(0, 9)}/*",
                    f"arn:aws:iam::{ACCT}:role/role-1*",
                    "arn:aws:s3:::bucket-1/${aws:username}/*",
                ]
            ),
        }
        r = rng.random()
        if r < 0.15:
            st["Condition"] = {"StringEquals": {"aws:PrincipalTag/team": f"team-{rng.randint(0, 4)}"}}
        elif r < 0.25:
            st["Condition"] = {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.0/24"]}}
        elif r < 0.3:
            st["Condition"] = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}
        stmts.append(st)
    return {"Version": "2012-10-17", "Statement": stmts}


def make_requests(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = [identity_policy(rng) for _ in range(40)]
    boundary = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:*", "ec2:*", "sts:*", "kms:*"], "Resource": "*"}],
    }
    full = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    deny_regions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "NotAction": ["iam:*", "sts:*"],
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}},
            }
        ],
    }
    bucket = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::bucket-1/*",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::bucket-1/*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCT}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    out = []
    for i in range(n):
        svc = rng.choice(list(SERVICES))
        user = f"user-{rng.randint(0, 49)}"
        req: dict = {
            "id": f"r{i}",
            "principal": f"arn:aws:iam::{ACCT}:user/{user}",
            "action": f"{svc}:{rng.choice(SERVICES[svc])}",
            "resource": resource_for(rng, svc),
            "context": {
                "aws:username": user,
                "aws:PrincipalTag/team": f"team-{rng.randint(0, 4)}",
                "aws:SourceIp": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.1",
                "aws:RequestedRegion": rng.choice(["eu-west-1", "us-east-1"]),
                "aws:SecureTransport": "true",
            },
            "identity_policies": rng.sample(pool, k=rng.randint(1, 3)),
            "permission_boundaries": [boundary] if rng.random() < 0.3 else [],
            "scps": [[full], [deny_regions]] if rng.random() < 0.5 else [],
        }
        if svc == "sts":
            req["resource_policy"] = trust
        elif svc == "s3" and rng.random() < 0.3:
            req["resource_policy"] = bucket
        out.append(json.dumps(req))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    lines = make_requests(n)
    list(run_batch(lines[:200]))  # warm-up (imports, first compiles)
    dt = float("inf")
    for _ in range(3):  # best of 3: the machine may be shared
        t0 = time.perf_counter()
        results = list(run_batch(lines))
        dt = min(dt, time.perf_counter() - t0)
    counts: dict[str, int] = {}
    for r in results:
        d = json.loads(r).get("decision", "error")
        counts[d] = counts.get(d, 0) + 1
    t0 = time.perf_counter()
    for line in lines:
        json.loads(line)
    dt_json = time.perf_counter() - t0
    avg = sum(map(len, lines)) / n
    print(f"{n} requests ({avg:.0f} bytes/line) in {dt:.3f}s = {n / dt:,.0f} requests/s  {counts}")
    print(f"  of which json.loads alone: {dt_json:.3f}s ({n / dt_json:,.0f} lines/s) - a machine-speed yardstick")


if __name__ == "__main__":
    main()
