"""Field types and a base schema shared by the API schemas.

``StorableText`` refuses NUL characters and unpaired surrogates in any string field (also inside
lists): PostgreSQL cannot store either, and the API must answer 422 naming the field rather than
fail in the database.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import FilterSchema, Schema
from pydantic import ConfigDict, Field, PlainSerializer, field_validator

MAX_BIGINT = 2**63 - 1
# Path and filter ids: anything larger cannot be a row id in either database.
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
Count = Annotated[int, Field(ge=0, le=MAX_BIGINT)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. USD")]
CountryCode = Annotated[
    str, Field(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2, or empty")
]
LanguageCode = Annotated[str, Field(max_length=8, pattern=r"^[A-Za-z-]*$")]
# Decimals (money, rates) go out as strings so no client turns 0.10 into a binary float.
DecimalStr = Annotated[Decimal, PlainSerializer(str, return_type=str)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


def storable(value: Any) -> Any:
    """The value unchanged, or ValueError when a string in it cannot be stored."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("Text cannot contain NUL (\\u0000) characters.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("Text must be valid Unicode (no unpaired surrogates).") from exc
    elif isinstance(value, list | tuple):
        for item in value:
            storable(item)
    return value


class StorableText(Schema):
    """Base for input schemas: every string must be storable (checked before type checks, so
    length limits still say "characters")."""

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


class QueryFilter(FilterSchema):
    """Base for list filters: an empty parameter (``?country=``, as an HTML form sends it)
    means "no filter", and text must be storable like any other input."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else storable(value)


class StrictIn(StorableText):
    """Base for In/Patch bodies: an unknown (e.g. misspelt) field is a 422, not ignored."""

    model_config = ConfigDict(extra="forbid")
