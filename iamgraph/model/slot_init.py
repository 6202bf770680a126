"""`slot_init`: a cheaper __init__ for frozen slots dataclasses made by the ten thousand (results,
citations, policy sets, proposals). The generated __init__ of a frozen dataclass stores each field
through `object.__setattr__`, looked up at every call; this one calls each slot's own setter (the
member descriptor's `__set__`, which is what `object.__setattr__` ends in), about half the cost,
with the very same parameters, defaults, default factories and `__post_init__` call."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

T = TypeVar("T")


class _Factory:
    """The default of a parameter whose field has a default factory (called when it is left out)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def slot_init(cls: type[T]) -> type[T]:
    """Replace the __init__ of `cls`, a frozen dataclass with slots (apply over `@dataclass`).
    Fields must all be init fields without InitVar; anything else raises TypeError (use the
    generated __init__ there)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: slot_init needs a frozen dataclass with slots")
    ns: dict[str, Any] = {"_FACTORY": _FACTORY}
    args: list[str] = []
    body: list[str] = []
    keyword_only = False
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]  # a dataclass, checked above
        if not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: slot_init supports init fields only")
        if f.kw_only and not keyword_only:
            args.append("*")
            keyword_only = True
        ns[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            ns[f"_dflt_{f.name}"] = f.default
            args.append(f"{f.name}=_dflt_{f.name}")
            body.append(f"    _set_{f.name}(self, {f.name})")
        elif f.default_factory is not dataclasses.MISSING:
            ns[f"_factory_{f.name}"] = f.default_factory
            args.append(f"{f.name}=_FACTORY")
            body.append(f"    _set_{f.name}(self, _factory_{f.name}() if {f.name} is _FACTORY else {f.name})")
        else:
            args.append(f.name)
            body.append(f"    _set_{f.name}(self, {f.name})")
    generated = list(inspect.signature(cls.__init__).parameters)[1:]
    if generated != [f.name for f in dataclasses.fields(cls)]:  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__}: __init__ takes more than the fields (InitVar?)")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    src = f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(src, ns)  # made from the field names above only, as dataclasses does
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


__all__ = ["slot_init"]
