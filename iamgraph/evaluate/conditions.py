"""Condition operators (IAM User Guide: "IAM JSON policy elements: Condition operators",
"Conditions with multiple context keys or values", "Single-valued vs. multivalued context keys").

Rules encoded here:
- operators AND, keys within an operator AND, values of one key OR; a negated operator
  (String/Numeric/Date/Arn NotX, NotIpAddress) is the NOR of its values;
- key names compare case-insensitively; values case-sensitively unless the operator says IgnoreCase;
- a key absent from the request: the condition is false, except negated operators (true),
  `...IfExists` (true, with or without a set qualifier), `ForAllValues:` (true) — `ForAnyValue:`
  stays false; `Null` tests presence (an empty list counts as absent); a JSON null context value is
  an absent key;
- set operators: a key whose only value is "" is an empty data set ("If the key values in the
  request resolve to an empty data set (for example, an empty string)", set operators page);
- a multivalued key (a key of multivalued type, or any key given two or more values) under an
  operator without a set qualifier never matches, negated or not, with or without IfExists:
  "Multivalued context keys require a condition set operator" (Single-valued vs. multivalued
  context keys page);
- policy variables are substituted in String*, Arn* and Bool values only; a variable without
  value and without default yields a value that matches nothing, and makes a negated operator
  false ("any attempt to match it fails", Variables page, principal key values);
- numbers are decimal integers or floats ("01", "1.0"); dates are ISO 8601 (W3C profiles, incl.
  "YYYY-MM") or epoch seconds;
- an operator name this module does not know makes its condition false (never matches, so
  neither an Allow nor a Deny with it applies); malformed numbers/dates/IPs in the policy
  match nothing.
Results are three-valued: True / False / None (None: depends on a key the analysis cannot fix).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from functools import lru_cache

from ..model import Condition
from .matching import compile_marked
from .variables import UNKNOWN, WILD_ONE, WILD_STAR, has_variables, mark, substitute

Tri = bool | None

# ---- context -----------------------------------------------------------------------------

# global condition keys whose value type is "Multivalued" (AWS global condition context keys page)
MULTIVALUED_GLOBAL_KEYS = frozenset(
    {
        "aws:calledvia",
        "aws:principalorgpaths",
        "aws:principalservicenameslist",
        "aws:resourceorgpaths",
        "aws:sourceorgpaths",
        "aws:tagkeys",
        "aws:vpceorgpaths",
    }
)


class Context:
    """Request context, keys lowercased. `get` -> tuple of values, None (absent) or UNKNOWN.

    `over(base, ...)` lays request keys over a prepared base context without copying it: a key the
    overlay sets (or sets to null: absent) hides the base's value; absent keys are both sets'."""

    __slots__ = ("values", "unknown", "open_world", "absent", "base", "hidden")

    def __init__(
        self,
        values: dict[str, tuple[str, ...]],
        unknown: frozenset[str] = frozenset(),
        open_world: bool = False,
        absent: frozenset[str] = frozenset(),
        base: Context | None = None,
        hidden: frozenset[str] = frozenset(),
    ) -> None:
        self.values = values
        self.unknown = unknown
        self.open_world = open_world
        self.absent = absent
        self.base = base  # consulted for keys this context neither sets nor hides
        self.hidden = hidden  # keys set to null here: absent, whatever the base holds

    @classmethod
    def from_mapping(
        cls, context: object, unknown: Iterable[str] = (), open_world: bool = False, absent: Iterable[str] = ()
    ) -> Context:
        vals, _nulls = _lowered(context)
        return cls(vals, _lower_set(unknown), open_world, _lower_set(absent))

    @classmethod
    def over(cls, base: Context, context: object, absent: frozenset[str] = frozenset()) -> Context:
        """`base` with the keys of `context` (a mapping) laid over it, and the keys `absent` added;
        the same answers as `from_mapping` of the merged mapping, with base's unknown/open_world."""
        if base.base is not None:
            raise ValueError("a layered context is laid over a flat base only")
        vals, nulls = _lowered(context)
        gone = base.absent | _lower_set(absent) if absent else base.absent
        return cls(vals, base.unknown, base.open_world, gone, base, nulls)

    def get(self, key: str) -> object:
        v = self.values.get(key)
        if v is not None:
            return v
        if self.base is not None and key not in self.hidden:
            v = self.base.values.get(key)
            if v is not None:
                return v
        if key in self.unknown or (self.open_world and key not in self.absent):
            return UNKNOWN
        return None

    def variable(self, key: str) -> object:
        """Value of a policy variable: one string, None (absent or multivalued) or UNKNOWN.

        "You can't use a multivalued context key as a policy variable" (Single-valued vs.
        multivalued context keys): a key of a multivalued type never resolves, even with one value;
        a one-element list for another key is that value."""
        v = self.get(key)
        if v is UNKNOWN or v is None:
            return v
        assert isinstance(v, tuple)
        return v[0] if len(v) == 1 and key not in MULTIVALUED_GLOBAL_KEYS else None


_NO_KEYS: frozenset[str] = frozenset()


def _lower_set(keys: Iterable[str]) -> frozenset[str]:
    """`keys` lower-cased, as a frozenset (the shared empty one when there are none)."""
    if not keys:
        return _NO_KEYS
    return frozenset(k.lower() for k in keys)


def _lowered(context: object) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """A context mapping as lower-case key -> values, and the keys given as null (absent)."""
    vals: dict[str, tuple[str, ...]] = {}
    nulls: list[str] | None = None
    items = context.items() if isinstance(context, dict) else dict(context).items()  # type: ignore[call-overload]
    for k, v in items:
        low = k.lower() if type(k) is str else str(k).lower()
        if type(v) is str:
            vals[low] = (v,)
        elif v is None:  # JSON null: the key is absent
            if nulls is None:
                nulls = []
            nulls.append(low)
        elif isinstance(v, str):
            vals[low] = (v,)
        elif isinstance(v, (list, tuple)):
            vals[low] = tuple(scalar_text(x) for x in v)
        else:
            vals[low] = (scalar_text(v),)
    return vals, frozenset(nulls) if nulls else _NO_KEYS


def scalar_text(v: object) -> str:
    """JSON scalar -> the text IAM compares: true/false, numbers as written, strings as is."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return json.dumps(v)
    raise ValueError(f"context values must be strings, numbers or booleans, not {type(v).__name__}")


# ---- value parsers -----------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _num(s: str) -> float:
    """A decimal integer or decimal ("01", "1.0", "-2.5"): the Numeric operators compare "an integer
    or decimal value" (Condition operators page); exponents ("1e3"), nan/inf, underscores match nothing."""
    t = s.strip()
    if _NUMBER.fullmatch(t) is None:
        raise ValueError(s)
    return float(t)


def parse_date(s: str) -> float:
    """ISO 8601 (date, date-time, `Z` or offset, fractions) or epoch seconds -> epoch seconds."""
    t = s.strip()
    try:
        return float(t)
    except ValueError:
        pass
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    if len(t) == 7 and t[4] == "-":  # W3C "YYYY-MM"
        t += "-01"
    dt = datetime.fromisoformat(t)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


@lru_cache(maxsize=8192)
def _network(s: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(s.strip(), strict=False)


def _b64(s: str) -> bytes | str:
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return s


# ---- operator table ----------------------------------------------------------------------
# Each family: prepare(policy_values) -> prepared; test(prepared, ctx_value) -> bool (positive form).


def _prep_set(vals: list[str]) -> frozenset[str]:
    return frozenset(vals)


def _prep_lower(vals: list[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in vals)


def _prep_like(vals: list[str]) -> tuple[Callable[[str], bool], ...]:
    return tuple(compile_marked(v) for v in vals)  # values arrive marked


def _prep_parse(fn: Callable[[str], object]) -> Callable[[list[str]], tuple[object, ...]]:
    def prep(vals: list[str]) -> tuple[object, ...]:
        out = []
        for v in vals:
            try:
                out.append(fn(v))
            except (ValueError, TypeError, OverflowError):
                continue
        return tuple(out)

    return prep


def _prep_arn(vals: list[str]) -> tuple[object, ...]:
    out: list[object] = []
    for v in vals:
        if v == WILD_STAR:
            out.append(None)  # "*" matches any value
            continue
        segs = v.split(":", 5)
        if len(segs) == 6:
            out.append(tuple(compile_marked(s) for s in segs))
    return tuple(out)


def _t_in(prep: frozenset[str], v: str) -> bool:
    return v in prep


def _t_in_lower(prep: frozenset[str], v: str) -> bool:
    return v.lower() in prep


def _t_like(prep: tuple[Callable[[str], bool], ...], v: str) -> bool:
    return any(m(v) for m in prep)


def _t_num(
    cmp: Callable[[float, float], bool], parse: Callable[[str], float]
) -> Callable[[tuple[object, ...], str], bool]:
    def test(prep: tuple[object, ...], v: str) -> bool:
        try:
            x = parse(v)
        except (ValueError, TypeError, OverflowError):
            return False
        return any(cmp(x, p) for p in prep)  # type: ignore[arg-type]

    return test


def _t_ip(prep: tuple[object, ...], v: str) -> bool:
    try:
        net = _network(v)
    except ValueError:
        return False
    for p in prep:
        if p.version == net.version and net.subnet_of(p):  # type: ignore[attr-defined,arg-type]
            return True
    return False


def _t_bin(prep: frozenset[object], v: str) -> bool:
    return _b64(v) in prep or v in prep


def _t_arn(prep: tuple[object, ...], v: str) -> bool:
    segs = v.split(":", 5)
    for p in prep:
        if p is None:
            return True
        if len(segs) == 6 and all(m(s) for m, s in zip(p, segs)):  # type: ignore[call-overload]
            return True
    return False


_EQ = lambda a, b: a == b
_CMP: dict[str, Callable[[float, float], bool]] = {
    "equals": _EQ,
    "notequals": _EQ,
    "lessthan": lambda a, b: a < b,
    "lessthanequals": lambda a, b: a <= b,
    "greaterthan": lambda a, b: a > b,
    "greaterthanequals": lambda a, b: a >= b,
}


class OpSpec:
    """A parsed operator name: family, qualifier, IfExists, negation."""

    __slots__ = ("name", "qualifier", "if_exists", "negated", "prepare", "test", "variables", "marked", "is_null")

    def __init__(
        self,
        name: str,
        qualifier: str | None,
        if_exists: bool,
        negated: bool,
        prepare: Callable[[list[str]], object],
        test: Callable[[object, str], bool],
        variables: bool,
        marked: bool,
        is_null: bool = False,
    ) -> None:
        self.name, self.qualifier, self.if_exists, self.negated = name, qualifier, if_exists, negated
        self.prepare, self.test, self.variables, self.marked, self.is_null = prepare, test, variables, marked, is_null


def _family(base: str) -> tuple[Callable, Callable, bool, bool, bool] | None:
    """base (lowercase, no qualifier/IfExists) -> (prepare, test, negated, variables, marked)."""
    if base in ("stringequals", "stringnotequals"):
        return _prep_set, _t_in, base == "stringnotequals", True, False
    if base in ("stringequalsignorecase", "stringnotequalsignorecase"):
        return _prep_lower, _t_in_lower, base == "stringnotequalsignorecase", True, False
    if base in ("stringlike", "stringnotlike"):
        return _prep_like, _t_like, base == "stringnotlike", True, True
    for fam, parse in (("numeric", _num), ("date", parse_date)):
        if base.startswith(fam):
            rel = base[len(fam) :]
            if rel in _CMP:
                return _prep_parse(parse), _t_num(_CMP[rel], parse), rel == "notequals", False, False
            return None
    if base == "bool":
        return _prep_lower, _t_in_lower, False, True, False
    if base == "binaryequals":
        return (lambda vals: frozenset(_b64(v) for v in vals) | frozenset(vals)), _t_bin, False, False, False
    if base in ("ipaddress", "notipaddress"):
        return _prep_parse(_network), _t_ip, base == "notipaddress", False, False
    if base in ("arnequals", "arnlike", "arnnotequals", "arnnotlike"):
        return _prep_arn, _t_arn, base in ("arnnotequals", "arnnotlike"), True, True
    return None


@lru_cache(maxsize=4096)
def parse_operator(name: str) -> OpSpec | None:
    """`ForAnyValue:StringLikeIfExists` -> OpSpec; None for an unknown operator."""
    rest = name.strip()
    qualifier = None
    low = rest.lower()
    if low.startswith("foranyvalue:"):
        qualifier, rest = "any", rest[len("foranyvalue:") :]
    elif low.startswith("forallvalues:"):
        qualifier, rest = "all", rest[len("forallvalues:") :]
    base = rest.lower()
    if_exists = base.endswith("ifexists")
    if if_exists:
        base = base[: -len("ifexists")]
    if base == "null":
        if if_exists:
            return None
        return OpSpec(name, None, False, False, _prep_lower, _t_in_lower, False, False, is_null=True)  # type: ignore[arg-type]
    fam = _family(base)
    if fam is None:
        return None
    prepare, test, negated, variables, marked = fam
    return OpSpec(name, qualifier, if_exists, negated, prepare, test, variables, marked)


def _unmark(s: str) -> str:
    return s.replace(WILD_STAR, "*").replace(WILD_ONE, "?")


class CompiledCondition:
    """One `Operator: {Key: [values]}` entry, prepared for repeated evaluation."""

    __slots__ = ("cond", "key", "spec", "static", "dynamic")

    def __init__(self, cond: Condition, variables_enabled: bool) -> None:
        self.cond = cond
        self.key = cond.key.lower()
        self.spec = parse_operator(cond.operator)
        self.static: object = None
        self.dynamic = False
        if self.spec is None:
            return
        spec = self.spec
        if spec.variables and variables_enabled and any(has_variables(v) for v in cond.values):
            self.dynamic = True
        else:
            vals = [mark(v) for v in cond.values] if spec.marked else list(cond.values)
            self.static = spec.prepare(vals)

    def _prepared(self, ctx: Context) -> tuple[object, str | None, bool]:
        """Policy values after variable substitution: (prepared, unknown key, some value unresolved)."""
        if not self.dynamic:
            return self.static, None, False
        spec = self.spec
        assert spec is not None
        vals: list[str] = []
        unresolved = False
        for v in self.cond.values:
            m, unknown = substitute(v, ctx.variable)
            if unknown is not None:
                return None, unknown, False
            if m is None:
                unresolved = True  # unresolved variable: this value matches nothing
                continue
            vals.append(m if spec.marked else _unmark(m))
        return spec.prepare(vals), None, unresolved

    def _fails_whatever_the_key(self, ctx: Context) -> bool:
        """True when every policy value holds a variable that resolves to nothing for this request
        (no value, no default) and the operator is a positive one that is false for an absent key
        (no IfExists, no ForAllValues): the condition then fails whatever the tested key holds.
        E.g. `StringEquals aws:RequestTag/x ${aws:PrincipalTag/x}` for a principal without tag x."""
        spec = self.spec
        assert spec is not None
        if spec.negated or spec.if_exists or spec.qualifier == "all" or not self.cond.values:
            return False
        for v in self.cond.values:
            m, unknown = substitute(v, ctx.variable)
            if m is not None or unknown is not None:
                return False
        return True

    def evaluate(self, ctx: Context) -> tuple[Tri, str | None]:
        """(True/False/None, the unknown key when None)."""
        spec = self.spec
        if spec is None:
            return False, None
        values = ctx.get(self.key)
        if values is UNKNOWN:
            if self.dynamic and self._fails_whatever_the_key(ctx):
                return False, None
            return None, self.cond.key
        present = bool(values)
        if spec.is_null:
            want = "false" if present else "true"
            return want in self.static, None  # type: ignore[operator]
        if spec.qualifier is not None and values == ("",):
            present = False  # an empty string is an empty data set for set operators
        if not present:
            if spec.if_exists or spec.qualifier == "all":
                return True, None
            if spec.qualifier == "any":
                return False, None
            return spec.negated, None
        prep, unknown, unresolved = self._prepared(ctx)
        if unknown is not None:
            return None, unknown
        test, neg = spec.test, spec.negated
        if neg and unresolved:
            return False, None  # a value that cannot be resolved fails to match
        assert isinstance(values, tuple)
        if spec.qualifier == "all":
            return all((not test(prep, v)) if neg else test(prep, v) for v in values), None
        if spec.qualifier is None and (len(values) > 1 or self.key in MULTIVALUED_GLOBAL_KEYS):
            return False, None  # a single-valued operator on a multivalued key
        if spec.qualifier == "any" or not neg:
            return any((not test(prep, v)) if neg else test(prep, v) for v in values), None
        return not any(test(prep, v) for v in values), None


def compile_conditions(conds: tuple[Condition, ...], variables_enabled: bool) -> tuple[CompiledCondition, ...]:
    return tuple(CompiledCondition(c, variables_enabled) for c in conds)


def evaluate_conditions(conds: tuple[CompiledCondition, ...], ctx: Context) -> tuple[Tri, frozenset[str]]:
    """AND of all conditions, Kleene-style: any False -> False; else any None -> None."""
    unknown: set[str] | None = None
    for c in conds:
        r, key = c.evaluate(ctx)
        if r is False:
            return _FALSE
        if r is None and key is not None:
            if unknown is None:
                unknown = set()
            unknown.add(key)
    if unknown:
        return None, frozenset(unknown)
    return _TRUE


_FALSE: tuple[Tri, frozenset[str]] = (False, _NO_KEYS)
_TRUE: tuple[Tri, frozenset[str]] = (True, _NO_KEYS)


def evaluate_condition(
    cond: Condition,
    context: dict[str, object],
    *,
    variables_enabled: bool = True,
    unknown_keys: Iterable[str] = (),
    open_world: bool = False,
) -> Tri:
    """Convenience for tests and callers: one condition against a plain context mapping."""
    ctx = Context.from_mapping(context, unknown_keys, open_world)
    return CompiledCondition(cond, variables_enabled).evaluate(ctx)[0]
