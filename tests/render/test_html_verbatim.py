"""render.html.generate_html: pyvis's page with its syntax-free included files (vis-network's script
and CSS) put in after rendering is exactly `Network.generate_html()`; the fallbacks hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment, FileSystemLoader
from jinja2.ext import Extension
from pyvis.network import Network

from iamgraph.render.html import _options, generate_html, rendered_verbatim, script_json

# text without Jinja syntax: line breaks of every kind, NUL-free
_pieces = st.sampled_from(["a", "é", "\n", "\r\n", "\r", " ", "}", "{", "%", "#", "\t", "\u2028", "x\n\n"])
_texts = st.lists(_pieces, max_size=30).map("".join).filter(lambda s: not any(t in s for t in ("{{", "{%", "{#")))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_texts, st.booleans(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_rendered_verbatim_is_what_jinja_renders(text: str, keep: bool, newline: str) -> None:
    env = Environment(keep_trailing_newline=keep, newline_sequence=newline)  # type: ignore[arg-type]
    assert rendered_verbatim(text, env) == env.from_string(text).render()


def _network(folder: Path | None = None, root: str = "template.html") -> Network:
    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.nodes = [{"id": "n0", "group": "user", "label": "<a>&'\x00"}, {"id": "n1", "group": "role", "label": "b"}]
    net.edges = [{"id": "e0", "from": "n0", "to": "n1", "label": "x"}]
    net.options = _options(False)
    if folder is not None:
        net.templateEnv = Environment(loader=FileSystemLoader(str(folder)))
        net.path = root
    return net


@pytest.mark.parametrize("large", [False, True])
def test_pyvis_page_is_generate_htmls(large: bool) -> None:
    net = _network()
    net.options = _options(large)
    assert generate_html(net) == net.generate_html()
    assert "\x00" not in generate_html(net)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    return tmp_path


CASES = {
    "plain includes": {
        "template.html": "{{ heading }}[{% include 'a.js' %}][{% include 'b.css' %}][{% include 'a.js' %}]\n",
        "a.js": "x\r\ny\rz\n",
        "b.css": "p{color:red}\n\n",
    },
    "an include with syntax": {"template.html": "[{% include 'c.txt' %}]", "c.txt": "{{ width }} {# c #}\n"},
    "an include holding a NUL": {
        "template.html": "[{% include 'n.txt' %}][{% include 'b.txt' %}]",
        "n.txt": "\x00verbatim:1\x00",
        "b.txt": "B",
    },
    "a root holding a NUL": {
        "template.html": "{{ width }}\x00verbatim:0\x00{% include 'b.txt' %}",
        "b.txt": "B",
    },
    "an empty include": {"template.html": "[{% include 'e.txt' %}]", "e.txt": ""},
}


@pytest.mark.parametrize("files", CASES.values(), ids=list(CASES))
def test_templates_render_as_jinja_renders_them(tmp_path: Path, files: dict[str, str]) -> None:
    net = _network(_folder(tmp_path, files))
    assert generate_html(net) == net.generate_html()


class _Upper(Extension):
    """An extension that rewrites the .js files' source before Jinja lexes it."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return source.upper() if name and name.endswith(".js") else source


def test_a_non_plain_environment_renders_the_plain_way(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"template.html": "{{ width }}\n[{% include 'a.js' %}]", "a.js": "## x\nY\n"})
    for options in ({"line_comment_prefix": "##"}, {"line_statement_prefix": "##"}, {"extensions": [_Upper]}):
        net = _network(folder)
        net.templateEnv = Environment(loader=FileSystemLoader(str(folder)), **options)  # type: ignore[arg-type]
        if "line_statement_prefix" in options:
            (folder / "a.js").write_text("## if true\nY\n## endif\n", encoding="utf-8")
        assert generate_html(net) == net.generate_html()


def test_another_loader_renders_the_plain_way() -> None:
    net = _network()
    net.templateEnv = Environment(loader=DictLoader({"root": "[{% include 'a' %}]", "a": "A\n"}))
    net.path = "root"
    assert generate_html(net) == net.generate_html() == "[A]"


def test_script_json_escapes_after_the_compact_text() -> None:
    value = {"a": "<x>&\u2028\u2029", "b": [1, None, True], "c": 1.5}
    import json

    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        expected = expected.replace(char, esc)
    assert script_json(value) == expected
