"""The explained authenticity score over the REST API (mounted by infludesk.api.api):
``GET /social-accounts/{id}/authenticity`` reads the stored explanation (every member);
``POST`` the same path scores the account again (owners and managers; audited);
``POST /social-accounts/{id}/follower-sample`` imports a sample of its followers (classified
at once; the audience-quality signal reads it). Another workspace's account is a 404."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.authenticity import explanation as reads
from infludesk.authenticity import selectors
from infludesk.authenticity.services import (
    MAX_SAMPLE_ROWS,
    FollowerRow,
    account_score_authenticity,
    follower_sample_import,
)

router = Router(tags=["authenticity"])


class SignalOut(Schema):
    key: str
    label: str
    status: str
    value: float | None
    value_text: str
    benchmark: str
    deduction: float
    max_deduction: float
    evidence: str
    reason: str | None
    details: dict[str, Any]


class AuthenticityOut(Schema):
    account_id: int
    scored: bool
    score: int | None
    confidence: str
    signals_with_data: int
    signals_total: int
    verdict: str
    reasons: list[str]
    signals: list[SignalOut]
    metrics: dict[str, Any]
    scored_at: str
    spikes: list[dict[str, Any]]
    drops: list[dict[str, Any]]
    audience: dict[str, Any] | None
    figures: dict[str, float | None]
    """Posts per week, follower growth over 7/30/90 days, ER against its tier benchmark."""


def _out(explained: reads.Explanation) -> dict[str, Any]:
    data = dict(explained.__dict__)
    account = data.pop("account")
    snapshots = reads.snapshots_of(workspace=account.workspace, account=account)
    figures = reads.account_figures(
        workspace=account.workspace, account=account, snapshots=snapshots
    )
    return {"account_id": account.pk, **data, "figures": figures}


@router.get(
    "/social-accounts/{account_id}/authenticity",
    response={200: AuthenticityOut, **ERROR_RESPONSES},
    summary="The explained authenticity score of an account (signals, evidence, confidence)",
)
def account_authenticity(request: HttpRequest, account_id: Id) -> Any:
    member = member_of(request)
    account = reads.account_get(workspace=member.workspace, account_id=account_id)
    return _out(reads.explanation(account))


@router.post(
    "/social-accounts/{account_id}/authenticity",
    response={200: AuthenticityOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Score an account again from its stored evidence",
)
def account_rescore(request: HttpRequest, account_id: Id) -> Any:
    member = member_of(request)
    account = reads.account_get(workspace=member.workspace, account_id=account_id)
    account_score_authenticity(workspace=member.workspace, account=account, by=member)
    return _out(reads.explanation(account))


Count = Annotated[int, Field(ge=0, le=10**12)]


class FollowerIn(Schema):
    handle: Annotated[str, Field(min_length=1, max_length=100)]
    followers: Count
    following: Count
    posts: Count
    has_profile_pic: bool
    is_private: bool = False
    bio_length: Annotated[int | None, Field(ge=0, le=10_000)] = None


class FollowerSampleIn(Schema):
    followers: Annotated[list[FollowerIn], Field(min_length=1, max_length=MAX_SAMPLE_ROWS)]
    replace: bool = False
    """True drops the followers of the previous sample that are not in this one."""


class FollowerSampleOut(Schema):
    created: int
    updated: int
    deleted: int
    sample_size: int
    real_share: float | None
    ci95: list[float] | None
    level: str | None


@router.post(
    "/social-accounts/{account_id}/follower-sample",
    response={200: FollowerSampleOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Import a sample of the account's followers (upsert by handle) and classify it",
)
def follower_sample_post(request: HttpRequest, account_id: Id, payload: FollowerSampleIn) -> Any:
    member = member_of(request)
    account = reads.account_get(workspace=member.workspace, account_id=account_id)
    try:
        counts = follower_sample_import(
            workspace=member.workspace,
            account=account,
            rows=[FollowerRow(**f.model_dump()) for f in payload.followers],
            by=member,
            replace=payload.replace,
        )
    except ValueError as exc:
        raise ValidationError({"followers": [str(exc)]}) from exc
    quality = selectors.account_audience_quality(workspace=member.workspace, account=account)
    return {
        **counts,
        "real_share": quality.real_share if quality else None,
        "ci95": list(quality.ci95) if quality else None,
        "level": quality.level if quality else None,
    }
