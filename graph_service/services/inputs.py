"""Reading what a planner typed (a web form, or the same fields as JSON) into checked values.

The input models of the information base (``partnerships``, ``exchanges``, ``institutions``) take
the strings a form sends: blanks mean "not given", text is trimmed. Every rule broken becomes a
``FieldProblem`` with a code (``required``, ``too_long``, ``bad_date``, ``future_date`` …) that
front ends render in the page's language; ``parse`` raises them all at once as ``InvalidFields``,
so a form shows every problem in one round.

>>> class Trip(BaseModel):
...     title: RequiredText
...     date: OptionalDate = None
>>> parse(Trip, {"title": "  Teachers to Khon Kaen ", "date": ""}).title
'Teachers to Khon Kaen'
>>> try:
...     parse(Trip, {"title": "", "date": "2023-13-40"})
... except InvalidFields as exc:
...     [(p.field, p.code) for p in exc.problems]
[('title', 'required'), ('date', 'bad_date')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from graph_service.errors import FieldProblem, InvalidFields
from graph_service.model import check_date

M = TypeVar("M", bound=BaseModel)

MAX_FIELD_NAME = 200
"""Longest name a form takes (a city, a school, a person, a delegation head)."""
MAX_FIELD_TITLE = 300
MAX_FIELD_TEXT = 4_000
"""Longest notes or outcome a form takes."""
MAX_FIELD_SOURCE = 1_000
_CONTROL = {chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unsound(value: str) -> str | None:
    """The problem code of text no field takes: control characters, or a lone surrogate (half a
    character, as a hand-made JSON body can send); None for sound text."""
    if _CONTROL & set(value):
        return "control_chars"
    return "broken_text" if _SURROGATE.search(value) else None


ENGLISH = {
    "required": "required",
    "too_long": "at most {limit} characters",
    "control_chars": "control characters are not allowed",
    "broken_text": "not valid text: it holds half a character (a lone surrogate)",
    "bad_date": "{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
    "future_date": "a signed tie cannot carry a future date ({value})",
    "future_step": "{value} is in the future: record a step once it has happened",
    "bad_choice": "{value!r} is not one of the choices",
    "bad_number": "{value!r} is not a number",
    "out_of_range": "must be between {low} and {high}",
    "bad_country": "{value!r} is not a known country code",
    "coords_pair": "give both latitude and longitude, or neither",
    "unknown_city": "no city named {value!r}: pick one from the list, or create it",
    "ambiguous_city": "several cities are named {value!r}: {candidates}",
    "unknown_node": "no record named {value!r}",
    "same_city": "a city cannot partner with itself",
    "tie_exists": "already a partner ({tier})",
    "exchange_exists": "this exchange (same date and title) is already recorded",
    "not_upgradable": "only a friendly-exchange tie can be upgraded to a sister-city tie",
    "step_order": "{step} ({value}) cannot come before {earlier} ({earlier_value})",
    "wrong_kind": "{value!r} is a {kind}, not a {expected}",
    "city_exists": "{value!r} is already recorded as {name} ({id}): pick it instead",
    "mapped_twice": "{target} is already the field of column {column!r}",
    "map_missing": "map a column to {target}",
}
"""The English message of each problem code (the front ends translate by code)."""


def problem(field: str, code: str, **params: Any) -> FieldProblem:
    """One field's problem, with its English message filled from ``params``."""
    return FieldProblem(field, code, ENGLISH.get(code, code).format(**params), params)


def _blank(value: Any) -> Any:
    """Trim text and read a blank as "not given"."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _checked_text(limit: int) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        value = _blank(value)
        if value is None:
            return None
        if not isinstance(value, str):
            raise PydanticCustomError("bad_choice", "{value!r} is not text", {"value": str(value)[:40]})
        if code := _unsound(value):
            raise PydanticCustomError(code, ENGLISH[code])
        if len(value) > limit:
            raise PydanticCustomError("too_long", ENGLISH["too_long"], {"limit": limit})
        return value

    return check


def _required(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("required", ENGLISH["required"])
    return value


def _date(value: Any) -> Any:
    value = _blank(value)
    if value is None:
        return None
    try:
        return check_date(str(value))
    except ValueError:
        raise PydanticCustomError("bad_date", ENGLISH["bad_date"], {"value": str(value)[:40]}) from None


RequiredName = Annotated[str, BeforeValidator(_required), BeforeValidator(_checked_text(MAX_FIELD_NAME))]
OptionalName = Annotated[str | None, BeforeValidator(_checked_text(MAX_FIELD_NAME))]
RequiredText = Annotated[str, BeforeValidator(_required), BeforeValidator(_checked_text(MAX_FIELD_TITLE))]
OptionalTitle = Annotated[str | None, BeforeValidator(_checked_text(MAX_FIELD_TITLE))]
OptionalText = Annotated[str | None, BeforeValidator(_checked_text(MAX_FIELD_TEXT))]
OptionalSource = Annotated[str | None, BeforeValidator(_checked_text(MAX_FIELD_SOURCE))]
OptionalDate = Annotated[str | None, BeforeValidator(_date)]
RequiredDate = Annotated[str, BeforeValidator(_required), BeforeValidator(_date)]
Blank = BeforeValidator(_blank)
"""Put on optional choices and numbers, so an empty select or box means "not given"."""


def _from_pydantic(error: Mapping[str, Any]) -> FieldProblem:
    field = ".".join(str(part) for part in error.get("loc", ())) or "form"
    kind, ctx = str(error.get("type", "")), dict(error.get("ctx") or {})
    value = error.get("input")
    shown = str(value)[:40] if value is not None else ""
    if kind in ENGLISH:
        return problem(field, kind, **{k: v for k, v in ctx.items() if k != "error"})
    if kind == "missing" or (kind in ("enum", "literal_error") and value in (None, "")):
        return problem(field, "required")
    if kind in ("enum", "literal_error"):
        return problem(field, "bad_choice", value=shown)
    if kind in ("int_parsing", "float_parsing", "int_from_float", "finite_number", "int_type", "float_type"):
        return problem(field, "bad_number", value=shown)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low = ctx.get("ge", ctx.get("gt", "…"))
        high = ctx.get("le", ctx.get("lt", "…"))
        return problem(field, "out_of_range", low=low, high=high)
    return FieldProblem(field, "invalid", str(error.get("msg", "invalid"))[:200], {})


def parse(model: type[M], data: Mapping[str, Any], *,
          also: Callable[[Mapping[str, Any]], Iterable[FieldProblem]] | None = None) -> M:
    """``data`` read as ``model``; raises ``InvalidFields`` listing every problem.

    When some fields are invalid, ``also(data)`` (checks that read raw values, such as looking a city
    up by name) still runs, and its problems on the other fields join the list, so one round shows
    them all.
    """
    broken = {key for key, value in data.items()
              if _SURROGATE.search(str(key)) or (isinstance(value, str) and _SURROGATE.search(value))}
    problems = [problem(str(key), "broken_text") for key in broken if key in model.model_fields]
    try:
        form = model.model_validate({key: value for key, value in data.items() if key not in broken})
    except ValidationError as exc:
        problems += [p for p in map(_from_pydantic, exc.errors(include_url=False)) if p.field not in broken]
    else:
        if not problems:
            return form
    failed = {p.field for p in problems}
    if also is not None:
        problems += [p for p in also(data) if p.field not in failed]
    raise InvalidFields(problems)


def text_of(data: Mapping[str, Any], name: str) -> str | None:
    """A raw form value as trimmed text, or None when blank, not text, or holding control characters or
    a lone surrogate (the field's own check reports those; a name that holds them is never looked up)."""
    value = data.get(name)
    if not isinstance(value, str) or _unsound(value):
        return None
    return value.strip()[:MAX_FIELD_TEXT] or None


def is_future(value: str | None, today: date) -> bool:
    """Whether a (possibly partial) ISO date lies after ``today`` at its own precision: in 2025,
    ``2025`` and ``2025-03`` are not future, ``2026`` is.

    >>> is_future("2025", date(2025, 6, 1)), is_future("2025-07", date(2025, 6, 1)), is_future(None, date.today())
    (False, True, False)
    """
    return bool(value) and str(value) > today.isoformat()[: len(str(value))]


def choice_of(enum: type[Enum], value: str | None) -> Any:
    """The member of ``enum`` named by a form value, or None for a blank (``ValueError`` otherwise)."""
    return enum(value) if value else None
