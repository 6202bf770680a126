"""HTML labels: long account strings are cut (full text on demand), bidi/zero-width visible."""

from __future__ import annotations

import time

from iamgraph.render.escape import MAX_LABEL_CHARS, html_text, label


def test_short_label_unchanged() -> None:
    assert label("deploy-admin").shown == "deploy-admin" and not label("deploy-admin").truncated


def test_line_separators_and_emoji_stay() -> None:
    assert label("a\u2028b \U0001f525 管理者").shown == "a\u2028b \U0001f525 管理者"


def test_bidi_and_zero_width_are_visible() -> None:
    assert label("admin\u202egnp.exe").shown == "admin\\u202egnp.exe"
    assert label("ad\u200bmin\ufeff").shown == "ad\\u200bmin\\ufeff"
    assert label("x\u2066y\u2069").shown == "x\\u2066y\\u2069"


def test_long_label_is_cut_with_full_text_on_demand() -> None:
    start = time.perf_counter()
    lab = label("t" * 1_000_000)
    assert time.perf_counter() - start < 2
    assert lab.truncated and lab.full == "t" * 1_000_000
    assert lab.shown.startswith("t" * MAX_LABEL_CHARS)
    assert lab.shown.endswith(f"… ({1_000_000 - MAX_LABEL_CHARS:,} more characters)")


def test_html_text_escapes_and_wraps_long_text() -> None:
    assert html_text("<b>\u202e") == "&lt;b&gt;\\u202e"
    out = html_text("<script>" * 200)
    assert out.startswith('<details class="long-text"><summary>&lt;script&gt;') and "<script>" not in out
