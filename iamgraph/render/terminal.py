"""Account text made safe for a terminal: shown, never obeyed.

Names, policy text and error messages come from the scanned account (possibly an attacker). On a
terminal they must neither act (escape sequences that retitle the window, clear the screen, move
the cursor; bidi overrides that reorder what is read) nor be read as rich markup (`[/x]` raises
MarkupError; long backslash runs make rich's markup parser quadratic). So:

- `clean(text)`: every character that is not printable (C0/C1 controls, DEL, format characters
  such as bidi overrides and zero-width spaces, line separators, unpaired surrogates, private
  use) is replaced by its visible escape (`\\x1b`, `\\u202e`, `\\ud800`); printable text is
  returned as is. Linear time.
- `plain(text, style)`: a rich `Text` of the cleaned text: rich prints it verbatim, no markup.
- `line(*parts)`: a `Text` assembled from (text, style) pairs or plain strings, all cleaned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported by plain()/line() only: clean() is used where nothing is drawn
    from rich.text import Text


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def clean(text: object) -> str:
    """`text` (str() of it) with every non-printable character shown as its escape."""
    s = text if isinstance(text, str) else str(text)
    if s.isprintable():
        return s
    return "".join(ch if ch.isprintable() else _escape_char(ch) for ch in s)


def clean_lines(text: str) -> str:
    """Several lines of output: each line cleaned, the line breaks kept."""
    return "\n".join(clean(ln) for ln in text.split("\n"))


def plain(text: object, style: str = "") -> Text:
    """Cleaned account text as a rich Text (never parsed as markup)."""
    from rich.text import Text

    return Text(clean(text), style=style)


def line(*parts: object) -> Text:
    """A Text of several parts: `(text, style)` pairs or plain values, each cleaned."""
    from rich.text import Text

    out = Text()
    for p in parts:
        if isinstance(p, tuple) and len(p) == 2:
            out.append(clean(p[0]), style=str(p[1]) or None)
        else:
            out.append(clean(p))
    return out
