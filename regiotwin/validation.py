"""Validating records with pydantic: the one module that hands the models to it.

Only the paths that validate import this (a file read afresh, a record made from options, a
JSON Schema); a command served from the record cache never does, and so never pays for
pydantic. The models (regiotwin/models.py) are plain dataclasses whose annotations carry
pydantic's rules (`Rules`) and whose `@check` methods become pydantic's field and model
validators here, before the first validator of a record class is built.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError, field_validator, model_validator

from regiotwin.models import Record, Rules

__all__ = ["ValidationError", "adapter", "errors_of", "validated"]

R = TypeVar("R", bound=Record)

_adapters: dict[type, TypeAdapter[Any]] = {}
_handed: set[type] = set()


def validated(model: type[R], data: Any) -> R:
    """*data* (as the reader gives it, or from options) validated as a *model*; raises
    pydantic's ValidationError."""
    result: R = adapter(model).validate_python(data)
    return result


def errors_of(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors as it reports them for its own models: an unknown key is
    `extra_forbidden` and a value that should be a mapping `model_type`, with their words (a
    dataclass has other names for both)."""
    found: list[dict[str, Any]] = []
    for error in exc.errors():
        item: dict[str, Any] = dict(error)
        if item["type"] == "unexpected_keyword_argument":
            item.update(type="extra_forbidden", msg="Extra inputs are not permitted")
        elif item["type"] == "dataclass_type":
            item.update(type="model_type", msg=item["msg"].replace(
                "Input should be a dictionary or an instance of",
                "Input should be a valid dictionary or instance of"))
        found.append(item)
    return found


def adapter(model: type[R]) -> TypeAdapter[R]:
    """pydantic's validator (and JSON Schema) of a record class, built once per process."""
    found = _adapters.get(model)
    if found is None:
        for kind in _record_classes(model):
            _hand_over(kind)
        found = _adapters[model] = TypeAdapter(model)
    return found


def _record_classes(model: type, seen: set[type] | None = None) -> list[type]:
    """*model* and every record class its fields hold, at any depth."""
    seen = set() if seen is None else seen
    if model in seen:
        return []
    seen.add(model)
    found = [model]
    for annotation in typing.get_type_hints(model, include_extras=True).values():
        for inner in _types_in(annotation):
            if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                found += _record_classes(inner, seen)
    return found


def _types_in(annotation: Any) -> list[Any]:
    """The types an annotation names: itself, and the arguments of unions, lists, dicts and
    `Annotated` (whose markers must be one `Rules` at most: a second would not see the first)."""
    if typing.get_origin(annotation) is typing.Annotated:
        markers = [m for m in annotation.__metadata__ if isinstance(m, Rules)]
        if len(markers) > 1:
            raise TypeError(f"{annotation}: one Rules per annotation")
    found = [annotation]
    for arg in typing.get_args(annotation):
        found += _types_in(arg)
    return found


def _hand_over(kind: type) -> None:
    """The methods marked `@check` of a record class and its bases, decorated as pydantic's
    validators (in place, so that pydantic finds them as in its own dataclasses)."""
    if kind in _handed:
        return
    for base in kind.__mro__[1:]:
        if issubclass(base, Record) and base is not Record:
            _hand_over(base)
    for name, value in list(vars(kind).items()):
        spec = getattr(getattr(value, "__func__", value), "__regiotwin_check__", None)
        if spec is None:
            continue
        fields, mode = spec
        decorator: Any = (field_validator(*fields, mode=mode) if fields
                          else model_validator(mode=mode))
        setattr(kind, name, decorator(value))
    _handed.add(kind)
