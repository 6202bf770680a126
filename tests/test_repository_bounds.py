"""The suite needs nothing outside the repository: no test names a path above the repository root.

A test that reads `../shared/...` (or any parent of the checkout) passes on the author's machine and
silently skips or fails elsewhere; vendor what it needs instead (with its licence notice).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("tests", "iamgraph", "queries")
_PARENTS = re.compile(r"parents\[(\d+)\]")


def _sources() -> list[Path]:
    me = Path(__file__).resolve()
    return sorted(p for d in SCANNED for p in (ROOT / d).rglob("*.py") if p != me)


def _string_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_source_reaches_above_the_repository_root() -> None:
    bad: list[str] = []
    for path in _sources():
        rel = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        for m in _PARENTS.finditer(text):
            # Path(__file__).resolve().parents[N] is above the root when N >= depth of the file
            if int(m.group(1)) >= len(rel.parts):
                bad.append(f"{rel}: parents[{m.group(1)}] leaves the repository")
        for s in _string_literals(path):
            if re.search(r"(^|[/\\])\.\.[/\\]shared([/\\]|$)|^shared[/\\]reference", s):
                bad.append(f"{rel}: names {s!r} outside the repository")
    assert not bad, "\n".join(bad)


def test_the_check_itself_catches_a_reach_outside(tmp_path: Path) -> None:
    """The detector is not vacuous: it flags both forms it looks for."""
    sample = (
        'from pathlib import Path\nP = Path(__file__).resolve().parents[3] / "x"\nQ = "../shared/reference/p.json"\n'
    )
    probe = tmp_path / "probe.py"
    probe.write_text(sample)
    assert [int(m.group(1)) for m in _PARENTS.finditer(sample)] == [3]
    assert any("../shared/" in s for s in _string_literals(probe))
