"""HTML report without a browser: self-contained, hostile text stays data, subgraph selection, scale."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from iamgraph.render.html import LARGE_GRAPH, guess_kind, render_html, script_json


def _load_fixtures():
    name = "iamgraph_render_test_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fixtures.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fx = _load_fixtures()


class _Tags(HTMLParser):
    """Counts start tags and collects every attribute, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attrs.extend((tag, k, v) for k, v in attrs)


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="iamgraph-data">(.*?)</script>', page, re.S)
    assert m, "data block missing"
    return json.loads(m.group(1))


def _edges(data: dict) -> dict[str, dict]:
    """vis edge id -> the edge as the page script expands it (shared attributes + evidence rows + ends)."""
    out = {}
    for j, (frm, to, kind, *ev) in enumerate(data["edges"]):
        out[f"e{j}"] = {**data["edge_types"][kind], "from": data["nodes"][frm]["id"], "to": data["nodes"][to]["id"],
                        "evidence": [data["evidence"][i] for i in (ev[0] if ev else [])]}
    return out


def _doc(data: dict, index: int | None):
    return None if index is None else data["docs"][index]


def _vis_nodes(page: str) -> list[dict]:
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m, "pyvis node DataSet missing"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def sample_page() -> str:
    return render_html(fx.sample_report())


@pytest.fixture(scope="module")
def hostile_page() -> str:
    return render_html(fx.hostile_report())


def test_no_remote_resource_is_referenced(sample_page, hostile_page):
    for page in (sample_page, hostile_page):
        for tag, attr, value in _tags(page).attrs:
            if attr in ("src", "href", "action", "srcset", "data", "poster"):
                pytest.fail(f"<{tag} {attr}={value!r}> in the page")
        assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
        assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_hostile_text_never_appears_unescaped(hostile_page):
    for s in fx.HOSTILE_STRINGS:
        if any(c in s for c in "<>&\u2028\u2029"):
            assert s not in hostile_page, s
    assert "</script><script>" not in hostile_page
    assert "onerror" not in {a for _, a, _ in _tags(hostile_page).attrs}


def test_hostile_report_adds_no_elements_or_attributes(sample_page, hostile_page):
    sample, hostile = _tags(sample_page), _tags(hostile_page)
    assert hostile.tags == sample.tags
    assert {(t, a) for t, a, _ in hostile.attrs} == {(t, a) for t, a, _ in sample.attrs}
    assert not any(a.startswith("on") for _, a, _ in hostile.attrs)


def test_hostile_text_survives_as_data(hostile_page):
    data = _data(hostile_page)
    evil = "".join(fx.HOSTILE_STRINGS)
    labels = [n["label"] for n in data["nodes"]]
    assert evil in labels
    evil_node = next(n for n in data["nodes"] if n["label"] == evil)
    assert evil_node["details"]["description"] == evil
    # pyvis's own JSON carries only clipped labels, with no raw '<' or '&'
    for node in _vis_nodes(hostile_page):
        assert "title" not in node
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", hostile_page, re.S)
    assert "<" not in m.group(1) and "&" not in m.group(1)


def test_title_is_escaped():
    page = render_html(fx.sample_report(), title="</title><script>x()</script>")
    assert "<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>" in page
    assert _data(page)["title"] == "</title><script>x()</script>"


def test_script_json_escapes_breakout_characters():
    text = script_json({"a": "</script>\u2028&\u2029>"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script>\u2028&\u2029>"}


def test_default_draws_finding_subgraph_and_full_graph_draws_all():
    sub = render_html(fx.sample_report())
    full = render_html(fx.sample_report(), full_graph=True)
    assert len(_vis_nodes(sub)) == fx.SAMPLE_SUBGRAPH_NODES
    assert len(_vis_nodes(full)) == fx.SAMPLE_FULL_NODES
    ids_sub = {n["id"] for n in _data(sub)["nodes"]}
    assert fx.AUDIT not in ids_sub and fx.FREELANCER in ids_sub and fx.ADMIN_SINK in ids_sub
    assert _data(full)["drawn"] == {"nodes": 10, "edges": 9, "full_graph": True, "total_nodes": 10,
                                     "large": False}


def test_path_edges_are_red_and_conditional_hops_dashed(sample_page):
    data = _data(sample_page)
    m = re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", sample_page, re.S)
    vis_edges = {e["id"]: e for e in json.loads(m.group(1))}
    by_technique = {d["technique"]: vis_edges[eid] for eid, d in _edges(data).items()}
    assert by_technique["lambda-001"]["color"] == "#d62728" and "dashes" not in by_technique["lambda-001"]
    assert by_technique["iam-002"]["dashes"] is True          # MFA condition
    assert by_technique["lambda-003"]["dashes"] is True       # missing inventory
    assert by_technique["lambda-001"]["label"] == "lambda-001"
    finding = data["findings"][0]
    assert [_edges(data)[e]["technique"] for e in finding["hop_edges"]] == ["lambda-001", "admin"]


def test_report_without_graph_draws_finding_nodes_with_guessed_kinds():
    page = render_html(fx.sample_report(with_graph=False))
    kinds = {n["id"]: n["kind"] for n in _data(page)["nodes"]}
    assert len(kinds) == fx.SAMPLE_SUBGRAPH_NODES
    assert kinds[fx.FREELANCER] == "user" and kinds[fx.LAMBDA_ADMIN] == "role"
    assert kinds[fx.PARTNER] == "external" and kinds[fx.ADMIN_SINK] == "admin"
    assert guess_kind("lambda.amazonaws.com") == "service"
    assert guess_kind("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com") == "federated"


def test_empty_report_renders():
    page = render_html({"schema_version": "1", "findings": [], "summary": {}})
    assert _vis_nodes(page) == [] and _data(page)["findings"] == []


def test_small_graph_uses_hierarchical_layout_without_positions(sample_page):
    assert all("x" not in n for n in _vis_nodes(sample_page))
    assert '"hierarchical": {"enabled": true' in sample_page


def test_quota_size_report_is_fast_small_and_precomputed():
    report = fx.large_report()
    page = render_html(report, full_graph=True)   # speed is measured by benchmarks/run.py, not here
    assert len(page.encode("utf-8")) < 20 * 1024 * 1024
    nodes = _vis_nodes(page)
    assert len(nodes) == len(report["graph"]["nodes"]) > LARGE_GRAPH
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)     # no two nodes on the same spot
    assert '"physics": {"enabled": false}' in page and '"improvedLayout": false' in page
    sub = _vis_nodes(render_html(report))
    assert len(sub) < len(nodes)
    touched = {x for f in report["findings"] for h in f["path"] for x in (h["from"], h["to"])}
    assert len(sub) == len(touched)
