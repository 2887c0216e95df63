"""One entry point for every model: `attribute(table, model)` -> per-channel credit and value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infludesk.attribution.engine import heuristics
from infludesk.attribution.engine.markov import markov
from infludesk.attribution.engine.paths import FloatArray, PathTable

WeightFn = Callable[[PathTable, float], FloatArray]

# Models defined by per-touch weights (see heuristics.py for the exact definitions).
TOUCH_WEIGHT_MODELS: dict[str, WeightFn] = {
    "last_touch": lambda t, h: heuristics.last_touch_weights(t),
    "first_touch": lambda t, h: heuristics.first_touch_weights(t),
    "linear": lambda t, h: heuristics.linear_weights(t),
    "position_based": lambda t, h: heuristics.position_based_weights(t),
    "time_decay": lambda t, h: heuristics.time_decay_weights(t, half_life=h),
    "shapley": lambda t, h: heuristics.shapley_weights(t),
}
MODELS: tuple[str, ...] = (
    "last_touch",
    "first_touch",
    "linear",
    "position_based",
    "time_decay",
    "markov",
    "shapley",
)


@dataclass(frozen=True)
class AttributionResult:
    """Credit (conversions) and value per channel; removal effects for markov only."""

    model: str
    channels: tuple[str, ...]
    credit: FloatArray
    value: FloatArray
    removal_effects: FloatArray | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "model": self.model,
            "credit": {c: float(v) for c, v in zip(self.channels, self.credit, strict=True)},
            "value": {c: float(v) for c, v in zip(self.channels, self.value, strict=True)},
        }
        if self.removal_effects is not None:
            out["removal_effects"] = {
                c: float(v) for c, v in zip(self.channels, self.removal_effects, strict=True)
            }
        return out


def touch_weights(table: PathTable, model: str, half_life: float = 1.0) -> FloatArray:
    try:
        fn = TOUCH_WEIGHT_MODELS[model]
    except KeyError:
        raise ValueError(f"unknown touch-weight model {model!r}") from None
    return fn(table, half_life)


def attribute(table: PathTable, model: str, *, half_life: float = 1.0) -> AttributionResult:
    """Run one model. `half_life` (in steps) is used by time_decay only."""
    if model == "markov":
        result = markov(table)
        return AttributionResult(
            model=model,
            channels=table.channels,
            credit=result.credit,
            value=result.value,
            removal_effects=result.removal_effects,
            extra={"conversion_probability": result.conversion_probability},
        )
    if model not in TOUCH_WEIGHT_MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    credit, value = heuristics.credit_from_weights(table, touch_weights(table, model, half_life))
    return AttributionResult(model=model, channels=table.channels, credit=credit, value=value)


def shares(credit: FloatArray) -> FloatArray:
    total = credit.sum()
    return credit / total if total > 0 else np.zeros_like(credit)
