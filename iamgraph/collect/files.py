"""Read an input file: bytes -> text (UTF-8, UTF-8 with BOM, UTF-16/32 with BOM) -> JSON.

Every failure raises InputError naming the file and, for JSON syntax errors, the line/column
and the JSON path of the element being read when the error was found.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from .limits import MAX_INPUT_BYTES

# The JSON parser's own nesting limit (it recurses): deeper input is an InputError. Measured:
# CPython's json module stops a little below the interpreter's recursion limit.
MAX_JSON_DEPTH = sys.getrecursionlimit()
_INT_DIGITS = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
_STRING_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)  # the rest of a JSON string, closing quote included
_LONG_INT = re.compile(rf"\d{{{_INT_DIGITS + 1},}}") if _INT_DIGITS else None
# a \uD800-\uDBFF escape not followed by a \uDC00-\uDFFF one, or a low one without a high one
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, *, file: str | None) -> str:
    """Decode file bytes: a BOM decides the encoding; without one, UTF-8 (or BOM-less UTF-16,
    recognised by the NUL bytes ASCII JSON has in UTF-16)."""
    encoding = "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding, data = enc, data[len(bom) :]
            break
    else:
        if len(data) >= 2 and data[0] != 0 and data[1] == 0:
            encoding = "utf-16-le"
        elif len(data) >= 2 and data[0] == 0 and data[1] != 0:
            encoding = "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding.upper()} text (bad byte at offset {exc.start})"
            + (" - the file may be truncated" if exc.end >= len(data) else ""),
            file=file,
        ) from None


def read_text(path: str | Path) -> str:
    """Text of `path`; a missing file, a directory or a 0-byte file is an InputError."""
    p = Path(path)
    name = str(path)
    if p.is_dir():
        raise InputError("is a directory, not a JSON file", file=name)
    try:
        size = p.stat().st_size
    except OSError:
        size = 0
    if size > MAX_INPUT_BYTES:  # checked before reading: a huge file is never loaded into memory
        raise InputError(
            f"file is {size / 2**20:.0f} MiB, over the input limit of "
            f"{MAX_INPUT_BYTES / 2**20:.0f} MiB (set IAMGRAPH_MAX_INPUT_MB to raise it)",
            file=name,
        )
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", file=name) from None
    if not data:
        raise InputError("file is empty (0 bytes)", file=name)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"file is {len(data) / 2**20:.0f} MiB, over the input limit of "
            f"{MAX_INPUT_BYTES / 2**20:.0f} MiB (set IAMGRAPH_MAX_INPUT_MB to raise it)",
            file=name,
        )
    text = decode_bytes(data, file=name)
    if not text or text.isspace():  # not text.strip(), without its copy of the text
        raise InputError("file holds only whitespace, no JSON", file=name)
    return text


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return out


def _inner(prefix: str, sub: str) -> str:
    """JSON path `sub` ("$..." inside an embedded document) appended to the document's path."""
    return prefix + sub[1:] if prefix != "$" else sub


def lone_surrogate_at(text: str) -> int:
    """Offset of the first `\\uXXXX` escape of an unpaired UTF-16 surrogate (-1: none)."""
    if "\\" not in text or "\\u" not in text:  # the first test is a memchr, ten times faster
        return -1
    for m in _LONE_SURROGATE.finditer(text):
        i = j = m.start()
        while j > 0 and text[j - 1] == "\\":  # runs before distinct matches are disjoint: linear
            j -= 1
        if (i - j) % 2 == 0:  # the backslash of the escape is not itself escaped
            return i
    return -1


def parse_json(text: str, *, file: str | None, path: str = "$", reject_duplicates: bool = False) -> Any:
    """Parse JSON text; every failure is one InputError naming the JSON path.

    Syntax errors give line and column; integers beyond Python's digit limit, nesting beyond
    MAX_JSON_DEPTH and unpaired surrogate escapes (not Unicode: they could not be printed or
    hashed later) are rejected. Duplicate keys: the last one wins, as in the AWS CLI and boto3
    that write these files; with `reject_duplicates` (policy documents given as JSON text,
    exactly as their author wrote them) a duplicate key is an error. `path`: where `text` sits.
    """
    bad = lone_surrogate_at(text)
    if bad >= 0:
        raise InputError(
            f"string holds {text[bad : bad + 6]}, an unpaired UTF-16 surrogate (not valid Unicode)",
            file=file,
            path=_inner(path, json_path_at(text, bad)),
        )
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs if reject_duplicates else None)
    except _DuplicateKey as exc:
        raise InputError(
            f"duplicate key {exc.key!r} in an object: which copy AWS applies is undefined, so iamgraph does not guess",
            file=file,
            path=path,
        ) from None
    except json.JSONDecodeError as exc:
        where = _inner(path, json_path_at(text, exc.pos))
        unterminated = exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1 :]
        rest = text[exc.pos :].strip()
        cut_literal = bool(rest) and any(word.startswith(rest) for word in ("true", "false", "null"))
        if unterminated or cut_literal or not rest:
            msg = f"file ends in the middle of the JSON (truncated?) at line {exc.lineno} column {exc.colno}"
        else:
            msg = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InputError(msg, file=file, path=where) from None
    except RecursionError:
        raise InputError(
            f"JSON nested too deeply (limit: about {MAX_JSON_DEPTH} levels)", file=file, path=path
        ) from None
    except ValueError as exc:  # e.g. an integer literal over the int-string digit limit
        m = _LONG_INT.search(text) if _LONG_INT is not None else None
        if m is None:
            raise InputError(f"not valid JSON ({exc})", file=file, path=path) from None
        raise InputError(
            f"number with {len(m.group())} digits, over the limit of {_INT_DIGITS}",
            file=file,
            path=_inner(path, json_path_at(text, m.start())),
        ) from None


def read_json(path: str | Path) -> Any:
    """Read and parse one JSON file (see read_text and parse_json)."""
    return parse_json(read_text(path), file=str(path))


def _key_part(key: str) -> str:
    return f".{key}" if key.isidentifier() else f"[{json.dumps(key)}]"


def json_path_at(text: str, pos: int) -> str:
    """JSON path (`$.a[2].b`) of the element being read at character `pos` of `text`.

    A small scanner over the prefix: tracks containers, the current key and array index.
    Only used for error messages, so it favours simplicity over speed.
    """
    stack: list[list[Any]] = []  # ["obj", key | None, expecting_key] or ["arr", index]
    i, n = 0, min(pos, len(text))
    while i < n:
        c = text[i]
        if c == '"':
            m = _STRING_REST.match(text, i + 1)
            j = m.end() - 1 if m else len(text)
            if stack and stack[-1][0] == "obj" and stack[-1][2]:
                try:
                    stack[-1][1] = json.loads(text[i : j + 1])
                except ValueError:
                    stack[-1][1] = text[i + 1 : j]
            i = j + 1
            continue
        if c == "{":
            stack.append(["obj", None, True])
        elif c == "[":
            stack.append(["arr", 0])
        elif c in "}]":
            if stack:
                stack.pop()
        elif c == ":" and stack and stack[-1][0] == "obj":
            stack[-1][2] = False
        elif c == "," and stack:
            if stack[-1][0] == "arr":
                stack[-1][1] += 1
            else:
                stack[-1][1], stack[-1][2] = None, True
        i += 1
    out = "$"
    for frame in stack:
        if frame[0] == "arr":
            out += f"[{frame[1]}]"
        elif frame[1] is not None:
            out += _key_part(str(frame[1]))
    return out
