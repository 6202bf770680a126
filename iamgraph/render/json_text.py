"""`json.dumps(obj, indent=2, ensure_ascii=False)`'s exact text (and the compact form's, with
`separators=(",", ":")`), written by orjson (in C) when that is certain to be the same text.

orjson's OPT_INDENT_2 output equals the standard encoder's for plain JSON data: dicts with string
keys, lists, tuples, strings, integers within 64 bits, booleans and None. It differs for floats
(short forms, NaN/Infinity) and for types the standard encoder refuses but orjson writes
(dataclasses, enums, datetimes, ...), and orjson refuses non-string keys, integers beyond 64 bits,
lone surrogates and cycles. So orjson writes first; its text is used only if every value turns
out to be of an exact plain type (checked after orjson succeeded, which also means the data is
finite and acyclic); anything else is written by the standard encoder, errors included.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_SCALARS = frozenset({str, int, bool, type(None)})


def indented(obj: Any) -> str:
    """Exactly `json.dumps(obj, indent=2, ensure_ascii=False)` (same text, same exceptions)."""
    try:
        text = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return json.dumps(obj, indent=2, ensure_ascii=False)
    if not is_plain(obj):
        return json.dumps(obj, indent=2, ensure_ascii=False)
    return text.decode()


def compact(obj: Any) -> str:
    """Exactly `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))` (same text, same
    exceptions), written by orjson under the same rule as `indented`."""
    try:
        text = orjson.dumps(obj)
    except orjson.JSONEncodeError:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if not is_plain(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.decode()


def is_plain(obj: Any) -> bool:
    """Whether `obj` holds only dicts, lists, tuples, str, int, bool and None (exact types, no
    subclass; dict keys are not looked at). Iterative; loops forever on a cyclic value, so call it
    only on data orjson has written."""
    if type(obj) in _SCALARS:
        return True
    stack = [obj]
    pop, push, scalars = stack.pop, stack.append, _SCALARS
    while stack:
        o = pop()
        t = type(o)
        if t is dict:
            values = o.values()
        elif t is list or t is tuple:
            values = o
        else:
            return False
        for v in values:
            tv = type(v)
            if tv in scalars:
                continue
            if tv is dict or tv is list or tv is tuple:
                push(v)
            else:
                return False
    return True


__all__ = ["compact", "indented", "is_plain"]
