"""Field types of the scenario format: numbers that may be uncertain, and dates.

A *quantity* is a number in a field's unit, or a :class:`Distribution` drawn once
per replication. A *per-item* quantity is drawn afresh for every work item
(effort, review time, hand-off delay) and is never a per-replication parameter.
Fractions (rates, shares) are written as fractions: 0.12, not 12.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from sim.scenario.distributions import KINDS, STRING_PATTERN, Distribution, DistributionError, parse

#: the most people in one layer, cut, or hire: counts are drawn as 64-bit integers and
#: the work flow builds one server per sampled manager; ten million is four times the
#: largest employer's staff
MAX_PEOPLE = 10_000_000
#: the largest amount of money, time or rate the model computes with: past it, sums over
#: people, weeks and replications leave the range where float64 keeps whole cents
MAX_NUMBER = 1e12
#: the most work items an IC can be sent a week: a unit's weekly arrivals are Poisson
#: draws, which NumPy takes only below about 1e18 (ten million ICs x 1e4 x seasonality)
MAX_ARRIVALS_PER_IC_WEEK = 10_000


class PerItem(Distribution):
    """A distribution drawn for each work item, not once per replication."""


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("scenario", message)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _bounds_text(ge: float | None, gt: float | None, le: float | None) -> str:
    parts = []
    if ge is not None:
        parts.append(f">= {ge:g}")
    if gt is not None:
        parts.append(f"> {gt:g}")
    if le is not None:
        parts.append(f"<= {le:g}")
    return " and ".join(parts)


def _check_number(
    value: float,
    ge: float | None,
    gt: float | None,
    le: float | None,
    fraction: bool,
    why: str = "",
) -> None:
    if ge is not None and value < ge:
        raise _fail(f"must be >= {ge:g}, got {value:g}")
    if gt is not None and value <= gt:
        raise _fail(f"must be > {gt:g}, got {value:g}")
    if le is not None and value > le:
        hint = ""
        if fraction and 2 <= value <= 100:
            hint = f" (rates and shares are fractions: did you mean {value / 100:g}?)"
        elif why:
            hint = f" ({why})"
        raise _fail(f"must be <= {le:g}, got {value:g}{hint}")


def _validator(
    *,
    ge: float | None,
    gt: float | None,
    le: float | None,
    fraction: bool,
    integer: bool,
    per_item: bool,
    why: str,
):
    def validate(value: Any) -> float | Distribution:
        if isinstance(value, Distribution):
            return value
        if isinstance(value, bool):
            raise _fail(f"expected a number, got {str(value).lower()}")
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:
                raise _fail(f"number too large ({len(str(value))} digits)") from None
            if not math.isfinite(number):
                raise _fail(f"expected a finite number, got {value}")
            if integer and not number.is_integer():
                raise _fail(f"must be a whole number, got {number:g}")
            _check_number(number, ge, gt, le, fraction, why)
            return number
        if value is None:
            raise _fail("expected a number, got nothing (an empty value)")
        if isinstance(value, str | dict):
            try:
                dist = parse(value)
            except DistributionError as err:
                raise _fail(str(err)) from None
            _check_distribution(dist, ge, gt, le, fraction, why)
            return PerItem(dist.kind, dist.params) if per_item else dist
        raise _fail(f"expected a number or a distribution, got {_shown(value)}")

    return validate


def _check_distribution(
    dist: Distribution,
    ge: float | None,
    gt: float | None,
    le: float | None,
    fraction: bool,
    why: str = "",
) -> None:
    """Bounded kinds must stay inside the field's range; open tails are clipped when drawn,
    and no parameter may pass the largest number the model computes with."""
    low, high = dist.support
    reason = f"; {why}" if why else ""
    try:
        _check_number(dist.mean, ge, gt, le, fraction)
        if math.isfinite(low):
            _check_number(low, ge, None, le, fraction)
        if math.isfinite(high):
            _check_number(high, ge, None, le, fraction)
    except PydanticCustomError:
        raise _fail(
            f"{dist} reaches outside the allowed range ({_bounds_text(ge, gt, le)}{reason})"
        ) from None
    if any(abs(p) > MAX_NUMBER for p in dist.params):
        raise _fail(
            f"{dist}: its parameters must be within +/-{MAX_NUMBER:g}, the largest number the "
            "model computes with"
        )


def _json_schema(ge: float | None, gt: float | None, le: float | None, doc: str) -> dict:
    number: dict[str, Any] = {"type": "number"}
    if ge is not None:
        number["minimum"] = ge
    if gt is not None:
        number["exclusiveMinimum"] = gt
    if le is not None:
        number["maximum"] = le
    mapping = {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "properties": {
            kind: {
                "type": "array",
                "items": {"type": "number"},
                "minItems": len(names),
                "maxItems": len(names),
            }
            for kind, names in {**KINDS, "tri": KINDS["triangular"]}.items()
        },
        "additionalProperties": False,
    }
    return {
        "anyOf": [number, {"type": "string", "pattern": STRING_PATTERN}, mapping],
        "description": doc,
    }


Quantity = float | Distribution


@dataclass(frozen=True)
class Q:
    """Marks a field as a quantity: ``Annotated[Quantity, Q(fraction=True)]``."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    fraction: bool = False
    integer: bool = False
    per_item: bool = False
    #: why ``le`` is the limit, said in the message when a value passes it
    why: str = ""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        ge, le = self.ge, self.le
        if self.fraction:
            ge = 0.0 if ge is None else ge
            le = 1.0 if le is None else le
        validate = _validator(
            ge=ge,
            gt=self.gt,
            le=le,
            fraction=self.fraction,
            integer=self.integer,
            per_item=self.per_item,
            why=self.why,
        )
        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v if isinstance(v, float) else str(v)
            ),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict:
        ge, le = self.ge, self.le
        if self.fraction:
            ge = 0.0 if ge is None else ge
            le = 1.0 if le is None else le
        doc = "a fraction (0.12, not 12)" if self.fraction else "a number"
        doc += ", or a distribution such as pert(low, mode, high)"
        if self.per_item:
            doc += ", drawn for each work item"
        return _json_schema(ge, self.gt, le, doc)


_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise _fail(f"expected a date as YYYY-MM or YYYY-MM-DD, got {_shown(value)}")
    match = _DATE.match(value.strip())
    if not match:
        raise _fail(f"expected a date as YYYY-MM or YYYY-MM-DD, got {value!r}")
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise _fail(f"{value!r} is not a calendar date ({err})") from None


Date = Annotated[
    dt.date,
    PlainValidator(_parse_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
            "description": "a date, YYYY-MM (the 1st) or YYYY-MM-DD",
        }
    ),
]

_LARGEST = "the largest number the model computes with"
_MOST_PEOPLE = "the most people the model takes in one place"

NonNegative = Annotated[Quantity, Q(ge=0, le=MAX_NUMBER, why=_LARGEST)]
Positive = Annotated[Quantity, Q(gt=0, le=MAX_NUMBER, why=_LARGEST)]
Fraction = Annotated[Quantity, Q(fraction=True)]
Count = Annotated[Quantity, Q(ge=0, le=MAX_PEOPLE, integer=True, why=_MOST_PEOPLE)]
Money = Annotated[Quantity, Q(ge=0, le=MAX_NUMBER, why=_LARGEST)]
PerItemHours = Annotated[Quantity, Q(ge=0, le=MAX_NUMBER, per_item=True, why=_LARGEST)]
