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


def test_finding_blocks_explain_each_finding_and_the_summary():
    out = _render(fx.sample_report())
    lines = out.splitlines()
    # one block per finding, most severe first: a heading with severity and title, then the id on its own line
    heads = [
        i
        for i, line in enumerate(lines)
        if line.startswith(" CRITICAL ")
        or line.startswith(" HIGH ")
        or line.startswith(" MEDIUM ")
        or line.startswith(" LOW ")
    ]
    assert [lines[i].split()[0] for i in heads] == ["CRITICAL", "HIGH", "MEDIUM", "LOW"]
    assert "freelancer can become admin via lambda-001" in lines[heads[0]]
    assert lines[heads[0] + 1].split()[:2] == ["id", "f-9c1e0a7b2d"]
    assert "privesc-to-admin" in lines[heads[0] + 1] and "definite" in lines[heads[0] + 1]
    block = "\n".join(lines[heads[0] : heads[1]])
    assert "1. freelancer -> lambda-admin: lambda-001" in block
    assert "iam:PassRole on arn:aws:iam::111122223333:role/lambda-admin" in block
    assert (
        "allowed by policy arn:aws:iam::111122223333:policy/freelancer-lambda statement 0 (Sid PassAnyRole), "
        "managed, attached to user freelancer"
    ) in block
    assert "fix: Restrict iam:PassRole in freelancer-lambda statement 0" in block
    dev = "\n".join(lines[heads[1] : heads[2]])
    assert "conditional" in lines[heads[1] + 1]
    assert "conditional: condition keys aws:MultiFactorAuthPresent" in dev
    ci = "\n".join(lines[heads[2] : heads[3]])
    assert "missing data: inventory: lambda functions" in ci
    assert "999988887777:root -> ci-deploy" in out
    assert "warning: lambda functions inventory missing" in out
    assert "7 principals, 2 admins, 4 findings (1 critical, 1 high, 1 medium, 1 low), 2 conditional" in out


def test_header_line_counts_without_empty_columns():
    out = _render(fx.sample_report())
    assert out.splitlines()[0] == "iamgraph account 111122223333: 7 principals, 2 admins"
    assert "4 findings" in out.splitlines()[1]
    assert "┃  ┃" not in out and "│  │" not in out


def test_blocks_fit_80_columns_and_never_wrap_ids_or_arns():
    report = fx.sample_report()
    for width in (80, 200):
        console = Console(record=True, width=width, color_system=None)
        render_text(report, console=console)
        out = console.export_text()
        for line in out.splitlines():
            words = line.split()
            # a line longer than the console holds a single unbreakable word (an ARN): never a wrap mid-word
            assert len(line) <= width or len(words) <= 3, line
        for f in report["findings"]:
            assert f"id {f['id']}" in out
        assert "arn:aws:iam::111122223333:role/lambda-admin" in out
    narrow = _render_width(report, 80)
    wide = _render_width(report, 200)
    assert len(narrow.splitlines()) > len(wide.splitlines())  # 200 columns are used, not wasted


def _render_width(report: dict, width: int) -> str:
    console = Console(record=True, width=width, color_system=None)
    render_text(report, console=console)
    return console.export_text()


def test_quiet_prints_one_line_per_finding_and_the_summary():
    out = _render(fx.sample_report(), quiet=True)
    lines = out.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].split()[:2] == ["CRITICAL", "f-9c1e0a7b2d"]
    assert "freelancer -[lambda-001]-> lambda-admin -[admin]-> ADMIN" in lines[0]
    assert lines[1].startswith("HIGH") and "conditional" in lines[1]
    assert lines[-1] == "7 principals, 2 admins, 4 findings (1 critical, 1 high, 1 medium, 1 low), 2 conditional"


def test_plurals():
    report = {
        **fx.sample_report(),
        "findings": fx.sample_report()["findings"][:1],
        "summary": {"principals": 1, "admins": 1},
    }
    assert summary_line(report) == "1 principal, 1 admin, 1 finding (1 critical)"


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
    assert "[bold]boss[red]x -> lambda-admin: lambda-001" in out
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
