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

from iamgraph.query.report import Report
from iamgraph.render import html as _html_renderer
from iamgraph.render.html import LARGE_GRAPH, script_json


def render_html(report: dict, **kw) -> str:
    """The renderer takes a Report; these tests write reports as the JSON documents they are."""
    return _html_renderer.render_html(Report.from_json(report), **kw)


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
    data = json.loads(m.group(1))
    for f in data["findings"]:  # as the page script does: hops and details are shared by index
        f["path"] = [data["hops"][i] for i in f["path"]]
        if "details" in f:
            f["details"] = data["finding_details"][f["details"]]
    return data


def _edges(data: dict) -> dict[str, dict]:
    """vis edge id -> the edge as the page script expands it (shared attributes + evidence rows + ends)."""
    out = {}
    for j, (frm, to, kind, *ev) in enumerate(data["edges"]):
        out[f"e{j}"] = {
            **data["edge_types"][kind],
            "from": data["nodes"][frm]["id"],
            "to": data["nodes"][to]["id"],
            "evidence": [data["evidence"][i] for i in (ev[0] if ev else [])],
        }
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
    data_sub = _data(sub)
    drawn_ids = {data_sub["nodes"][int(n["id"][1:])]["id"] for n in _vis_nodes(sub)}
    assert fx.AUDIT not in drawn_ids and fx.FREELANCER in drawn_ids and fx.ADMIN_SINK in drawn_ids
    # the rest of the graph travels in the page, after the drawn nodes, to be drawn on demand
    assert [n["id"] for n in data_sub["nodes"][fx.SAMPLE_SUBGRAPH_NODES :]] == sorted(
        {n["id"] for n in fx.sample_report()["graph"]["nodes"]} - drawn_ids,
        key=[n["id"] for n in fx.sample_report()["graph"]["nodes"]].index,
    )
    assert data_sub["drawn"] == {
        "nodes": 7,
        "edges": 6,
        "full_graph": False,
        "total_nodes": 10,
        "total_edges": 9,
        "large": False,
    }
    assert _data(full)["drawn"] == {
        "nodes": 10,
        "edges": 9,
        "full_graph": True,
        "total_nodes": 10,
        "total_edges": 9,
        "large": False,
    }


def test_path_edges_are_red_and_conditional_hops_dashed(sample_page):
    data = _data(sample_page)
    m = re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", sample_page, re.S)
    vis_edges = {e["id"]: e for e in json.loads(m.group(1))}
    by_technique = {d["technique"]: vis_edges[eid] for eid, d in _edges(data).items() if eid in vis_edges}
    assert by_technique["lambda-001"]["color"] == "#d62728" and "dashes" not in by_technique["lambda-001"]
    assert by_technique["iam-002"]["dashes"] is True  # MFA condition
    assert by_technique["lambda-003"]["dashes"] is True  # missing inventory
    assert by_technique["lambda-001"]["label"] == "lambda-001"
    finding = data["findings"][0]
    assert [_edges(data)[e]["technique"] for e in finding["hop_edges"]] == ["lambda-001", "admin"]


def test_report_without_graph_draws_finding_nodes_with_kinds_from_the_node_table():
    page = render_html(fx.sample_report(with_graph=False))
    kinds = {n["id"]: n["kind"] for n in _data(page)["nodes"]}
    assert len(kinds) == fx.SAMPLE_SUBGRAPH_NODES
    assert kinds[fx.FREELANCER] == "user" and kinds[fx.LAMBDA_ADMIN] == "role"
    assert kinds[fx.PARTNER] == "external" and kinds[fx.ADMIN_SINK] == "admin"
    labels = {n["id"]: n["label"] for n in _data(page)["nodes"]}
    assert labels[fx.ADMIN_SINK] == "ADMIN"  # the graph's label, not a rule about the id
    # no node table: kinds are unknown, never guessed from the id text
    bare = {k: v for k, v in fx.sample_report(with_graph=False).items() if k != "nodes"}
    assert {n["kind"] for n in _data(render_html(bare))["nodes"]} == {None}


def test_empty_report_renders():
    page = render_html({"schema_version": "1", "findings": [], "summary": {}})
    assert _vis_nodes(page) == [] and _data(page)["findings"] == []


def test_small_graph_uses_hierarchical_layout_without_positions(sample_page):
    assert all("x" not in n for n in _vis_nodes(sample_page))
    assert '"hierarchical": {"enabled": true' in sample_page


def test_quota_size_report_is_fast_small_and_precomputed():
    report = fx.large_report()
    page = render_html(report, full_graph=True)  # speed is measured by benchmarks/run.py, not here
    assert len(page.encode("utf-8")) < 20 * 1024 * 1024
    nodes = _vis_nodes(page)
    assert len(nodes) == len(report["graph"]["nodes"]) > LARGE_GRAPH
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)  # no two nodes on the same spot
    assert '"physics": {"enabled": false}' in page and '"improvedLayout": false' in page
    sub = _vis_nodes(render_html(report))
    assert len(sub) < len(nodes)
    touched = {x for f in report["findings"] for h in f["path"] for x in (h["from"], h["to"])}
    assert len(sub) == len(touched)


# --- the real pipeline: GAAD -> graph -> report["graph"] -> page -----------------------------------------------

SHARED_MARKER = "SharedReadOnlyMarker7f3a"
SHARED_ARN = "arn:aws:iam::111122223333:policy/shared-readonly"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
LAMBDA_ROLES = 12  # more than the PassRole hub threshold: the roles fan out through one hub node


def _iam_id(prefix: str, name: str) -> str:
    return prefix + "".join(c for c in name.upper() if c.isalnum()).ljust(17, "X")[:17]


def hub_account() -> dict:
    """A GAAD: one customer managed policy shared by two users and a role; twelve Lambda roles with equal trust
    policies (one of them admin); ``dev`` may pass any role to a new function and update existing functions."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    shared = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": SHARED_MARKER, "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}
        ],
    }
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    dev_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "PassAny", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {
                "Sid": "Functions",
                "Effect": "Allow",
                "Resource": "*",
                "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionCode"],
            },
        ],
    }

    def attached(*arns: str) -> list[dict]:
        return [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in arns]

    def user(name: str, inline: dict | None = None, managed: tuple[str, ...] = ()) -> dict:
        return {
            "Path": "/",
            "UserName": name,
            "UserId": _iam_id("AIDA", name),
            "Arn": f"arn:aws:iam::111122223333:user/{name}",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "UserPolicyList": [{"PolicyName": "dev", "PolicyDocument": inline}] if inline else [],
            "GroupList": [],
            "AttachedManagedPolicies": attached(*managed),
            "Tags": [],
        }

    def role(name: str, trust_doc: dict, managed: tuple[str, ...] = ()) -> dict:
        return {
            "Path": "/",
            "RoleName": name,
            "RoleId": _iam_id("AROA", name),
            "Arn": f"arn:aws:iam::111122223333:role/{name}",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "AssumeRolePolicyDocument": trust_doc,
            "InstanceProfileList": [],
            "RolePolicyList": [],
            "AttachedManagedPolicies": attached(*managed),
            "Tags": [],
        }

    def policy(arn: str, doc: dict, count: int) -> dict:
        name = arn.rsplit("/", 1)[1]
        return {
            "PolicyName": name,
            "PolicyId": _iam_id("ANPA", name),
            "Arn": arn,
            "Path": "/",
            "DefaultVersionId": "v1",
            "AttachmentCount": count,
            "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True,
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "UpdateDate": "2024-01-01T00:00:00+00:00",
            "PolicyVersionList": [
                {
                    "Document": doc,
                    "VersionId": "v1",
                    "IsDefaultVersion": True,
                    "CreateDate": "2024-01-01T00:00:00+00:00",
                }
            ],
        }

    ops_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:user/analyst-1"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    roles = [role(f"fn-{i:02d}", trust, (ADMIN_ARN,) if i == 0 else ()) for i in range(LAMBDA_ROLES)]
    roles.append(role("reporting", ops_trust, (SHARED_ARN,)))
    return {
        "UserDetailList": [
            user("dev", dev_policy),
            user("analyst-1", managed=(SHARED_ARN,)),
            user("analyst-2", managed=(SHARED_ARN,)),
        ],
        "GroupDetailList": [],
        "RoleDetailList": roles,
        "Policies": [policy(SHARED_ARN, shared, 3), policy(ADMIN_ARN, admin, 1)],
    }


def hub_report(tmp_path: Path) -> dict:
    from iamgraph import api

    path = tmp_path / "hub-account.json"
    path.write_text(json.dumps(hub_account()), encoding="utf-8")
    return api.scan_files([path], include_graph=True)


SHARING = [f"arn:aws:iam::111122223333:{x}" for x in ("user/analyst-1", "user/analyst-2", "role/reporting")]


def test_graph_export_stores_a_shared_managed_policy_document_once(tmp_path):
    graph = hub_report(tmp_path)["graph"]
    docs = graph["documents"]
    holding = [d for d, doc in docs.items() if SHARED_MARKER in json.dumps(doc)]
    assert len(holding) == 1
    nodes = {n["id"]: n for n in graph["nodes"]}
    refs = {
        arn: [p["document_id"] for p in nodes[arn]["details"]["policies"] if p["policy"] == SHARED_ARN]
        for arn in SHARING
    }
    assert refs == {arn: holding for arn in SHARING}
    assert docs[holding[0]]["Statement"][0]["Sid"] == SHARED_MARKER
    # equal trust policies of the twelve Lambda roles are stored once too
    trust_ids = {
        nodes[f"arn:aws:iam::111122223333:role/fn-{i:02d}"]["details"]["trust_policy_id"] for i in range(LAMBDA_ROLES)
    }
    assert len(trust_ids) == 1 and "lambda.amazonaws.com" in json.dumps(docs[trust_ids.pop()])
    # every reference resolves
    for n in graph["nodes"]:
        d = n["details"]
        assert all(p["document_id"] in docs for p in d.get("policies", []))
        assert d.get("trust_policy_id", "d0") in docs


def test_page_holds_a_shared_document_once_and_every_holder_references_it(tmp_path):
    page = render_html(hub_report(tmp_path), full_graph=True)
    assert page.count(SHARED_MARKER) == 1
    data = _data(page)
    [index] = [i for i, doc in enumerate(data["docs"]) if SHARED_MARKER in json.dumps(doc)]
    by_id = {n["id"]: n for n in data["nodes"]}
    for arn in SHARING:
        assert [p["doc"] for p in by_id[arn]["details"]["policies"] if p["policy"] == SHARED_ARN] == [index]
    assert len(data["docs"]) == len({json.dumps(d, sort_keys=True) for d in data["docs"]})


def test_inline_documents_in_a_report_are_interned_too():
    report = fx.sample_report()  # documents inline in node details, the admin policy on two nodes
    data = _data(render_html(report, full_graph=True))
    admin_holders = [
        n
        for n in data["nodes"]
        if any(p["policy"] == fx.ADMIN_POLICY for p in n.get("details", {}).get("policies", []))
    ]
    assert len(admin_holders) == 2
    indexes = {p["doc"] for n in admin_holders for p in n["details"]["policies"]}
    assert len(indexes) == 1 and data["docs"][indexes.pop()] == fx.ADMIN_DOC


def test_hub_nodes_render_as_service_resources_with_their_label(tmp_path):
    report = hub_report(tmp_path)
    hubs = [n for n in report["graph"]["nodes"] if n.get("hub")]
    assert {h["id"].split(":")[1] for h in hubs} == {"new", "existing"}
    assert all(h["kind"] == "service" for h in hubs)
    page = render_html(report, full_graph=True)
    data = _data(page)
    vis = {n["id"]: n for n in _vis_nodes(page)}
    for i, n in enumerate(data["nodes"]):
        if n.get("hub"):
            assert vis[f"n{i}"]["group"] == "hub" and vis[f"n{i}"]["label"] == n["label"]
            assert n["kind"] == "service"
    assert '"hub": {"color": "#76b7b2"' in page  # the service colour
    assert any(item["kind"] == "hub" for item in data["legend"])
    # the escalation through the new-function hub is drawn in the default (findings) subgraph
    sub = _data(render_html(report))
    dev = "arn:aws:iam::111122223333:user/dev"
    through_hub = [
        f
        for f in sub["findings"]
        if f["source"] == dev and f["reaches_admin"] and any(h["to"].startswith("iamgraph:new:") for h in f["path"])
    ]
    assert through_hub
    drawn = {n["id"] for n in sub["nodes"]}
    assert {h["to"] for h in through_hub[0]["path"]} <= drawn
    assert all(e is not None for e in through_hub[0]["hop_edges"])


def test_hub_and_service_kinds_without_a_graph_come_from_the_report(tmp_path):
    from iamgraph import api

    path = tmp_path / "hub-account.json"
    path.write_text(json.dumps(hub_account()), encoding="utf-8")
    report = api.scan_files([path])  # no graph member: the node table is all there is
    assert "graph" not in report
    hubs = [n for n in _data(render_html(report))["nodes"] if n["id"].startswith("iamgraph:new:")]
    assert hubs and all(n["kind"] == "service" and n.get("hub") for n in hubs)
    assert all(report["nodes"][n["id"]]["label"] == n["label"] for n in hubs)


def test_reach_html_for_a_principal(tmp_path):
    import typer.testing

    import iamgraph.cli.commands_scan  # noqa: F401  (registers the commands on the app)
    from iamgraph.cli.app import app

    gaad = tmp_path / "hub-account.json"
    gaad.write_text(json.dumps(hub_account()), encoding="utf-8")
    out = tmp_path / "reach.html"
    result = typer.testing.CliRunner().invoke(
        app,
        [
            "reach",
            "dev",
            "--input",
            str(gaad),
            "--html",
            str(out),
            "--format",
            "json",
            "--output",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    data = _data(page)
    assert data["title"] == "iamgraph: reach of dev"
    assert data["findings"] and all(f["query"] == "reach" for f in data["findings"])
    ids = {data["nodes"][int(n["id"][1:])]["id"] for n in _vis_nodes(page)}  # drawn at load
    assert "arn:aws:iam::111122223333:user/dev" in ids
    assert "arn:aws:iam::111122223333:role/fn-00" in ids  # the admin role it can run a function as
    assert len(_vis_nodes(page)) == data["drawn"]["nodes"] <= len(data["nodes"])
    assert all(e is not None for f in data["findings"] for e in f["hop_edges"])
