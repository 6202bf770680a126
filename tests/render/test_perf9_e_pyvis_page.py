"""render.html's shipped pyvis page parts: the page `generate_html` writes from them is exactly
`Network.generate_html()`, and any input they were not made for renders through Jinja instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from iamgraph.render import html
from iamgraph.render.html import _options, _shipped_page, generate_html, page_network, pyvis_page

REGENERATE = (
    'regenerate with: python -c "import json; from iamgraph.render import html; '
    "open('iamgraph/render/html_assets/pyvis_page.json', 'w', encoding='utf-8').write("
    "json.dumps(html.pyvis_page(html.page_network()), indent=1, ensure_ascii=False) + '\\n')\""
)


def _net(large: bool = False, count: int = 2, **attrs: object):  # type: ignore[no-untyped-def]
    net = page_network()
    for name, value in attrs.items():
        setattr(net, name, value)
    net.nodes = [{"id": f"n{i}", "group": "user", "label": f"<a>&'\"\x00\u2028 {i}"} for i in range(count)]
    net.edges = [{"id": f"e{i}", "from": "n0", "to": f"n{i}", "label": "</script>"} for i in range(count)]
    net.options = _options(large)
    return net


def test_the_shipped_parts_are_this_pyvis_template_s() -> None:
    shipped = json.loads((Path(html.__file__).parent / "html_assets" / html.PAGE_FILE).read_text(encoding="utf-8"))
    assert shipped == pyvis_page(page_network()), REGENERATE


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("count", [0, 2, 150])
def test_pages_from_the_parts_are_generate_htmls(large: bool, count: int) -> None:
    net = _net(large, count)
    assert _shipped_page(net) is not None  # the parts apply
    assert generate_html(net) == net.generate_html()


@pytest.mark.parametrize(
    "attrs",
    [
        {"heading": "Title"},
        {"height": "100px"},
        {"width": "50%"},
        {"bgcolor": "#000000"},
        {"select_menu": True},
        {"filter_menu": True},
        {"neighborhood_highlight": True},
        {"conf": True},
        {"cdn_resources": "remote"},
    ],
)
def test_other_inputs_render_through_jinja(attrs: dict[str, object]) -> None:
    net = _net(**attrs)
    assert _shipped_page(net) is None
    assert generate_html(net) == net.generate_html()


def test_physics_titles_and_environments_render_through_jinja() -> None:
    net = _net(count=150)
    net.options = {**_options(True), "physics": {"enabled": True}}
    assert _shipped_page(net) is None
    assert generate_html(net) == net.generate_html()
    net = _net()
    net.nodes[0]["title"] = "x"
    assert _shipped_page(net) is None
    net = _net()
    net.templateEnv = net.templateEnv.overlay(newline_sequence="\r\n")
    assert _shipped_page(net) is None
    assert generate_html(net) == net.generate_html()


def test_another_template_text_renders_through_jinja(tmp_path: Path) -> None:
    net = _net()
    loader = net.templateEnv.loader
    assert isinstance(loader, FileSystemLoader)
    source = loader.get_source(net.templateEnv, "template.html")[0]
    (tmp_path / "template.html").write_text(source.replace("<h1>", "<h2>"), encoding="utf-8")
    net.templateEnv = Environment(loader=FileSystemLoader([str(tmp_path), *loader.searchpath]))
    assert _shipped_page(net) is None
    assert generate_html(net) == net.generate_html()
    assert "<h2>" in generate_html(net)
