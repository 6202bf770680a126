"""Text hygiene shared by the exporters: one canonical JSON encoding and per-format escaping.

Every string an exporter writes passes through `clean`: lone UTF-16 surrogates (which a JSON input
can smuggle in and no UTF-8 file can hold) become U+FFFD. The per-format helpers escape the rest.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
# characters XML 1.0 cannot carry at all (C0 controls but TAB/LF/CR, U+FFFE/U+FFFF)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Cypher string escapes understood by both Neo4j and FalkorDB (FalkorDB has no \\uXXXX)
_CYPHER_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_CYPHER_SPECIAL = re.compile("[\\\\'\"\n\r\t\b\f]")
_CYPHER_UNSPELLABLE = re.compile("[\x00-\x07\x0b\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD (everything else unchanged)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def json_text(value: Any) -> str:
    """Canonical compact JSON of `value` (sorted keys, UTF-8 characters kept; control characters
    and quotes escaped by JSON itself): used for every JSON-encoded property."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if _SURROGATE.search(text):  # rare: clean the strings (keys too), then encode again
        text = json.dumps(_clean_deep(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text


def _clean_deep(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): _clean_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_deep(v) for v in value]
    return value


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can carry it through a parser unchanged: CR and CRLF become LF (an XML
    parser normalises them anyway), characters XML forbids become U+FFFD. Markup (`<`, `&`) is
    escaped later by the XML writer."""
    out = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("\ufffd", out)


def cypher_string(text: str) -> str:
    """A single-quoted Cypher string literal for `text`. Non-ASCII stays as UTF-8; quotes,
    backslashes and \\n \\r \\t \\b \\f are escaped; other control characters (which no escape
    common to Neo4j and FalkorDB can spell) become U+FFFD."""
    out = _CYPHER_UNSPELLABLE.sub("\ufffd", clean(text))
    return "'" + _CYPHER_SPECIAL.sub(lambda m: _CYPHER_ESCAPES[m.group(0)], out) + "'"
