"""The JSON Schema of the stored format, generated from the model classes."""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from decimal import Decimal
from importlib import resources
from typing import Any, Final

import attrs

from perftarget._codec.convert import SCHEMA_VERSION
from perftarget._codec.hooks import AMOUNTS
from perftarget._model.targets import Basis, BasisCategory, Document
from perftarget._values.levels import Level1, Level2
from perftarget._values.threshold import Threshold

__all__ = ["json_schema", "shipped_schema"]

SCHEMA_ID: Final = f"urn:perftarget:schema:document:v{SCHEMA_VERSION}"

_DECIMAL: Final = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^[+-]?[0-9]+(\.[0-9]+)?$"},
    ],
    "description": 'An exact decimal number; written as a string in JSON ("10.00") to keep every digit.',
}
_LEVEL_NOTE: Final = "The Chinese label (or English name); labels outside the national trees are kept as text."


def _leaf(tp: object) -> dict[str, Any] | None:  # noqa: C901, PLR0911 - one branch per leaf type
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is Decimal:
        return dict(_DECIMAL)
    if tp is dt.date:
        return {"type": "string", "format": "date"}
    if tp is Threshold:
        return {
            "anyOf": [{"type": "string"}, {"type": "number"}],
            "description": "The target value (指标值) as written: ≥95%, ≥8小时/天, 90%~100%, 按时发放, 无.",
            "examples": ["≥95%", "≥8 小时/天", "≤90万元", "按时发放", "无"],
        }
    if tp == (Level1 | str | None):
        return {"type": "string", "description": "一级指标. " + _LEVEL_NOTE, "examples": [m.value for m in Level1]}
    if tp == (Level2 | str | None):
        return {"type": "string", "description": "二级指标. " + _LEVEL_NOTE, "examples": [m.value for m in Level2]}
    if tp is BasisCategory:
        return {"enum": [m.value for m in BasisCategory]}
    if tp == AMOUNTS:
        return {
            "type": "array",
            "items": {"anyOf": [dict(_DECIMAL), {"const": ""}, {"type": "null"}]},
            "description": 'Amounts as printed, oldest first; "" (or null) for a blank cell.',
        }
    return None


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def of(self, tp: object) -> dict[str, Any]:
        leaf = _leaf(tp)
        if leaf is not None:
            return leaf
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            inner = self.of(members[0]) if len(members) == 1 else {"anyOf": [self.of(a) for a in members]}
            return {"anyOf": [inner, {"type": "null"}]} if len(members) < len(args) else inner
        if origin is tuple:
            return {"type": "array", "items": self.of(args[0])}
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        msg = f"no JSON Schema for {tp!r}"
        raise TypeError(msg)

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.object(cls)
        if cls is Basis:
            return {"anyOf": [{"type": "string"}, {"$ref": f"#/$defs/{name}"}]}
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            properties[field.name] = self.of(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: dict[str, Any] = {
            "type": "object",
            "title": cls.__name__,
            "properties": properties,
            "additionalProperties": False,
        }
        doc = (cls.__doc__ or "").strip().split("\n", 1)[0]
        if doc:
            schema["description"] = doc
        if required:
            schema["required"] = required
        return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a perftarget document, generated from the model.

    Only the JSON form is described: in TOML, dates may also be native TOML dates.
    """
    builder = _Builder()
    top = builder.object(Document)
    top["properties"] = {
        "schema_version": {"const": SCHEMA_VERSION, "description": "The version of this format."},
        **top["properties"],
    }
    top["required"] = ["schema_version", *top.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **top,
        "$defs": dict(sorted(builder.defs.items())),
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package (``perftarget/schema/document-v1.json``)."""
    text = resources.files("perftarget").joinpath(f"schema/document-v{SCHEMA_VERSION}.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result
