"""Import layering (design.md §2): each layer imports only layers to its right; boto3 only in collect/live*."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "iamgraph"
ORDER = ["cli", "api", "gate", "whatif", "render", "query", "graph", "techniques", "evaluate", "collect", "model", "errors"]
# collect sits beside evaluate: both depend on model only (collect also on errors)
ALLOWED_EXTRA = {("evaluate", "collect")}  # the batch simulator parses raw policy documents


def _layer(mod: str) -> str | None:
    parts = mod.split(".")
    if parts[0] != "iamgraph" or len(parts) < 2:
        return None
    name = parts[1]
    for layer in ORDER:
        if name == layer or name.startswith(layer + "_"):
            return layer
    return name


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    rel = path.relative_to(PKG.parent).with_suffix("")
    pkg_parts = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - node.level + 1] if rel.name != "__init__" else pkg_parts[: len(pkg_parts) - node.level + 1]
                out.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                out.append(node.module)
    return out


def test_layers() -> None:
    bad = []
    for f in PKG.rglob("*.py"):
        me = _layer(".".join(f.relative_to(PKG.parent).with_suffix("").parts))
        if me not in ORDER:
            continue
        for imp in _imports(f):
            other = _layer(imp)
            if other is None or other == me or other not in ORDER:
                continue
            if ORDER.index(other) < ORDER.index(me) and (me, other) not in ALLOWED_EXTRA:
                bad.append(f"{f.relative_to(PKG.parent)} ({me}) imports {imp} ({other})")
            if me == "collect" and other not in ("model", "errors"):
                bad.append(f"{f.relative_to(PKG.parent)}: collect may import only model/errors, not {imp}")
    assert not bad, "\n".join(bad)


def test_boto3_only_in_live_collector() -> None:
    bad = []
    for f in PKG.rglob("*.py"):
        for imp in _imports(f):
            if imp.split(".")[0] in ("boto3", "botocore") and not (f.parent.name == "collect" and f.name.startswith("live")
                                                                  or f.name == "readonly.py"):
                bad.append(str(f.relative_to(PKG.parent)))
    assert not bad, bad
