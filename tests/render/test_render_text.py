"""Terminal renderer: summary table, findings rows with paths, warnings, quiet mode, markup safety."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from rich.console import Console

from iamgraph.query.report import FindingRecord, Report
from iamgraph.render import text as _text
from iamgraph.render.text import short_name


# the renderer takes a Report; these tests write reports as the JSON documents they are
def render_text(report: dict, **kw) -> None:
    _text.render_text(Report.from_json(report), **kw)


def summary_line(report: dict) -> str:
    return _text.summary_line(Report.from_json(report))


def path_text(finding: dict) -> str:
    return _text.path_text(FindingRecord.from_json({"id": "t", **finding}, file="t", path="$"))


def _load_fixtures():
    name = "iamgraph_render_test_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fixtures.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fx = _load_fixtures()


def _render(report: dict, **kw) -> str:
    console = Console(record=True, width=240, color_system=None)
    render_text(report, console=console, **kw)
    return console.export_text()


def test_findings_table_rows_and_summary():
    out = _render(fx.sample_report())
    lines = out.splitlines()
    row = next(line for line in lines if "freelancer -[lambda-001]-> lambda-admin" in line)
    assert "critical" in row and "privesc-to-admin" in row and "conditional" not in row
    row = next(line for line in lines if "dev -[iam-002?]-> ops-admin" in line)
    assert "high" in row and "conditional" in row
    assert "999988887777:root -[sts-001]-> ci-deploy" in out
    # severity order: critical row before high before medium before low
    order = [next(i for i, line in enumerate(lines) if f"│ {s}" in line) for s in ("critical", "high", "medium", "low")]
    assert order == sorted(order)
    assert "warning: lambda functions inventory missing" in out
    assert "7 principals, 2 admins, 4 findings (1 critical, 1 high, 1 medium, 1 low), 2 conditional" in out


def test_summary_table_counts():
    out = _render(fx.sample_report())
    header = next(line for line in out.splitlines() if "principals" in line and "admins" in line)
    values = next(line for line in out.splitlines() if "111122223333" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == ["accounts", "principals", "admins", "critical", "high",
                                                              "medium", "low"]
    assert [c.strip() for c in values.split("│")[1:-1]] == ["111122223333", "7", "2", "1", "1", "1", "1"]


def test_quiet_prints_only_the_summary_line():
    out = _render(fx.sample_report(), quiet=True)
    assert out.strip() == "7 principals, 2 admins, 4 findings (1 critical, 1 high, 1 medium, 1 low), 2 conditional"


def test_no_findings():
    report = {**fx.sample_report(), "findings": [], "warnings": []}
    out = _render(report)
    assert "No findings." in out
    assert summary_line(report) == "7 principals, 2 admins, 0 findings"


def test_rich_markup_in_account_text_is_printed_verbatim():
    report = fx.sample_report()
    report["findings"][0]["source"] = "arn:aws:iam::111122223333:user/[bold]boss[red]x"
    report["findings"][0]["path"][0]["from"] = report["findings"][0]["source"]
    report["warnings"] = ["[link=http://x]click[/link]"]
    out = _render(report)
    assert "[bold]boss[red]x -[lambda-001]->" in out
    assert "[link=http://x]click[/link]" in out


def test_no_color_console_emits_no_escape_codes():
    console = Console(record=True, width=200, no_color=True, force_terminal=True)
    render_text(fx.sample_report(), console=console)
    assert "\x1b[31m" not in console.export_text(styles=True)


def test_short_name_and_path_text():
    assert short_name("arn:aws:iam::111122223333:role/a/b/deploy") == "deploy"
    assert short_name("arn:aws:iam::999988887777:root") == "999988887777:root"
    assert short_name("lambda.amazonaws.com") == "lambda.amazonaws.com"
    assert path_text({"source": fx.DEV, "path": []}) == "dev"
