"""Resource limits on input (documented in docs/limits.md). Beyond each, the loader raises an
InputError naming the file and JSON path instead of using unbounded time or memory.

Every limit is far above what AWS itself accepts (the largest policy document AWS stores, a KMS
key policy, is 32 KB; an ARN is at most 2,048 characters), so no real account reaches one.
"""

from __future__ import annotations

import os
from typing import Any

# Input file size (bytes). IAMGRAPH_MAX_INPUT_MB raises it for very large multi-account snapshots.
MAX_INPUT_BYTES = int(os.environ.get("IAMGRAPH_MAX_INPUT_MB", "512")) * 1024 * 1024
# Statements in one policy document.
MAX_STATEMENTS = 10_000
# Values of one Action/NotAction/Resource/NotResource/Principal element, or of one condition key.
MAX_VALUES = 10_000
# Characters of one string in a policy element (an action, resource or principal pattern, a
# condition value) and of a policy document given as JSON text.
MAX_PATTERN_CHARS = 65_536
MAX_DOCUMENT_CHARS = 1_048_576
# Characters of an ARN (AWS: 20-2,048).
MAX_ARN_CHARS = 2_048
# Nesting depth of a policy document (documents are at most 5 deep; the surplus only allows
# unknown elements); a whole input file is limited by the JSON parser (see files.MAX_JSON_DEPTH).
MAX_DOCUMENT_DEPTH = 32


def not_unicode(text: str) -> bool:
    """Does `text` hold an unpaired surrogate (a str that cannot be encoded, printed or hashed)?"""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def depth_exceeds(value: Any, limit: int) -> bool:
    """Is `value` (parsed JSON) nested deeper than `limit` levels? Iterative: never recurses."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            items: Any = v.values()
        elif isinstance(v, list):
            items = v
        else:
            continue
        if d > limit:
            return True
        stack.extend((x, d + 1) for x in items if isinstance(x, (dict, list)))
    return False
