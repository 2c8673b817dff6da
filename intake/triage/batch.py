"""Triage many histories from text: parse, validate, run the rules, serialise.

This is the whole path of `manage.py triage` (and what bench/triage.py measures): the input is
either one JSON document or JSON Lines, and each history gives one output line, in input order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from intake.triage.engine import result_to_json, triage
from intake.triage.history import History
from intake.triage.schema import HistoryError, validate_history

Validator = Callable[[object], None]


class BatchLine(NamedTuple):
    line: int  # 1-based line number in the input (blank lines count)
    output: str  # the result JSON, or {"line": N, "error": "..."}
    ok: bool  # False when the history could not be triaged


class _RefusedConstant(ValueError):
    pass


def _refuse_constant(name: str) -> None:
    # Python's json accepts NaN and Infinity; JSON does not, and neither do we.
    raise _RefusedConstant(f"{name} is not valid JSON")


_decoder = json.JSONDecoder(parse_constant=_refuse_constant)


def _error_line(number: int, message: str) -> BatchLine:
    output = json.dumps({"line": number, "error": message}, separators=(",", ":"))
    return BatchLine(number, output, ok=False)


def _triage_document(document: object, number: int, validate: Validator) -> BatchLine:
    try:
        validate(document)
    except HistoryError as error:
        return _error_line(number, str(error))
    result = triage(History.from_dict(document))  # type: ignore[arg-type]  # validated above
    return BatchLine(number, result_to_json(result), ok=True)


def parse_json(text: str) -> object:
    """One JSON value; ValueError with a readable message naming the problem if it is not JSON,
    is nested deeper than Python can read, or holds an integer longer than Python converts
    (4,300 digits by default: sys.get_int_max_str_digits)."""
    try:
        return _decoder.decode(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ValueError("not valid JSON: nested too deeply") from None
    except _RefusedConstant:
        raise
    except ValueError as error:
        # Python's limit on the digits of an integer (sys.get_int_max_str_digits, 4,300).
        raise ValueError(f"not valid JSON: a number too long to read ({error})") from None


def triage_line(text: str, number: int, *, validate: Validator = validate_history) -> BatchLine:
    """Triage the history on one line of JSON Lines."""
    try:
        document = parse_json(text)
    except ValueError as error:
        return _error_line(number, str(error))
    return _triage_document(document, number, validate)


def triage_lines(
    lines: Iterable[str], *, validate: Validator = validate_history
) -> Iterator[BatchLine]:
    """Triage JSON Lines: one history per line; blank lines are skipped but counted."""
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield triage_line(text, number, validate=validate)


def triage_text(text: str, *, validate: Validator = validate_history) -> Iterator[BatchLine]:
    """Triage a whole input: one JSON document if it parses as one value, else JSON Lines.

    A single document is reported as the line where it starts.
    """
    try:
        document = parse_json(text)
    except ValueError:
        # Split on "\n" only: a JSON string may hold U+2028, which str.splitlines() splits on.
        yield from triage_lines(text.split("\n"), validate=validate)
        return
    first_line = next(n for n, line in enumerate(text.split("\n"), start=1) if line.strip())
    yield _triage_document(document, first_line, validate)
