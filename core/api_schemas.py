"""What every API operation may answer besides its result, and how a date in a query is read.

Each app's router lists `REFUSALS` among its responses, so the OpenAPI schema documents
every refusal with its shape, and a client (or schemathesis) can check each answer
against it.
"""

import datetime as dt
import re
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from core.dates import QUERY_YEARS


class Message(Schema):
    message: str = Field(description="What went wrong, in words a person can act on")


class ProblemOut(Schema):
    item: int | None = Field(description="The mark's position in the list, counting from 1; null for the request")
    field: str = Field(description="The field that holds the problem")
    value: str = Field(description="What was sent")
    problem: str = Field(description="What is wrong, in words a person can act on")


class Problems(Schema):
    problems: list[ProblemOut]


REFUSALS = {400: Message, 401: Message, 403: Message, 422: Problems}


def described(more: dict[int, str] | None = None) -> dict:
    """An operation's `openapi_extra`: what each refusal means, in words, for the schema."""
    words = {
        400: "The request could not be read: for a POST, the body is not valid JSON",
        401: "No API key, or a key that is wrong, revoked, or whose maker has left the organisation",
        403: "The key's organisation may not do this",
        422: "A field is missing or wrong: each problem names the item, the field, what was sent and the rule",
        **(more or {}),
    }
    return {"responses": {status: {"description": text} for status, text in words.items()}}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _iso_date(value) -> dt.date:
    # Pydantic on its own reads "0" or "1700000000" as seconds since 1970: a register
    # date is never a number, so only YYYY-MM-DD is taken.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "must be a date written as YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_format", "must be a real date written as YYYY-MM-DD") from None
    if day.year not in QUERY_YEARS:
        raise PydanticCustomError(
            "date_range",
            f"must be a date from {QUERY_YEARS[0]} to {QUERY_YEARS[-1]}, written as YYYY-MM-DD",
        )
    return day


QueryDate = Annotated[dt.date, BeforeValidator(_iso_date)]
