"""Helpers of the export tests (constants, graph building, Cypher statement splitting)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iamgraph import api

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
FREELANCER = ROOT / "samples" / "freelancer-lambda-passrole-star.json"
VENDOR = Path(__file__).resolve().parent / "vendor" / "opengraph"
# quotes, a comma, markup, an ampersand, non-ASCII, the CSV array delimiter and a backslash
HOSTILE = "fr'ee\"lan,cer<b>&é中;\\x"


def graph_and_findings(paths: list[Path]) -> tuple[Any, list[dict[str, Any]]]:
    graph = api.build_graph(api.load(paths))
    return graph, api.run_queries(graph)["findings"]


def rename(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: rename(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [rename(v) for v in obj]
    if isinstance(obj, str):
        return obj.replace("freelancer", HOSTILE)
    return obj


def split_statements(script: str) -> list[str]:
    """Cypher statements of a script: split at `;` outside string literals, `//` comments dropped."""
    out: list[str] = []
    buf: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(script):
        c = script[i]
        if quote:
            buf.append(c)
            if c == "\\":
                buf.append(script[i + 1])
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            buf.append(c)
        elif script.startswith("//", i):
            while i < len(script) and script[i] != "\n":
                i += 1
            continue
        elif c == ";":
            if "".join(buf).strip():
                out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(c)
        i += 1
    assert not "".join(buf).strip(), "the script ends without a final ';'"
    return out
