"""Read an input file: bytes -> text (UTF-8, UTF-8 with BOM, UTF-16/32 with BOM) -> JSON.

Every failure raises InputError naming the file and, for JSON syntax errors, the line/column
and the JSON path of the element being read when the error was found.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from ..errors import InputError

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
            encoding, data = enc, data[len(bom):]
            break
    else:
        if len(data) >= 2 and data[0] != 0 and data[1] == 0:
            encoding = "utf-16-le"
        elif len(data) >= 2 and data[0] == 0 and data[1] != 0:
            encoding = "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {encoding.upper()} text (bad byte at offset {exc.start})"
                         + (" - the file may be truncated" if exc.end >= len(data) else ""),
                         file=file) from None


def read_text(path: str | Path) -> str:
    """Text of `path`; a missing file, a directory or a 0-byte file is an InputError."""
    p = Path(path)
    name = str(path)
    if p.is_dir():
        raise InputError("is a directory, not a JSON file", file=name)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", file=name) from None
    if not data:
        raise InputError("file is empty (0 bytes)", file=name)
    text = decode_bytes(data, file=name)
    if not text.strip():
        raise InputError("file holds only whitespace, no JSON", file=name)
    return text


def parse_json(text: str, *, file: str | None) -> Any:
    """Parse JSON text; a syntax error names line, column and the JSON path being read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = json_path_at(text, exc.pos)
        unterminated = exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1:]
        rest = text[exc.pos:].strip()
        cut_literal = bool(rest) and any(word.startswith(rest) for word in ("true", "false", "null"))
        if unterminated or cut_literal or not rest:
            msg = f"file ends in the middle of the JSON (truncated?) at line {exc.lineno} column {exc.colno}"
        else:
            msg = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InputError(msg, file=file, path=where) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", file=file) from None


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
    stack: list[list[Any]] = []   # ["obj", key | None, expecting_key] or ["arr", index]
    i, n = 0, min(pos, len(text))
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if stack and stack[-1][0] == "obj" and stack[-1][2]:
                try:
                    stack[-1][1] = json.loads(text[i:j + 1])
                except ValueError:
                    stack[-1][1] = text[i + 1:j]
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
