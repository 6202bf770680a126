"""Import layering (design.md §2): each layer imports only layers to its right; boto3 only in collect/live/."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "iamgraph"
QUERIES = PKG.parent / "queries"
# Left imports right, never the other way. whatif/gate are use cases over the api façade.
ORDER = [
    "cli",
    "whatif",
    "gate",
    "api",
    "fanout",
    "simulate",
    "export",
    "render",
    "query",
    "graph",
    "techniques",
    "evaluate",
    "collect",
    "model",
    "errors",
]
# collect sits beside evaluate: both depend on model only (collect also on errors)
ALLOWED_EXTRA: set[tuple[str, str]] = set()  # no exceptions (the batch simulator now lives in simulate/)
# what a query module (queries/*.py) may use: the query contract and everything below it
QUERY_MAY_IMPORT = set(ORDER[ORDER.index("query") :])


def _layer(mod: str) -> str | None:
    parts = mod.split(".")
    if parts[0] != "iamgraph" or len(parts) < 2:
        return None
    name = parts[1]
    for layer in ORDER:
        if name == layer or name.startswith(layer + "_"):
            return layer
    return name


def _module_parts(path: Path) -> list[str]:
    """Dotted module name of `path` as parts (iamgraph/gate/diff.py -> [iamgraph, gate, diff])."""
    return list(path.relative_to(PKG.parent).with_suffix("").parts)


def _imports(path: Path) -> list[str]:
    """Every module `path` imports, relative imports resolved (``from . import api`` -> iamgraph.api)."""
    parts = _module_parts(path) if PKG in path.parents else ["queries", path.stem]
    return _imports_of(path.read_text(), parts)


def _imports_of(source: str, parts: list[str]) -> list[str]:
    tree = ast.parse(source)
    package = parts[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = base + (node.module.split(".") if node.module else [])
            else:
                mod = (node.module or "").split(".")
            out.append(".".join(mod))
            # `from pkg import name`: name may itself be a module (from . import api)
            out += [".".join([*mod, a.name]) for a in node.names if a.name != "*"]
    return out


def _violations(path: Path, me: str) -> list[str]:
    bad = []
    for imp in _imports(path):
        other = _layer(imp)
        if other is None or other == me or other not in ORDER:
            continue
        if ORDER.index(other) < ORDER.index(me) and (me, other) not in ALLOWED_EXTRA:
            bad.append(f"{path.relative_to(PKG.parent)} ({me}) imports {imp} ({other})")
        if me == "collect" and other not in ("model", "errors"):
            bad.append(f"{path.relative_to(PKG.parent)}: collect may import only model/errors, not {imp}")
        if me == "evaluate" and other not in ("model", "errors"):  # the evaluator is pure: no I/O layers
            bad.append(f"{path.relative_to(PKG.parent)}: evaluate may import only model/errors, not {imp}")
    return bad


def test_layers() -> None:
    bad = []
    for f in PKG.rglob("*.py"):
        me = _layer(".".join(_module_parts(f)))
        if me in ORDER:
            bad += _violations(f, me)
    assert not bad, "\n".join(bad)


def test_every_package_module_has_a_layer() -> None:
    """A new top-level module or package must be placed in ORDER (or be a private helper)."""
    unplaced = sorted(
        {_layer(".".join(_module_parts(f))) for f in PKG.rglob("*.py")}
        - set(ORDER)
        - {None}
        - {"__init__", "__main__", "data", "_queries"}
    )
    assert not unplaced, f"place these in tests/test_layers.py ORDER: {unplaced}"


def test_queries_use_only_the_query_contract_and_below() -> None:
    bad = []
    for f in QUERIES.glob("*.py"):
        for imp in _imports(f):
            other = _layer(imp)
            if other is not None and other in ORDER and other not in QUERY_MAY_IMPORT:
                bad.append(f"queries/{f.name} imports {imp} ({other})")
    assert not bad, "\n".join(bad)


def test_relative_imports_are_resolved() -> None:
    """The checker sees through `from . import x` and `from .. import x` (they once slipped through)."""
    src = "from . import api\nfrom .. import render\nfrom ..query.base import Finding\n"
    got = _imports_of(src, ["iamgraph", "gate", "diff"])
    assert "iamgraph.gate.api" in got and "iamgraph.render" in got and "iamgraph.query.base" in got
    assert _imports_of("from . import api\n", ["iamgraph", "whatif", "__init__"]) == [
        "iamgraph.whatif",
        "iamgraph.whatif.api",
    ]
    assert _imports_of("from .. import api\n", ["iamgraph", "whatif", "__init__"])[-1] == "iamgraph.api"
    violation = _imports_of("from . import api\n", ["iamgraph", "render_x"])
    assert _layer(violation[-1]) == "api"


def test_boto3_only_in_live_collector() -> None:
    bad = []
    for f in PKG.rglob("*.py"):
        for imp in _imports(f):
            if imp.split(".")[0] in ("boto3", "botocore") and not (
                f.parent == PKG / "collect" / "live" or f.name == "readonly.py"
            ):
                bad.append(str(f.relative_to(PKG.parent)))
    assert not bad, bad
