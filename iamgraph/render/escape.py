"""Account text prepared for the HTML page: long strings truncated (the full text kept for
"show all"), invisible and reordering characters shown as escapes.

A 300k-character tag took 21 s to paint and a 1 MB one never painted; a bidi override
(U+202E) makes a label read backwards; a zero-width space hides in a name. `label()` gives
what a label shows; `html_text()` the same, HTML-escaped, for server-side markup.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

MAX_LABEL_CHARS = 1024  # characters a label or cell shows before "… (N more characters)"
_HIDDEN = frozenset({"Cc", "Cf", "Cs"})  # controls, format (bidi, zero-width, BOM), lone surrogates


def visible(text: object) -> str:
    """`text` with control, format (bidi overrides, zero-width) and surrogate characters shown as
    escapes (`\\u202e`); everything else, line separators and emoji included, kept as is."""
    s = text if isinstance(text, str) else str(text)
    if s.isprintable():
        return s
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in s)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True, kw_only=True)
class Label:
    """What the page shows (`shown`) and, when it was cut, the whole text (`full`, None if not)."""

    shown: str
    full: str | None = None

    @property
    def truncated(self) -> bool:
        return self.full is not None


def label(text: object, max_chars: int = MAX_LABEL_CHARS) -> Label:
    """`text` with controls, bidi overrides and zero-width characters visibly escaped, cut to
    `max_chars` (the cut text ends with "… (N more characters)"; `full` keeps all of it)."""
    shown = visible(text)
    if len(shown) <= max_chars:
        return Label(shown=shown)
    rest = len(shown) - max_chars
    return Label(shown=f"{shown[:max_chars]}… ({rest:,} more characters)", full=shown)


def html_text(text: object, max_chars: int = MAX_LABEL_CHARS) -> str:
    """HTML for a label: escaped, truncated; a cut label carries its full text in a <details>."""
    lab = label(text, max_chars)
    if lab.full is None:
        return html.escape(lab.shown)
    return f'<details class="long-text"><summary>{html.escape(lab.shown)}</summary>{html.escape(lab.full)}</details>'
