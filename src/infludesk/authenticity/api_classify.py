"""``infludesk classify-accounts`` over the REST API (mounted by infludesk.api.api).

``POST /classify-accounts`` takes rows with the command's columns (followers, following, posts,
has_profile_pic, is_private, username_digit_ratio and optionally bio_length) and answers each
row's ``fake_probability`` (0-1, calibrated and shifted from the training prior to ``prior``,
the workspace default when omitted). It stores nothing, so every member may call it; a missing
or bad value is a 422 naming the row and the column, e.g. ``accounts.2.followers``.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema

from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Count, StrictIn
from infludesk.authenticity.model import AccountFeatures, load_model

router = Router(tags=["authenticity"])
MAX_ACCOUNTS = 10_000


class AccountFeaturesIn(StrictIn):
    followers: Count
    following: Count
    posts: Count
    has_profile_pic: bool
    is_private: bool
    username_digit_ratio: Annotated[float, Field(ge=0, le=1)]
    bio_length: Count | None = None


class ClassifyIn(StrictIn):
    accounts: Annotated[list[AccountFeaturesIn], Field(min_length=1, max_length=MAX_ACCOUNTS)]
    prior: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        default=None, description="Share of fake accounts expected in real audiences"
    )


class ClassifiedOut(Schema):
    index: int
    fake_probability: float


class ClassifyOut(Schema):
    prior: float
    model_variant: str
    items: list[ClassifiedOut]


@router.post(
    "/classify-accounts",
    response={200: ClassifyOut, **ERROR_RESPONSES},
    summary="Each account's probability of being fake (the classify-accounts command)",
)
def classify_accounts(request: HttpRequest, payload: ClassifyIn) -> Any:
    prior = payload.prior if payload.prior is not None else settings.FAKE_ACCOUNT_PRIOR
    model = load_model(settings.FAKE_MODEL_PATH or None)
    accounts = [AccountFeatures(**a.model_dump()) for a in payload.accounts]
    probabilities = model.probabilities(accounts, prior=prior)
    with_bio = {a.bio_length is not None for a in accounts}
    variant = "mixed" if len(with_bio) > 1 else ("with_bio" if True in with_bio else "without_bio")
    return {
        "prior": prior,
        "model_variant": variant,
        "items": [
            {"index": i, "fake_probability": round(p, 4)} for i, p in enumerate(probabilities)
        ],
    }
