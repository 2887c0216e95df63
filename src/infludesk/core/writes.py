"""Small helpers every app's write services share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def check_fields(fields: dict[str, Any], allowed: Iterable[str], service: str) -> None:
    """Unknown keyword fields are a programming error, not user input."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {', '.join(unknown)}")


def save_unique(instance: models.Model, *, clash_field: str, clash_message: str) -> None:
    """Save inside a savepoint; a unique violation becomes a ValidationError on clash_field."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError({clash_field: clash_message}) from exc
