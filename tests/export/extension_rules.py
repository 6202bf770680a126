"""The rules of an OpenGraph extension definition schema, as stated in SpecterOps/bloodhound-docs
docs/opengraph/developer/graph-definition.mdx (snapshot 9f427f7; no JSON Schema is published for it):
a JSON Schema for the shapes, plus the namespacing and Markdown rules it cannot express."""

from __future__ import annotations

import re
from typing import Any

_INFO = {
    "type": "object",
    "propertyNames": {"pattern": "^[a-z0-9_-]{1,128}$"},
    "additionalProperties": {
        "type": "object",
        "required": ["title", "position"],
        "properties": {
            "title": {"type": "string"},
            "position": {"type": "integer", "minimum": 1},
            "markdown": {"type": "object", "required": ["content"], "properties": {"content": {"type": "string"}}},
        },
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "node_kinds", "relationship_kinds"],
    "properties": {
        "schema": {
            "type": "object",
            "required": ["name", "display_name", "version", "namespace"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "display_name": {"type": "string", "minLength": 1},
                "version": {"type": "string", "pattern": r"^v\d+\.\d+\.\d+$"},
                "namespace": {"type": "string", "minLength": 1},
            },
        },
        "node_kinds": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "display_name"],
                "properties": {
                    "name": {"type": "string"},
                    "display_name": {"type": "string"},
                    "description": {"type": "string"},
                    "is_display_kind": {"type": "boolean"},
                    "icon": {"type": "string", "pattern": "^(?!fa-)[a-z0-9-]+$"},
                    "color": {"type": "string", "pattern": "^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$"},
                    "info": _INFO,
                },
            },
        },
        "relationship_kinds": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"},
                    "description": {"type": "string"},
                    "is_traversable": {"type": "boolean"},
                    "info": _INFO,
                },
            },
        },
        "environments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["environment_kind", "source_kind", "principal_kinds"],
                "properties": {
                    "environment_kind": {"type": "string"},
                    "source_kind": {"type": "string"},
                    "principal_kinds": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "relationship_findings": {"type": "array"},
    },
}

_UNSAFE_MARKDOWN = re.compile(r"<\s*(script|iframe|style|object|embed)|\bon[a-z]+\s*=|javascript:", re.I)


def rule_violations(ext: dict[str, Any]) -> list[str]:
    """Namespacing, uniqueness, reserved prefix, cross references and Markdown safety."""
    ns = ext["schema"]["namespace"]
    bad: list[str] = []
    names = (
        [k["name"] for k in ext["node_kinds"]]
        + [k["name"] for k in ext["relationship_kinds"]]
        + [f["name"] for f in ext.get("relationship_findings", [])]
    )
    for n in names:
        if not n.startswith(f"{ns}_") or n == f"{ns}_":
            bad.append(f"{n}: not in namespace {ns}_")
        if n.lower().startswith("tag_"):
            bad.append(f"{n}: reserved tag_ prefix")
    bad += [f"{n}: defined twice" for n in sorted({n for n in names if names.count(n) > 1})]
    if ns.lower() == "tag":
        bad.append("namespace tag is reserved")
    node_names = {k["name"] for k in ext["node_kinds"]}
    for env in ext.get("environments", []):
        for k in [env["environment_kind"], *env["principal_kinds"]]:
            if k not in node_names:
                bad.append(f"environment names unknown node kind {k}")
    for kind in ext["node_kinds"] + ext["relationship_kinds"]:
        for sec in (kind.get("info") or {}).values():
            text = sec.get("markdown", {}).get("content", "")
            if _UNSAFE_MARKDOWN.search(text):
                bad.append(f"{kind['name']}: unsafe Markdown")
    return bad
