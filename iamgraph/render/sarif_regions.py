"""Where a cited policy statement sits in an input file: SARIF ``region`` (1-based lines and columns).

The input is the GAAD or snapshot JSON the report was built from. An evidence row names the policy
(ARN or inline name), its type, the holder (``attached_to``) and the statement index; this module finds
that statement's JSON value in the file (the holder's inline policy, the managed policy's default
version, or the role's trust policy, wherever the GAAD sits in the file) and returns its span. A
document kept as a (URL-encoded) string is located as that whole string. Nothing found -> None.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from ..collect.files import decode_bytes

JsonPath = tuple[str | int, ...]
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)
_INLINE_LISTS = ("UserPolicyList", "GroupPolicyList", "RolePolicyList")
_MAX_DEPTH = 12  # spans are kept for containers this deep at most (statements sit at depth 7-9)


class EvidenceLike(Protocol):
    """An evidence row: a dict, or a typed row with ``get`` (iamgraph.query.report.EvidenceRow)."""

    def get(self, key: str, default: Any = None) -> Any: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Region:
    """A span in a text file, SARIF style: 1-based lines, 1-based columns in Unicode code points."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    def to_sarif(self) -> dict[str, int]:
        return {
            "startLine": self.start_line,
            "startColumn": self.start_column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
        }


class _Indexed:
    """A parsed JSON file plus the character span of every container (and string) value, by JSON path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.value: Any = json.loads(text)
        self.spans: dict[JsonPath, tuple[int, int]] = {}
        self._lines = [m.end() for m in re.finditer("\n", text)]
        self._scan()

    def _scan(self) -> None:
        stack: list[tuple[str, JsonPath, int, list[Any]]] = []  # (kind, path, start, [next key / index])
        key: str | None = None
        expecting_key = False
        for m in _TOKEN.finditer(self.text):
            tok = m.group()
            if tok in ",:":
                if tok == "," and stack and stack[-1][0] == "{":
                    expecting_key = True
                continue
            if stack and stack[-1][0] == "{" and expecting_key and tok.startswith('"'):
                key = json.loads(tok)
                expecting_key = False
                continue
            if tok in "}]":
                kind, path, start, _ = stack.pop()
                if len(path) <= _MAX_DEPTH:
                    self.spans[path] = (start, m.end())
                self._advance(stack)
                continue
            path = self._child_path(stack, key)
            if tok in "{[":
                stack.append((tok, path, m.start(), [0]))
                expecting_key = tok == "{"
                continue
            if tok.startswith('"') and len(path) <= _MAX_DEPTH:
                self.spans[path] = (m.start(), m.end())
            self._advance(stack)

    @staticmethod
    def _child_path(stack: list[tuple[str, JsonPath, int, list[Any]]], key: str | None) -> JsonPath:
        if not stack:
            return ()
        kind, path, _, counter = stack[-1]
        return (*path, key if kind == "{" and key is not None else counter[0])

    @staticmethod
    def _advance(stack: list[tuple[str, JsonPath, int, list[Any]]]) -> None:
        if stack and stack[-1][0] == "[":
            stack[-1][3][0] += 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._lines, offset)
        start = self._lines[line - 1] if line else 0
        return line + 1, offset - start + 1

    def region(self, path: JsonPath) -> Region | None:
        span = self.spans.get(path)
        if span is None:
            return None
        (l1, c1), (l2, c2) = self.position(span[0]), self.position(span[1])
        return Region(start_line=l1, start_column=c1, end_line=l2, end_column=c2)


@lru_cache(maxsize=8)
def _index(path: str) -> _Indexed | None:
    try:
        with open(path, "rb") as fh:
            return _Indexed(decode_bytes(fh.read(), file=path))
    except Exception:  # an unreadable or odd file only costs the region, never the SARIF log
        return None


def _walk(value: Any, path: JsonPath = ()) -> Any:
    """Every (path, dict) in a JSON value, depth first."""
    if isinstance(value, dict):
        yield path, value
        for k, v in value.items():
            yield from _walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*path, i))


def _statement(doc_path: JsonPath, doc: Any, index: int) -> JsonPath:
    """Path of statement `index` in the document at `doc_path` (the document itself when it is a string)."""
    if not isinstance(doc, dict):
        return doc_path
    stmts = doc.get("Statement")
    if isinstance(stmts, list):
        return (*doc_path, "Statement", index) if 0 <= index < len(stmts) else (*doc_path, "Statement")
    return (*doc_path, "Statement") if stmts is not None else doc_path


def statement_path(value: Any, evidence: EvidenceLike) -> JsonPath | None:
    """JSON path of the statement an evidence row cites, in a GAAD/snapshot value; None when not in it."""
    policy, ptype = evidence.get("policy"), evidence.get("policy_type")
    holder = evidence.get("attached_to") or (evidence.get("resource") if ptype == "trust" else None)
    index = evidence.get("statement")
    if not policy or not isinstance(index, int):
        return None
    for path, obj in _walk(value):
        arn = obj.get("Arn")
        if ptype in ("managed", "boundary") and arn == policy and isinstance(obj.get("PolicyVersionList"), list):
            versions = obj["PolicyVersionList"]
            default = obj.get("DefaultVersionId")
            for i, v in enumerate(versions):
                if isinstance(v, dict) and (v.get("IsDefaultVersion") is True or v.get("VersionId") == default):
                    return _statement((*path, "PolicyVersionList", i, "Document"), v.get("Document"), index)
        if holder and arn == holder:
            if ptype == "trust" and "AssumeRolePolicyDocument" in obj:
                return _statement((*path, "AssumeRolePolicyDocument"), obj["AssumeRolePolicyDocument"], index)
            if ptype == "inline":
                for list_key in _INLINE_LISTS:
                    for i, p in enumerate(obj.get(list_key) or []):
                        if isinstance(p, dict) and p.get("PolicyName") == policy:
                            return _statement((*path, list_key, i, "PolicyDocument"), p.get("PolicyDocument"), index)
    return None


def locate(files: list[str], evidence: EvidenceLike) -> tuple[str, Region] | None:
    """(file, region) of the statement `evidence` cites, searching `files` in order; None when not found."""
    for name in files:
        indexed = _index(name)
        if indexed is None:
            continue
        path = statement_path(indexed.value, evidence)
        if path is not None:
            region = indexed.region(path)
            if region is not None:
                return name, region
    return None
