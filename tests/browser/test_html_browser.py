"""The HTML report in a real headless Debian chromium (Playwright driving /usr/bin/chromium; no `playwright install`).

Every non-file request is logged and aborted; the tests assert there are none, that the vis graph drew the
expected nodes, that hostile account text never executes, and that clicks show details in the side panel.
Set IAMGRAPH_SCREENSHOTS=DIR to keep screenshots for a visual check.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from iamgraph.render.html import render_html

pytestmark = pytest.mark.browser


def _load_fixtures():
    name = "iamgraph_render_test_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "render" / "fixtures.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fx = _load_fixtures()
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: the browser test must run; see .ci/install-chromium.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    executable = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and os.path.exists(p)),
                      None)
    if executable is None:
        _unavailable("Debian chromium not found at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    """A loaded report page plus what it tried to do: external requests, dialogs, page errors."""

    def __init__(self, page, requests, dialogs, errors):
        self.page, self.requests, self.dialogs, self.errors = page, requests, dialogs, errors


@pytest.fixture
def open_report(browser, tmp_path, request):
    pages = []

    def _open(html: str, name: str = "report") -> Opened:
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        requests: list[str] = []
        dialogs: list[str] = []
        errors: list[str] = []

        def route(r):
            url = r.request.url
            if url.startswith("file://"):
                r.continue_()
            else:
                requests.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda req: None if req.url.startswith(("file://", "data:"))
                else requests.append(req.url) if req.url not in requests else None)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function("window.iamgraphReport && window.iamgraphReport.ready", timeout=20000)
        pages.append((page, name))
        return Opened(page, requests, dialogs, errors)

    yield _open
    shots = os.environ.get("IAMGRAPH_SCREENSHOTS")
    for page, name in pages:
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{request.node.name}-{name}.png"), full_page=True)
        page.close()


def _click_node(page, arn: str) -> None:
    """A real mouse click at the node's position on the vis canvas."""
    x, y = page.evaluate("""(arn) => {
        const vid = window.iamgraphReport.vidOf(arn);
        document.getElementById('mynetwork').scrollIntoView();
        network.focus(vid, {scale: 1, animation: false});
        const p = network.canvasToDOM(network.getPositions([vid])[vid]);
        const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }""", arn)
    page.mouse.click(x, y)


def test_sample_report_renders_offline_with_expected_nodes(open_report):
    o = open_report(render_html(fx.sample_report()))
    assert o.page.locator("#mynetwork canvas").count() == 1
    assert o.page.evaluate("nodes.length") == fx.SAMPLE_SUBGRAPH_NODES
    assert o.page.evaluate("network.body.data.nodes.length") == fx.SAMPLE_SUBGRAPH_NODES
    assert o.requests == []
    assert o.errors == []
    rows = o.page.locator("#ig-findings-body tr.ig-finding")
    assert rows.count() == len(fx.sample_report()["findings"])
    assert "lambda-001" in rows.first.inner_text()


def test_full_graph_draws_every_node(open_report):
    o = open_report(render_html(fx.sample_report(), full_graph=True))
    assert o.page.evaluate("nodes.length") == fx.SAMPLE_FULL_NODES
    assert o.requests == [] and o.errors == []


def test_clicking_a_node_shows_its_policies_and_trust_policy(open_report):
    o = open_report(render_html(fx.sample_report()))
    _click_node(o.page, fx.LAMBDA_ADMIN)
    panel = o.page.locator("#ig-panel-body")
    assert panel.get_attribute("data-kind") == "node"
    text = panel.inner_text()
    assert fx.LAMBDA_ADMIN in text
    assert "AdministratorAccess" in text and "lambda.amazonaws.com" in text   # policy + trust policy


def test_clicking_an_edge_shows_technique_and_evidence(open_report):
    o = open_report(render_html(fx.sample_report()))
    eid = o.page.evaluate("() => edges.getIds().find(e => window.iamgraphReport.edge(e).technique === 'lambda-001')")
    x, y = o.page.evaluate("""(eid) => {
        document.getElementById('mynetwork').scrollIntoView();
        const e = edges.get(eid); const p = network.getPositions([e.from, e.to]);
        const mid = network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        const r = document.querySelector('#mynetwork canvas').getBoundingClientRect();
        return [mid.x + r.left, mid.y + r.top];
    }""", eid)
    o.page.mouse.click(x, y)
    panel = o.page.locator("#ig-panel-body")
    assert panel.get_attribute("data-kind") == "edge"
    text = panel.inner_text()
    assert "lambda-001" in text and "PassAnyRole" in text and "iam:PassRole" in text


def test_hostile_report_executes_nothing_and_shows_text_verbatim(open_report):
    report = fx.hostile_report()
    o = open_report(render_html(report, title="</title><script>window.__pwned=1</script>"))
    assert o.page.evaluate("nodes.length") == fx.HOSTILE_SUBGRAPH_NODES
    evil_user = report["findings"][-1]["source"]
    _click_node(o.page, evil_user)
    panel = o.page.locator("#ig-panel-body")
    assert panel.get_attribute("data-kind") == "node"
    text = panel.inner_text()
    for s in ("<script>alert(1)</script>", "</script><script>window.__pwned=1</script>",
              '"><img src=x onerror="window.__pwned=1">', "javascript:window.__pwned=1"):
        assert s in text
    # open every finding's detail row and the freelancer panel (hostile policy documents, tags)
    for row in o.page.locator("#ig-findings-body tr.ig-finding").all():
        row.click()
    _click_node(o.page, fx.FREELANCER)
    assert panel.get_attribute("data-id") == o.page.evaluate("(a) => window.iamgraphReport.vidOf(a)", fx.FREELANCER)
    text = panel.inner_text()
    assert "</script><script>window.__pwned=1</script>" in text   # from the hostile policy document and tags
    assert o.page.evaluate("window.__pwned") is None
    assert o.dialogs == []
    assert o.errors == []
    assert o.requests == []
    # no element built from account text: only our own static scripts/images exist
    assert o.page.evaluate("document.querySelectorAll('img').length") == 0
    assert o.page.evaluate("document.querySelectorAll('script').length") == o.page.evaluate(
        "document.querySelectorAll('head script, body > script').length")
    assert o.page.title() == "</title><script>window.__pwned=1</script>"


def test_search_filters_findings_and_selects_principal(open_report):
    o = open_report(render_html(fx.sample_report()))
    o.page.fill("#ig-search", "freelancer")
    visible = o.page.locator("#ig-findings-body tr.ig-finding:not([hidden])")
    assert visible.count() == 1
    assert "freelancer" in visible.first.inner_text()
    selected = o.page.evaluate("network.getSelectedNodes()")
    assert selected == [o.page.evaluate("(a) => window.iamgraphReport.vidOf(a)", fx.FREELANCER)]
    o.page.click("#ig-reset")
    assert o.page.locator("#ig-findings-body tr.ig-finding:not([hidden])").count() == 4


def test_quota_size_full_graph_is_interactive_within_seconds(open_report):
    report = fx.large_report()
    html = render_html(report, full_graph=True)
    start = time.monotonic()
    o = open_report(html, "large")
    elapsed = time.monotonic() - start
    assert o.page.evaluate("nodes.length") == len(report["graph"]["nodes"])
    assert o.requests == [] and o.errors == []
    assert elapsed < 60, f"page took {elapsed:.1f}s to become interactive (hang guard; speed is benchmarked)"


def _render_tests():
    """The GAAD builders of tests/render/test_render_html.py (one account shared by both test files)."""
    name = "iamgraph_render_html_tests"
    if name not in sys.modules:
        path = Path(__file__).parents[1] / "render" / "test_render_html.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_shared_policy_document_shows_in_the_panel_of_each_holder(open_report, tmp_path):
    rt = _render_tests()
    html = render_html(rt.hub_report(tmp_path), full_graph=True)
    assert html.count(rt.SHARED_MARKER) == 1
    o = open_report(html, "shared")
    panel = o.page.locator("#ig-panel-body")
    for arn in rt.SHARING:
        _click_node(o.page, arn)
        assert panel.get_attribute("data-id") == o.page.evaluate("(a) => window.iamgraphReport.vidOf(a)", arn)
        text = panel.inner_text()
        assert f"Policy: {rt.SHARED_ARN} (managed)" in text
        assert rt.SHARED_MARKER in text and "s3:ListBucket" in text
    _click_node(o.page, "arn:aws:iam::111122223333:role/fn-03")       # trust policy from the shared table
    assert "lambda.amazonaws.com" in panel.inner_text() and "Trust policy" in panel.inner_text()
    assert o.errors == [] and o.requests == []


def test_hub_node_click_shows_what_it_stands_for(open_report, tmp_path):
    rt = _render_tests()
    report = rt.hub_report(tmp_path)
    hub = next(n["id"] for n in report["graph"]["nodes"] if n.get("hub") and n["id"].startswith("iamgraph:new:"))
    o = open_report(render_html(report), "hub")
    _click_node(o.page, hub)
    panel = o.page.locator("#ig-panel-body")
    assert panel.get_attribute("data-kind") == "node"
    text = panel.inner_text()
    assert "service resource hub" in text and "new lambda resource (12 passable roles)" in text
    assert "Edges out" in text and "fn-00" in text
    # following an edge link from the panel shows that edge's evidence
    o.page.locator("#ig-panel-body button.ig-link", has_text="fn-00").first.click()
    assert panel.get_attribute("data-kind") == "edge"
    assert "fn-00" in panel.inner_text()
    assert o.errors == [] and o.requests == []
