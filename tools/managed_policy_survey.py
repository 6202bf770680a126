"""Survey: every bundled AWS managed policy attached to one user, in an account with admin roles for
the usual services; what does iamgraph report for that user?

Manual measurement (issue 16), not a test. For each policy of iamgraph's bundled catalogue (moto's
AWS managed policy documents) it builds a GAAD account holding

- user `probe` with only that managed policy attached (the document is in the account's Policies),
- one admin role per service the technique catalogue passes roles to (EC2's with an instance
  profile), plus AdministratorAccess,

runs the `privesc-to-admin` query and classifies the policy: `admin` (probe is admin outright),
`definite`, `conditional` (a potential path only) or `none`. It also lists every technique edge
leaving the probe and whether it is conditional, so two runs can be compared edge by edge.

    python tools/managed_policy_survey.py --out /tmp/survey.json            # ~1,600 policies
    python tools/managed_policy_survey.py --compare /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

ACCOUNT = "111111111111"
SERVICES = (
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "glue.amazonaws.com",
    "codebuild.amazonaws.com",
    "sagemaker.amazonaws.com",
    "cloudformation.amazonaws.com",
    "datapipeline.amazonaws.com",
    "elasticmapreduce.amazonaws.com",
    "tasks.apprunner.amazonaws.com",
    "bedrock-agentcore.amazonaws.com",
    "states.amazonaws.com",
    "events.amazonaws.com",
)
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def account_for(name: str, path: str, version: str, document: dict[str, Any]) -> dict[str, Any]:
    """The GAAD account of one survey run (see the module docstring)."""
    from iamgraph.techniques.case_builders import admin_policy, role, trust_service, user

    parn = f"arn:aws:iam::aws:policy{path}{name}"
    mp = {
        "PolicyName": name,
        "PolicyId": "ANPA" + "X" * 17,
        "Arn": parn,
        "Path": path,
        "DefaultVersionId": version,
        "AttachmentCount": 1,
        "IsAttachable": True,
        "PolicyVersionList": [{"Document": document, "VersionId": version, "IsDefaultVersion": True}],
    }
    roles = [
        role(f"admin-{svc.split('.')[0]}", trust_service(svc), admin=True, instance_profile=svc == "ec2.amazonaws.com")
        for svc in SERVICES
    ]
    probe = user("probe", managed=(parn,))
    pols = [mp] + ([] if parn == ADMIN_ARN else [admin_policy()])
    return {"UserDetailList": [probe], "GroupDetailList": [], "RoleDetailList": roles, "Policies": pols}


def survey_one(key: str, entry: list[Any]) -> dict[str, Any]:
    """Classify one managed policy (catalogue key '/path/Name', entry [version, document])."""
    from iamgraph import api
    from iamgraph.collect.loader import snapshot_from_json

    path, _, name = key.rpartition("/")
    acct = account_for(name, path + "/", str(entry[0]), entry[1])
    graph = api.build_graph(snapshot_from_json([(acct, f"survey:{name}")]))
    probe = f"arn:aws:iam::{ACCOUNT}:user/probe"
    report = api.run_queries(graph, ("privesc-to-admin",))
    findings = [f for f in report["findings"] if f["source"] == probe]
    edges = sorted(
        {
            (ev.technique, bool(ev.conditional))
            for _, dst, d in graph.g.out_edges(probe, data=True)
            for ev in (d["evidence"],)
            if ev.kind.value != "membership"
        }
    )
    if graph.is_admin(probe):
        verdict = "admin"
    elif not findings:
        verdict = "none"
    else:
        verdict = "conditional" if findings[0]["conditional"] else "definite"
    first = findings[0]["path"] if findings else []
    return {
        "policy": name,
        "verdict": verdict,
        "path": [h["technique"] for h in first],
        "conditions": sorted({k for h in first for k in h.get("conditions", [])}),
        "edges": [f"{t}{'?' if c else ''}" for t, c in edges],
    }


def run(out: str | None, only: list[str]) -> dict[str, Any]:
    from iamgraph.collect.managed_catalog import _catalogue

    pols = _catalogue()["policies"]
    keys = sorted(k for k in pols if not only or k.rsplit("/", 1)[-1] in only)
    t0 = time.perf_counter()
    rows = [survey_one(k, pols[k]) for k in keys]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    any_conditional_edge = sum(1 for r in rows if r["verdict"] != "admin" and any(e.endswith("?") for e in r["edges"]))
    result = {
        "policies": len(rows),
        "verdicts": counts,
        "with_conditional_edge": any_conditional_edge,
        "seconds": round(time.perf_counter() - t0, 1),
        "rows": rows,
    }
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
    return result


def compare(before: str, after: str) -> None:
    a, b = (json.load(open(p)) for p in (before, after))
    ra = {r["policy"]: r for r in a["rows"]}
    rb = {r["policy"]: r for r in b["rows"]}
    print("before:", a["verdicts"], "with conditional edge:", a["with_conditional_edge"])
    print("after: ", b["verdicts"], "with conditional edge:", b["with_conditional_edge"])
    for name in sorted(set(ra) | set(rb)):
        x, y = ra.get(name), rb.get(name)
        if x is None or y is None or x["verdict"] != y["verdict"] or x["edges"] != y["edges"]:
            print(f"{name}: {x and x['verdict']} {x and x['edges']} -> {y and y['verdict']} {y and y['edges']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write the per-policy rows and the totals here (JSON)")
    ap.add_argument("--only", action="append", default=[], help="survey only this policy name (repeatable)")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="diff two --out files")
    args = ap.parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return 0
    res = run(args.out, args.only)
    if args.only:
        for r in res["rows"]:
            print(json.dumps(r))
    print(json.dumps({k: v for k, v in res.items() if k != "rows"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
