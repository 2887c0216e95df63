"""Creator search with a brief: every match gets its fit to the brief, which can filter
(``fit_min``) and sort (``sort=fit``), and each result shows the captions that match best.

The fit here is the text part of ``creators.fit`` (formula there) on 0-100:

    fit = 100 x min(1, max(0, t) / 0.5),  t = mean of the bio cosine and the mean cosine of the
    3 best-matching captions (whichever exist)

computed from the stored embeddings (``AccountEmbedding``: the bio and the newest 10 captions,
see ``creators.search_texts``) against the brief's, in numpy, over every account the other
filters let through. Categories, language and country are search filters of their own, so
they are not mixed into this number. An account without an embedding (no bio and no
captions, or not embedded yet) has no fit and is left out, like unknown values in any
ranking. At most ``FIT_CANDIDATES`` accounts are ranked per search: beyond that the other
filters must narrow first (reading 5,000 embeddings of about 8 KB each is the cost).

With a target audience (``audience_countries``, ``audience_ages``, ``audience_gender``, as on
the fit page) the fit is the text and audience parts of ``creators.fit`` together:

    fit = 100 x (0.6 x c_text + 0.2 x c_audience) / 0.8

c_text as above (before rounding), c_audience the overlap of the account's creator's audience
with the target exactly as the fit page computes it (``fit.creators_audiences``: Instagram
insights demographics of the creator's accounts, else its country as the whole audience; 0.5
with no data), so an account's fit equals its creator's fit page score for the same brief and
audience (without categories, language or country, and for a creator whose texts are this
account's). Each result's fit carries the overlap (value and source).

Three queries: the candidates (id and sort value), their embeddings, the page's rows; two more
with a target audience (the candidates' creators, their accounts with their latest
demographics), whatever the number of candidates.
The brief's own embedding is cached per process (paging with the same brief reuses it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection

from infludesk.core.models import Workspace
from infludesk.creators import fit as fit_score
from infludesk.creators.audience_overlap import (
    AudienceData,
    AudienceOverlap,
    AudienceTarget,
    audience_overlap,
)
from infludesk.creators.models import AccountEmbedding
from infludesk.creators.search import (
    RESULT_FIELDS,
    RESULT_SELECT,
    SORTS,
    TABLE,
    SearchFilters,
    SearchPage,
    SearchResult,
    candidates_statement,
    db_sort_value,
    decode_cursor,
    encode_cursor,
    result_rows,
)
from infludesk.creators.search_texts import DIMENSIONS, caption_lines, texts_hash

FIT_CANDIDATES = 5_000


@dataclass(frozen=True)
class CaptionReason:
    text: str
    similarity: float


@dataclass(frozen=True)
class AccountFit:
    """An account's fit (0-100, one decimal) and why: the best captions with their cosines,
    and with a target audience the overlap of the creator's audience with it."""

    score: float
    bio_similarity: float | None
    captions: list[CaptionReason] = field(default_factory=list)
    audience: AudienceOverlap | None = None  # None: no target audience given


@lru_cache(maxsize=32)
def brief_vector(brief: str) -> np.ndarray:
    """The brief's unit embedding (cached; the brief is cleaned by ``fit.clean_brief``)."""
    from infludesk.creators import embeddings

    vector = embeddings.embed([brief])[0].astype(np.float32)
    vector.setflags(write=False)
    return vector


@dataclass(frozen=True)
class _Scored:
    score: float
    bio_similarity: float | None
    caption_order: list[int]  # caption indexes, best first (at most 3)
    caption_sims: list[float]
    text_hash: str
    audience: AudienceOverlap | None = None


def score_vectors(
    sims: np.ndarray, *, has_bio: bool, caption_count: int
) -> tuple[float, float | None, list[int]]:
    """(fit, bio cosine, best caption indexes) from one account's cosines with the brief: the
    bio's first when ``has_bio``, then one per caption."""
    bio = float(sims[0]) if has_bio else None
    captions = sims[int(has_bio) : int(has_bio) + caption_count]
    order = [int(i) for i in np.argsort(-captions, kind="stable")[: fit_score.TOP_CAPTIONS]]
    caption_mean = float(np.mean(captions[order])) if order else None
    score = round(100 * fit_score.text_component(bio, caption_mean), 1)
    return score, bio, order


def _scores(
    workspace: Workspace, account_ids: list[int], brief: np.ndarray, target: AudienceTarget
) -> dict[int, _Scored]:
    columns = ["account_id", "has_bio", "caption_count", "vectors", "text_hash"]
    if target:  # the creator, whose audience counts (a join only then)
        columns.append("account__creator_id")
    rows = (
        AccountEmbedding.objects.filter(
            workspace=workspace,
            account_id__in=account_ids,  # the candidates, read once by fit_search
        )
        .values_list(*columns)
        .order_by()
    )
    found = list(rows)
    if not found:
        return {}
    matrix = np.frombuffer(b"".join(bytes(r[3]) for r in found), dtype=np.float16)
    sims = matrix.reshape(-1, DIMENSIONS).astype(np.float32) @ brief
    # every account's cosines side by side (one row each, captions padded with NaN), so the
    # best three and the score are whole-array operations, not a Python loop per account
    has_bio = np.array([bool(r[1]) for r in found])
    counts = np.array([int(r[2]) for r in found])
    starts = np.concatenate(([0], np.cumsum(has_bio + counts)[:-1]))
    width = max(int(counts.max()), 1)
    column = np.arange(width)
    present = column[None, :] < counts[:, None]
    where = np.where(present, (starts + has_bio)[:, None] + column[None, :], 0)
    captions = np.where(present, sims[where], np.nan)
    order = np.argsort(np.where(present, -captions, np.inf), axis=1, kind="stable")
    best = order[:, : fit_score.TOP_CAPTIONS]
    best_sims = np.take_along_axis(captions, best, axis=1)
    valid = ~np.isnan(best_sims)
    shown = valid.sum(axis=1)
    caption_mean = np.where(valid, best_sims, 0.0).sum(axis=1) / np.maximum(shown, 1)
    bio = np.where(has_bio, sims[np.minimum(starts, len(sims) - 1)], 0.0)
    # t = mean of the bio cosine and the caption mean, whichever exist (fit.text_component)
    parts = has_bio.astype(int) + (shown > 0)
    t = (bio + np.where(shown > 0, caption_mean, 0.0)) / np.maximum(parts, 1)
    full = fit_score.FULL_MATCH_COSINE
    text = np.minimum(1.0, np.maximum(0.0, t) / full)  # c_text
    scores = np.round(100 * text, 1)
    overlaps = _overlaps(workspace, target, {r[5] for r in found}) if target else {}
    scored: dict[int, _Scored] = {}
    for i, (account_id, _, _, _, digest, *creator_id) in enumerate(found):
        n = int(shown[i])
        score, overlap = float(scores[i]), overlaps.get(creator_id[0]) if creator_id else None
        if overlap is not None:
            # fit.combine, as the fit page: 100 x (0.6 c_text + 0.2 c_audience) / 0.8
            components = {"text": float(text[i]), "audience": fit_score.audience_component(overlap)}
            score = fit_score.combine(components)
        scored[account_id] = _Scored(
            score,
            float(bio[i]) if has_bio[i] else None,
            [int(j) for j in best[i, :n]],
            [round(float(v), 3) for v in best_sims[i, :n]],
            digest,
            overlap,
        )
    return scored


def _overlaps(
    workspace: Workspace, target: AudienceTarget, creator_ids: set[int]
) -> dict[int, AudienceOverlap]:
    """Creator id -> the overlap of its audience with the target (two queries for all)."""
    audiences = fit_score.creators_audiences(workspace=workspace, creator_ids=creator_ids)
    return {pk: audience_overlap(target, audiences.get(pk, AudienceData())) for pk in creator_ids}


def fit_search(
    *, workspace: Workspace, filters: SearchFilters, after: str | None, limit: int
) -> SearchPage:
    """One page of accounts matching ``filters`` (which has a brief), each with its fit; the
    count is exact. ValidationError naming ``brief`` for a bad brief or too many candidates."""
    try:
        brief = fit_score.clean_brief(filters.brief)
    except ValueError as exc:
        raise ValidationError({"brief": str(exc)}) from exc
    column = SORTS.get(filters.sort)
    with connection.cursor() as cursor:
        statement = candidates_statement(workspace.pk, filters, FIT_CANDIDATES + 1)
        cursor.execute(statement.sql, statement.params)
        candidates = cursor.fetchall()
    if len(candidates) > FIT_CANDIDATES:
        raise ValidationError(
            {
                "brief": f"Fit ranks at most {FIT_CANDIDATES:,} creators at a time and more "
                "match the other filters: narrow them (platform, tier, country, ...) first."
            }
        )
    target = filters.audience_target
    ids = [candidate[0] for candidate in candidates]
    scored = _scores(workspace, ids, brief_vector(brief), target) if candidates else {}
    fit_min = filters.fit_min
    ranked: list[tuple[Any, int]] = []
    for candidate in candidates:
        pk = candidate[0]
        found = scored.get(pk)
        if found is None or (fit_min is not None and found.score < fit_min):
            continue
        ranked.append((db_sort_value(column, candidate[1]) if column else found.score, pk))
    ranked.sort(reverse=filters.descending)
    total = len(ranked)  # of every match, so it is the same on every page
    if after:
        value, row_id = decode_cursor(filters, after)
        key = (value, row_id)
        ranked = [r for r in ranked if (r < key if filters.descending else r > key)]
    page_keys = ranked[: limit + 1]
    has_next = len(page_keys) > limit
    page_keys = page_keys[:limit]
    items = _page_items(workspace, [pk for _, pk in page_keys], scored)
    next_cursor = None
    if has_next and items:
        next_cursor = encode_cursor(filters, items[-1], value=page_keys[-1][0])
    return SearchPage(items=items, next_cursor=next_cursor, count=total, count_capped=False)


def _page_items(
    workspace: Workspace, ids: list[int], scored: dict[int, _Scored]
) -> list[SearchResult]:
    """The page's accounts in ``ids`` order, each with its fit and best captions."""
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT {RESULT_SELECT}, a.recent_captions FROM {TABLE} a "  # noqa: S608 - parameters only
        f"WHERE a.workspace_id = %s AND a.id IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, *ids])
        rows = {row[0]: row for row in cursor.fetchall()}
    ordered = [rows[pk] for pk in ids]
    bio_at = RESULT_FIELDS.index("bio")
    fits = {row[0]: _reason(row[bio_at], row[-1], scored[row[0]]) for row in ordered}
    return result_rows(ordered, fits)


def _reason(bio: str, recent_captions: str, scored: _Scored) -> AccountFit:
    """The best captions as stored now; none when the texts changed since the embedding (its
    refresh is queued) so a caption is never shown with another caption's cosine."""
    captions = caption_lines(recent_captions)
    if texts_hash(bio.strip(), captions) != scored.text_hash:
        return AccountFit(scored.score, scored.bio_similarity, audience=scored.audience)
    reasons = [
        CaptionReason(captions[i], sim)
        for i, sim in zip(scored.caption_order, scored.caption_sims, strict=True)
        if i < len(captions)
    ]
    similarity = None if scored.bio_similarity is None else round(scored.bio_similarity, 3)
    return AccountFit(scored.score, similarity, reasons, scored.audience)
