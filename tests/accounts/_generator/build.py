import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_iv
import build_pl
import build_traps

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = [
    ("iam_vulnerable_iam.json", build_iv.iam_paths),
    ("iam_vulnerable_passrole.json", build_iv.passrole_paths),
    ("iam_vulnerable_tool_testing.json", build_iv.tool_testing),
    ("pathfinding_principal_access.json", build_pl.principal_access),
    ("pathfinding_new_passrole.json", build_pl.new_passrole),
    ("pathfinding_existing_resources.json", build_pl.existing_resources),
    ("traps_effective_permissions.json", build_traps.traps),
    ("provisioning_and_versions.json", build_traps.provisioning),
]
expected = []
for fname, fn in FILES:
    acc, exp = fn()
    acc.dump(f"{OUT}/{fname}")
    # sanity: no ARN in two buckets
    seen = {}
    for bucket in ("definite_admin", "not_admin", "conditional_admin", "admins"):
        for a in exp[bucket]:
            assert a not in seen, (fname, a, bucket, seen[a])
            seen[a] = bucket
    expected.append(
        {
            "file": fname,
            "definite_admin": exp["definite_admin"],
            "not_admin": exp["not_admin"],
            "conditional_admin": exp["conditional_admin"],
            "admins": exp["admins"],
        }
    )
    print(fname, {k: len(v) for k, v in exp.items()})
with open(f"{OUT}/expected.json", "w") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")
