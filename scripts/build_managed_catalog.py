"""Build iamgraph/data/aws_managed_policies.json.gz from the AWS managed policies moto bundles.

Usage: python scripts/build_managed_catalog.py [OUTPUT]
Needs moto installed (a dev dependency). The output maps "<path><name>" (e.g.
"/service-role/AWSLambdaRole") to [default_version_id, document]; only what the loader needs.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "iamgraph" / "data" / "aws_managed_policies.json.gz"


def build(out: Path) -> int:
    import moto
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    raw = json.loads(aws_managed_policies_data)
    catalogue = {
        "source": f"moto {moto.__version__} (moto/iam/aws_managed_policies.py, Apache-2.0)",
        "policies": {
            f"{entry.get('Path') or '/'}{name}": [entry["DefaultVersionId"], entry["Document"]]
            for name, entry in sorted(raw.items())
        },
    }
    data = json.dumps(catalogue, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0 keeps the output byte-identical across runs
    out.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return len(catalogue["policies"])


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    count = build(out)
    print(f"wrote {count} policies to {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
