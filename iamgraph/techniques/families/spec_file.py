"""Read technique specs from the catalogue's TOML files (catalog/<service>.toml, `[[technique]]` tables).

One table is one technique; `family` picks the builder in `specs`, which derives the actions, name,
category, inventory need and standard self-test cases. A malformed table raises SpecError naming
the file and the table (`technique[3].steps[1]`): the catalogue is package data, so this is a
developer error, reported exactly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..base import Category, Technique
from .specs import (
    SINGLE_ACTION,
    Family,
    access_and_modify,
    existing_resource,
    new_passrole,
    own_boundary,
    principal_access,
    self_edit,
    single_action,
)
from .vehicles import Resource

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class SpecError(ValueError):
    """A catalogue spec that cannot be built: `file`, the table's path and what is wrong."""


COMMON = {"id", "family", "description", "remediation", "references", "name", "category", "public_ids", "notes"}
KEYS: dict[Family, set[str]] = {
    Family.NEW_PASSROLE: COMMON | {"vehicle", "steps"},
    Family.PASSROLE_ONTO_EXISTING: COMMON | {"vehicle", "steps"},
    Family.EXISTING_RESOURCE: COMMON | {"vehicle", "steps", "item_match", "item_fields"},
    Family.PRINCIPAL_ACCESS: COMMON | {"steps"},
    Family.MODIFY_AND_ACCESS: COMMON | {"target_kind", "modify", "access"},
    Family.SELF_EDIT: COMMON | {"steps", "target", "attach"},
    Family.BOUNDARY_REMOVAL: COMMON | {"steps"},
    Family.BOUNDARY_REPLACEMENT: COMMON | {"steps"},
    **{f: COMMON - {"category"} for f in SINGLE_ACTION},
}
REQUIRED = {"id", "family", "description", "remediation", "references"}


def _enum(kind: type[Any], value: object, where: str) -> Any:
    try:
        return kind[value] if kind is Resource else kind(value)
    except (KeyError, ValueError):
        names = [m.name for m in kind] if kind is Resource else [m.value for m in kind]
        raise SpecError(f"{where}: {value!r} is not one of {', '.join(names)}") from None


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SpecError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _steps(value: object, where: str) -> list[str | tuple[str, Resource]]:
    """Steps: "service:Action" (on the vehicle) or {action = "...", on = "RESOURCE"}."""
    if not isinstance(value, list) or not value:
        raise SpecError(f"{where}: expected a non-empty list of steps")
    out: list[str | tuple[str, Resource]] = []
    for i, s in enumerate(value):
        at = f"{where}[{i}]"
        if isinstance(s, str) and ":" in s:
            out.append(s)
        elif isinstance(s, dict) and set(s) == {"action", "on"} and isinstance(s["action"], str) and ":" in s["action"]:
            out.append((s["action"], _enum(Resource, s["on"], f"{at}.on")))
        else:
            raise SpecError(f'{at}: expected "service:Action" or {{action = "service:Action", on = "RESOURCE"}}')
    return out


def build(table: dict[str, Any], where: str) -> Technique:
    """The technique one `[[technique]]` table describes."""
    if not isinstance(table.get("family"), str):
        raise SpecError(f"{where}.family: missing")
    family = _enum(Family, table["family"], f"{where}.family")
    if missing := sorted(REQUIRED - set(table)):
        raise SpecError(f"{where}: missing {', '.join(missing)}")
    if unknown := sorted(set(table) - KEYS[family]):
        raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)} for family {family.value}")
    for key in ("id", "description", "remediation", "name", "notes"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise SpecError(f"{where}.{key}: expected a non-empty string")
    kw: dict[str, Any] = {k: table[k] for k in ("id", "description", "remediation", "name") if k in table}
    kw["references"] = _strings(table["references"], f"{where}.references")
    if "public_ids" in table:
        kw["public_ids"] = _strings(table["public_ids"], f"{where}.public_ids")
    if "category" in table:
        kw["category"] = _enum(Category, table["category"], f"{where}.category")
    if "vehicle" in table:
        kw["vehicle"] = _enum(Resource, table["vehicle"], f"{where}.vehicle")
    if "steps" in table:
        kw["steps"] = _steps(table["steps"], f"{where}.steps")
        if family in (
            Family.PRINCIPAL_ACCESS,
            Family.SELF_EDIT,
            Family.BOUNDARY_REMOVAL,
            Family.BOUNDARY_REPLACEMENT,
        ) and not all(isinstance(s, str) for s in kw["steps"]):
            raise SpecError(f"{where}.steps: {family.value} steps are plain actions")
    if "item_match" in table:
        im = table["item_match"]
        if not isinstance(im, dict):
            raise SpecError(f"{where}.item_match: expected a table of field = [values]")
        kw["item_match"] = tuple((k, _strings(v, f"{where}.item_match.{k}")) for k, v in im.items())
    if "item_fields" in table:
        fields = table["item_fields"]
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise SpecError(f'{where}.item_fields: expected a table of action = "field"')
        kw["item_fields"] = dict(fields)
    for key in ("target_kind", "modify", "access", "target"):
        if key in table:
            if not isinstance(table[key], str):
                raise SpecError(f"{where}.{key}: expected a string")
            kw[key] = table[key]
    if "attach" in table:
        if not isinstance(table["attach"], bool):
            raise SpecError(f"{where}.attach: expected true or false")
        kw["attach"] = table["attach"]
    builders: dict[Family, Callable[..., Technique]] = {
        Family.NEW_PASSROLE: new_passrole,
        Family.PASSROLE_ONTO_EXISTING: lambda **k: new_passrole(onto_existing=True, **k),
        Family.EXISTING_RESOURCE: existing_resource,
        Family.PRINCIPAL_ACCESS: principal_access,
        Family.MODIFY_AND_ACCESS: access_and_modify,
        Family.SELF_EDIT: self_edit,
        Family.BOUNDARY_REMOVAL: lambda **k: own_boundary(replace=False, **k),
        Family.BOUNDARY_REPLACEMENT: lambda **k: own_boundary(replace=True, **k),
        **{f: (lambda fam: lambda **k: single_action(fam, **k))(f) for f in SINGLE_ACTION},
    }
    try:
        return builders[family](**kw)
    except (TypeError, ValueError) as exc:
        raise SpecError(f"{where}: {exc}") from None


def load_file(path: Path) -> list[Technique]:
    """Every technique of one catalogue TOML file, in file order."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path.name}: {exc}") from None
    if set(data) - {"technique"} or not isinstance(data.get("technique"), list):
        raise SpecError(f"{path.name}: expected only [[technique]] tables")
    return [build(t, f"{path.name}: technique[{i}]") for i, t in enumerate(data["technique"])]


def load_dir(folder: Path) -> list[Technique]:
    """Every technique of every *.toml file in `folder` (sorted by file name)."""
    out: list[Technique] = []
    for path in sorted(folder.glob("*.toml")):
        out.extend(load_file(path))
    return out
