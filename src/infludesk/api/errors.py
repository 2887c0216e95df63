"""One error shape for the whole API: ``{"detail": str, "errors": [{"field", "message"}]}``.

401 no or bad credentials, 403 read-only role or failed CSRF, 404 missing rows (and rows of other
workspaces, so their existence does not leak), 409 a conflict the services could not phrase,
422 invalid input: pydantic errors and service ``ValidationError``s, each naming its field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

# Model field names that the API exposes under another name.
API_FIELD_NAMES = {
    "creator": "creator_id",
    "campaign": "campaign_id",
    "wave": "wave_id",
    "account": "account_id",
}
_PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Handlers name their JSON body argument `payload`; it is not a field the client sees.
_BODY_ARG = "payload"


class FieldError(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError]


def error_body(detail: str, errors: Iterable[tuple[str | None, str]] = ()) -> dict[str, Any]:
    return {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]}


def field_from_loc(loc: Iterable[Any]) -> str:
    """("body", "payload", "categories", 0) -> "categories.0"; ("query", "page") -> "page";
    ("body", "payload") -> "body" (the body itself is wrong: missing, or not an object)."""
    parts = [str(p) for p in loc]
    source = parts.pop(0) if parts and parts[0] in _PARAM_SOURCES else "body"
    if parts and parts[0] == _BODY_ARG:
        parts.pop(0)
    return ".".join(parts) or source


def _message(error: Mapping[str, Any]) -> str:
    if error.get("type") == "missing":
        return "This field is required."
    message = str(error.get("msg", "Invalid value."))
    # pydantic prefixes messages raised by our validators; the client needs only the reason
    return message.removeprefix("Value error, ")


def _validation(request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    errors = [(field_from_loc(e.get("loc", ())), _message(e)) for e in exc.errors]
    return api.create_response(request, error_body("Invalid input.", errors), status=422)


def _django_validation(
    request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI
) -> HttpResponse:
    errors: list[tuple[str | None, str]] = []
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            field = None if name == NON_FIELD_ERRORS else API_FIELD_NAMES.get(name, name)
            errors.extend((field, message) for message in messages)
    else:
        errors.extend((None, message) for message in exc.messages)
    return api.create_response(request, error_body("Invalid input.", errors), status=422)


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    # ninja answers an unparsable body with 400; to the client it is invalid input in `body`.
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        cause = exc.__cause__
        reason = cause.msg if isinstance(cause, json.JSONDecodeError) else str(cause)
        body = error_body("Invalid input.", [("body", f"The body is not valid JSON: {reason}.")])
        return api.create_response(request, body, status=422)
    if isinstance(exc, AuthenticationError):
        detail = "Authentication required: send 'Authorization: Bearer <API token>'."
        response = api.create_response(request, error_body(detail), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("Not found."), status=404)


def _integrity(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    detail = "The change conflicts with existing data (a duplicate or a row still in use)."
    return api.create_response(request, error_body(detail), status=409)


def _data_error(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    detail = "A value does not fit its column (too long or out of range)."
    return api.create_response(request, error_body(detail), status=422)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers so every error has the same JSON shape."""

    def bind(handler: Any) -> Any:
        return lambda request, exc: handler(request, exc, api)

    api.add_exception_handler(NinjaValidationError, bind(_validation))
    api.add_exception_handler(DjangoValidationError, bind(_django_validation))
    api.add_exception_handler(HttpError, bind(_http_error))
    api.add_exception_handler(Http404, bind(_not_found))
    api.add_exception_handler(IntegrityError, bind(_integrity))
    api.add_exception_handler(DataError, bind(_data_error))


# Documented on every operation, so clients (and schemathesis) know the error shape.
ERROR_RESPONSES: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
