"""Validation of a history against `clinical/intake-history.schema.json`, compiled at import.

The schema is turned into the Python source of one function at import (`compile_schema`), so a
schema change flows in with no hand edits, and a valid history costs a few dict look-ups per
field. The function follows JSON Schema draft 2020-12 as `jsonschema.Draft202012Validator`
applies it (a test checks the two agree on arbitrary documents), for the keywords listed in
`_KEYWORDS`; a schema using any other keyword fails at import instead of being half-checked.

The first error is reported, in jsonschema's order: the schema's keywords in the order they are
written, properties in schema order, array items by index; unexpected property names are
listed sorted. Two choices differ from jsonschema: the enum message lists the choices without
brackets, and NaN and the infinities (which are not JSON numbers) are not numbers here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "clinical" / "intake-history.schema.json"


class HistoryError(ValueError):
    """A history that breaks the schema: `path` names the field ("" for the whole history)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class SchemaCompileError(Exception):
    """The schema uses something this compiler does not implement."""


# --- JSON types and equality, as jsonschema's draft 2020-12 type checker defines them ---------


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()  # False for NaN and the infinities


# How the generated code tests each JSON type; `{}` is the value's variable. The `type(...) is int`
# shortcut skips a call for the common case.
_TYPE_TESTS: dict[str, str] = {
    "object": "isinstance({}, dict)",
    "array": "isinstance({}, list)",
    "string": "isinstance({}, str)",
    "boolean": "({0} is True or {0} is False)",
    "null": "{} is None",
    "number": "(type({0}) is int or _is_number({0}))",
    "integer": "(type({0}) is int or _is_integer({0}))",
}


def _json_equal(one: Any, two: Any) -> bool:
    """JSON equality: 1 == 1.0, but True is not 1 and False is not 0, at any depth."""
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(_json_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(
            key in two and _json_equal(value, two[key]) for key, value in one.items()
        )
    if isinstance(one, bool) or isinstance(two, bool):
        return one is two
    return one == two


def _all_unique(items: list[Any]) -> bool:
    if all(type(item) is str for item in items):
        return len(set(items)) == len(items)
    return not any(_json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def _in_enum(value: Any, allowed: tuple[Any, ...]) -> bool:
    return any(_json_equal(value, each) for each in allowed)


def _extras_message(instance: dict[Any, Any], known: frozenset[str]) -> str:
    extras = sorted((name for name in instance if name not in known), key=str)
    listed = ", ".join(repr(extra) for extra in extras)
    verb = "was" if len(extras) == 1 else "were"
    return f"Additional properties are not allowed ({listed} {verb} unexpected)"


def _format_path(parts: tuple[str | int, ...]) -> str:
    """("footwear", "lacing") -> "footwear.lacing"; (..., "regions", 0) -> "...regions[0]"."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


# --- the source generator ----------------------------------------------------------------------


class _Var(str):
    """A path part that is a variable of the generated code (an index or key), not a literal."""


@dataclass
class _Source:
    """The lines of the generated function and the constants it closes over."""

    lines: list[str] = field(default_factory=list)
    constants: list[Any] = field(default_factory=list)
    variables: int = 0

    def constant(self, value: Any) -> str:
        self.constants.append(value)
        return f"c{len(self.constants) - 1}"

    def variable(self, prefix: str = "v") -> str:
        self.variables += 1
        return f"{prefix}{self.variables}"

    def add(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def fail(self, depth: int, path: tuple[str, ...], message: str) -> None:
        """Raise HistoryError at `path` with `message`, a Python expression."""
        if not any(isinstance(part, _Var) for part in path):
            where = repr(_format_path(path))
        else:
            parts = ", ".join(part if isinstance(part, _Var) else repr(part) for part in path)
            where = f"_format_path(({parts},))"
        self.add(depth, f"raise HistoryError({where}, {message})")


@dataclass(frozen=True)
class _At:
    """Where a keyword's code goes: the value's variable, its path, the indentation, and the
    value's JSON type if an earlier `type` keyword already proved it."""

    var: str
    path: tuple[str, ...]
    depth: int
    known_type: str | None

    def guard(self, src: _Source, json_type: str) -> int:
        """Open `if <var> is a json_type:` unless already known; the depth for the body."""
        if self.known_type == json_type:
            return self.depth
        src.add(self.depth, f"if {_TYPE_TESTS[json_type].format(self.var)}:")
        return self.depth + 1


def _emit_type(src: _Source, types: str | list[str], schema: Mapping[str, Any], at: _At) -> None:
    names = [types] if isinstance(types, str) else list(types)
    unknown = [name for name in names if name not in _TYPE_TESTS]
    if unknown:
        raise SchemaCompileError(f"unknown JSON type {unknown[0]!r}")
    test = " or ".join(_TYPE_TESTS[name].format(at.var) for name in names)
    expected = ", ".join(repr(name) for name in names)
    src.add(at.depth, f"if not ({test}):")
    src.fail(at.depth + 1, at.path, f"repr({at.var}) + {f' is not of type {expected}'!r}")


def _emit_enum(src: _Source, values: list[Any], schema: Mapping[str, Any], at: _At) -> None:
    message = f"repr({at.var}) + {' is not one of ' + ', '.join(repr(v) for v in values)!r}"
    if all(isinstance(value, str) for value in values):
        allowed = src.constant(frozenset(values))
        src.add(at.depth, f"if not (isinstance({at.var}, str) and {at.var} in {allowed}):")
    else:
        src.add(at.depth, f"if not _in_enum({at.var}, {src.constant(tuple(values))}):")
    src.fail(at.depth + 1, at.path, message)


def _emit_const(src: _Source, const: Any, schema: Mapping[str, Any], at: _At) -> None:
    src.add(at.depth, f"if not _json_equal({at.var}, {src.constant(const)}):")
    src.fail(at.depth + 1, at.path, repr(f"{const!r} was expected"))


def _emit_bound(src: _Source, bound: Any, at: _At, *, below: bool) -> None:
    if not _is_number(bound):
        raise SchemaCompileError(f"the bound {bound!r} is not a number")
    number_known = at.known_type in ("number", "integer")
    is_number = "" if number_known else f"{_TYPE_TESTS['number'].format(at.var)} and "
    if below:
        src.add(at.depth, f"if {is_number}{at.var} < {bound!r}:")
        text = f" is less than the minimum of {bound!r}"
    else:
        src.add(at.depth, f"if {is_number}{at.var} > {bound!r}:")
        text = f" is greater than the maximum of {bound!r}"
    src.fail(at.depth + 1, at.path, f"repr({at.var}) + {text!r}")


def _emit_minimum(src: _Source, minimum: Any, schema: Mapping[str, Any], at: _At) -> None:
    _emit_bound(src, minimum, at, below=True)


def _emit_maximum(src: _Source, maximum: Any, schema: Mapping[str, Any], at: _At) -> None:
    _emit_bound(src, maximum, at, below=False)


def _emit_unique_items(src: _Source, unique: bool, schema: Mapping[str, Any], at: _At) -> None:
    if not unique:
        return
    depth = at.guard(src, "array")
    src.add(depth, f"if len({at.var}) > 1 and not _all_unique({at.var}):")
    src.fail(depth + 1, at.path, f"repr({at.var}) + ' has non-unique elements'")


def _emit_items(src: _Source, items: Any, schema: Mapping[str, Any], at: _At) -> None:
    if items is True or items == {}:
        return
    depth = at.guard(src, "array")
    index, item = src.variable("i"), src.variable()
    src.add(depth, f"for {index}, {item} in enumerate({at.var}):")
    _emit_schema(src, items, _At(item, (*at.path, _Var(index)), depth + 1, None))


def _emit_properties(
    src: _Source, properties: Mapping[str, Any], schema: Mapping[str, Any], at: _At
) -> None:
    depth = at.guard(src, "object")
    for name, subschema in properties.items():
        value = src.variable()
        src.add(depth, f"if {name!r} in {at.var}:")
        src.add(depth + 1, f"{value} = {at.var}[{name!r}]")
        _emit_schema(src, subschema, _At(value, (*at.path, name), depth + 1, None))


def _emit_additional_properties(
    src: _Source, additional: Any, schema: Mapping[str, Any], at: _At
) -> None:
    if additional is True:
        return
    known = src.constant(frozenset(schema.get("properties", ())))
    depth = at.guard(src, "object")
    if additional is False:
        src.add(depth, f"if not {known}.issuperset({at.var}):")
        src.fail(depth + 1, at.path, f"_extras_message({at.var}, {known})")
        return
    key, value = src.variable("k"), src.variable()
    src.add(depth, f"for {key}, {value} in {at.var}.items():")
    src.add(depth + 1, f"if {key} not in {known}:")
    _emit_schema(src, additional, _At(value, (*at.path, _Var(key)), depth + 2, None))


def _emit_required(src: _Source, required: list[str], schema: Mapping[str, Any], at: _At) -> None:
    depth = at.guard(src, "object")
    for name in required:
        src.add(depth, f"if {name!r} not in {at.var}:")
        src.fail(depth + 1, at.path, repr(f"{name!r} is a required property"))


_KEYWORDS: dict[str, Callable[[_Source, Any, Mapping[str, Any], _At], None]] = {
    "type": _emit_type,
    "enum": _emit_enum,
    "const": _emit_const,
    "minimum": _emit_minimum,
    "maximum": _emit_maximum,
    "uniqueItems": _emit_unique_items,
    "items": _emit_items,
    "properties": _emit_properties,
    "additionalProperties": _emit_additional_properties,
    "required": _emit_required,
}

# Keywords that describe and never reject.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated"}
)


def _emit_schema(src: _Source, schema: Any, at: _At) -> None:
    """The checks of one (sub)schema, keyword by keyword in the schema's own order, so the first
    error raised is the one jsonschema reports first."""
    start = len(src.lines)
    if schema is False:
        src.fail(at.depth, at.path, f"'False schema does not allow ' + repr({at.var})")
    elif schema is not True:
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            if keyword not in _KEYWORDS:
                raise SchemaCompileError(f"the schema keyword {keyword!r} is not supported")
            _KEYWORDS[keyword](src, argument, schema, at)
            if keyword == "type" and isinstance(argument, str):
                at = _At(at.var, at.path, at.depth, argument)
    if len(src.lines) == start:
        src.add(at.depth, "pass")


_HELPERS = {
    "HistoryError": HistoryError,
    "_all_unique": _all_unique,
    "_extras_message": _extras_message,
    "_format_path": _format_path,
    "_in_enum": _in_enum,
    "_is_integer": _is_integer,
    "_is_number": _is_number,
    "_json_equal": _json_equal,
}


def schema_source(schema: Mapping[str, Any] | bool) -> tuple[str, list[Any]]:
    """The Python source of `_make(c0, c1, ...)`, which returns the validator, and its constants."""
    src = _Source()
    _emit_schema(src, schema, _At("v0", (), 2, None))
    constants = ", ".join(f"c{n}" for n in range(len(src.constants)))
    header = [f"def _make({constants}):", "    def validate(v0):"]
    return "\n".join([*header, *src.lines, "    return validate", ""]), src.constants


def compile_schema(schema: Mapping[str, Any] | bool) -> Callable[[object], None]:
    """A validator for `schema`: it returns None, or raises HistoryError for the first error.

    The generated source is kept on the validator as `.source`, for reading and debugging.
    """
    source, constants = schema_source(schema)
    namespace = dict(_HELPERS)
    # S102: the source is generated above from the schema's keywords, never from input data.
    exec(compile(source, "<generated validator>", "exec"), namespace)  # noqa: S102
    validate = namespace["_make"](*constants)
    validate.source = source
    return validate


SCHEMA: Mapping[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

_validate_history = compile_schema(SCHEMA)


def validate_history(obj: object) -> None:
    """Raise HistoryError for the first way `obj` breaks the history schema; else return None."""
    _validate_history(obj)


def in_schema_order(value: Any, schema: Mapping[str, Any] | bool = SCHEMA) -> Any:
    """`value` with every object's keys in the order the schema lists its properties.

    A database may hand JSON objects back in its own key order (PostgreSQL's jsonb does); this puts
    an exported history back in the order a reader of the schema expects. Keys the schema does not
    name keep their relative order, after the named ones.
    """
    if isinstance(value, dict):
        properties = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        known = [key for key in properties if key in value]
        rest = [key for key in value if key not in properties]
        return {key: in_schema_order(value[key], properties.get(key, True)) for key in known + rest}
    if isinstance(value, list):
        items = schema.get("items", True) if isinstance(schema, Mapping) else True
        return [in_schema_order(item, items) for item in value]
    return value
