"""Brand and voice fit: how well a creator matches a campaign brief, 0-100, with the reason.

Score = 100 x sum(w_i x c_i) / sum(w_i), over the components the brief asks about:

| component | c_i in [0, 1] | w_i |
|---|---|---|
| text (always) | min(1, max(0, t) / 0.5), t = mean of the bio and caption similarities | 0.6 |
| categories (if the brief names any) | Jaccard = len(B & C) / len(B | C) | 0.2 |
| language (if given) | 1 same, 0 different, 0.5 when the creator's is unknown | 0.1 |
| country (if given) | 1 same, 0 different, 0.5 when the creator's is unknown | 0.1 |
| audience (if a target is given) | overlap (``audience_overlap``); 0.5 with no data | 0.2 |

t: the bio similarity is the best cosine between the brief and any of the creator's account bios;
the caption similarity is the mean cosine of the 3 best-matching recent captions (the last
``CAPTION_LIMIT`` posts with text). When only one of the two exists, t is that one; with neither,
t = 0. Cosines come from all-MiniLM-L6-v2 (``embeddings``): same-topic sentences score about
0.4-0.7 and unrelated ones about 0-0.15, so a cosine of 0.5 or more counts as a full text match.
Categories are compared lower-cased and trimmed; C is the creator's categories plus every
account's. Language and country match any of the creator's or accounts' values (case-blind).

Audience: the brief's target split by country, age band and gender against the creator's
audience (Instagram insights of connected accounts, else the creator's country taken as the whole
audience); c = sum over bins of min(target share, audience share), averaged over the dimensions
with data (``creators.audience_overlap`` has the formula, sources and a worked example).

Example: t = 0.30 -> c_text = 0.6; categories {trail, running} vs {running, travel} -> 1/3;
language "en" vs "en" -> 1; no country -> dropped. Score = 100 x (0.6x0.6 + 0.2x(1/3) + 0.1x1)
/ 0.9 = 58.5. With an audience overlap of 0.7 as well: 100 x (0.36 + 0.0667 + 0.1 + 0.2x0.7)
/ 1.1 = 60.6.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import JSONField, OuterRef, Subquery

from infludesk.core.models import Workspace
from infludesk.creators import embeddings
from infludesk.creators.audience_overlap import (
    AudienceData,
    AudienceOverlap,
    AudienceTarget,
    audience_overlap,
    sum_demographics,
)
from infludesk.creators.models import AccountSnapshot, Creator, Post, SocialAccount

WEIGHTS = {"text": 0.6, "categories": 0.2, "language": 0.1, "country": 0.1, "audience": 0.2}
NO_AUDIENCE_DATA = 0.5  # as for an unknown language or country: neither a match nor a miss
FULL_MATCH_COSINE = 0.5
TOP_CAPTIONS = 3
CAPTION_LIMIT = 30
BRIEF_MAX_CHARS = 5000


@dataclass(frozen=True)
class CaptionMatch:
    text: str
    similarity: float
    url: str = ""


@dataclass(frozen=True)
class FitResult:
    score: float  # 0-100, one decimal
    components: dict[str, float]  # component -> c_i, only those that counted
    bio_similarity: float | None
    caption_similarity: float | None
    top_captions: list[CaptionMatch] = field(default_factory=list)
    categories_shared: list[str] = field(default_factory=list)
    audience: AudienceOverlap | None = None  # None: the brief names no target audience


def _norm_set(values: Iterable[str]) -> set[str]:
    return {v.strip().lower() for v in values if isinstance(v, str) and v.strip()}


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """len(A & B) / len(A | B) over lower-cased, trimmed values; 0 when both are empty."""
    sa, sb = _norm_set(a), _norm_set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def value_match(wanted: str, have: Iterable[str]) -> float:
    """1 when ``wanted`` is among ``have`` (case-blind), 0.5 when ``have`` is empty, else 0."""
    values = _norm_set(have)
    if not values:
        return 0.5
    return 1.0 if wanted.strip().lower() in values else 0.0


def text_component(bio_similarity: float | None, caption_similarity: float | None) -> float:
    """min(1, max(0, t) / 0.5), t = mean of the similarities that exist (0 if none)."""
    present = [s for s in (bio_similarity, caption_similarity) if s is not None]
    t = sum(present) / len(present) if present else 0.0
    return min(1.0, max(0.0, t) / FULL_MATCH_COSINE)


def audience_component(overlap: AudienceOverlap) -> float:
    """c_audience: the overlap, or 0.5 when the creator has no audience data."""
    return NO_AUDIENCE_DATA if overlap.value is None else overlap.value


def combine(components: dict[str, float]) -> float:
    """100 x sum(w_i c_i) / sum(w_i) over the given components, rounded to one decimal."""
    total_weight = sum(WEIGHTS[k] for k in components)
    if not total_weight:
        return 0.0
    return round(100 * sum(WEIGHTS[k] * c for k, c in components.items()) / total_weight, 1)


@dataclass(frozen=True)
class CreatorTexts:
    """What the scoring reads from a creator, as plain data (no models)."""

    bios: list[str]
    captions: list[tuple[str, str]]  # (caption, url), newest first
    categories: list[str]
    languages: list[str]
    countries: list[str]
    audience: AudienceData = field(default_factory=AudienceData)


def score_texts(
    *,
    brief_text: str,
    texts: CreatorTexts,
    categories: Sequence[str] = (),
    language: str = "",
    country: str = "",
    target: AudienceTarget | None = None,
) -> FitResult:
    """The fit of plain creator data to a brief (embeds the brief, bios and captions at once)."""
    bios = [b for b in texts.bios if b.strip()]
    captions = [(c, u) for c, u in texts.captions if c.strip()]
    vectors = embeddings.embed([brief_text, *bios, *(c for c, _ in captions)])
    sims = vectors[1:] @ vectors[0]
    bio_sims, caption_sims = sims[: len(bios)], sims[len(bios) :]
    bio_similarity = float(bio_sims.max()) if len(bio_sims) else None
    order = np.argsort(-caption_sims, kind="stable")[:TOP_CAPTIONS]
    top = [
        CaptionMatch(captions[i][0], round(float(caption_sims[i]), 3), captions[i][1])
        for i in order
    ]
    caption_similarity = float(np.mean([m.similarity for m in top])) if top else None
    components = {"text": text_component(bio_similarity, caption_similarity)}
    if _norm_set(categories):
        components["categories"] = jaccard(categories, texts.categories)
    if language.strip():
        components["language"] = value_match(language, texts.languages)
    if country.strip():
        components["country"] = value_match(country, texts.countries)
    overlap = audience_overlap(target, texts.audience) if target else None
    if overlap is not None:
        components["audience"] = audience_component(overlap)
    return FitResult(
        score=combine(components),
        components={k: round(v, 3) for k, v in components.items()},
        bio_similarity=None if bio_similarity is None else round(bio_similarity, 3),
        caption_similarity=None if caption_similarity is None else round(caption_similarity, 3),
        top_captions=top,
        categories_shared=sorted(_norm_set(categories) & _norm_set(texts.categories)),
        audience=overlap,
    )


def clean_brief(brief_text: str) -> str:
    """The trimmed brief; ValueError with a clear message when empty or too long."""
    text = (brief_text or "").strip()
    if not text:
        raise ValueError("Write a brief or brand description to compare the creator with.")
    if len(text) > BRIEF_MAX_CHARS:
        raise ValueError(f"The brief is too long: keep it under {BRIEF_MAX_CHARS} characters.")
    return text


def _audience(creator_country: str, accounts: list[tuple[str, str, Any, Any]]) -> AudienceData:
    """The rules of ``creators_audiences`` for one creator: its country and, per account,
    (handle, country, taken_at, demographics of its latest snapshot that has them or None)."""
    found = [(h, t, d) for h, _, t, d in accounts if t is not None and isinstance(d, dict)]
    splits = sum_demographics(demo for _, _, demo in found)
    if splits:
        where = "; ".join(f"@{handle} on {taken:%Y-%m-%d}" for handle, taken, _ in found)
        return AudienceData(
            splits=splits,
            source="insights",
            evidence=f"Instagram insights follower demographics ({where})",
        )
    account_countries = {c.strip().upper() for _, c, _, _ in accounts if c.strip()}
    if creator_country.strip():
        country, whose = creator_country.strip().upper(), "the creator's country"
    elif len(account_countries) == 1:
        country, whose = account_countries.pop(), "the account's country"
    else:
        return AudienceData()
    return AudienceData(
        splits={"country": {country: 1.0}},
        source="assumed_country",
        evidence=f"no demographics: {whose} ({country}) assumed to be the whole audience",
    )


def creators_audiences(
    *, workspace: Workspace, creator_ids: Iterable[int]
) -> dict[int, AudienceData]:
    """Each creator's audience split (creators of ``workspace`` only): the latest Instagram
    insights demographics of each of its accounts (summed), else the creator's country (or
    the accounts' one country) as the whole audience, else none (an empty ``AudienceData``).

    Two queries whatever the number of creators: the creators' countries, then their accounts,
    each with the time and demographics of its latest snapshot that has demographics (two
    correlated subqueries on the (workspace, account, taken_at) index)."""
    ids = list(dict.fromkeys(creator_ids))
    if not ids:
        return {}
    countries = dict(
        Creator.objects.filter(workspace=workspace, pk__in=ids)
        .order_by()
        .values_list("pk", "country")
    )
    latest = AccountSnapshot.objects.filter(
        workspace=workspace, account=OuterRef("pk"), insights__has_key="demographics"
    ).order_by("-taken_at")
    rows = (
        SocialAccount.objects.filter(workspace=workspace, creator_id__in=list(countries))
        .annotate(
            demographics_at=Subquery(latest.values("taken_at")[:1]),
            demographics=Subquery(
                latest.values("insights__demographics")[:1], output_field=JSONField()
            ),
        )
        .order_by("creator_id", "pk")
        .values_list("creator_id", "handle", "country", "demographics_at", "demographics")
    )
    accounts: dict[int, list[tuple[str, str, Any, Any]]] = {pk: [] for pk in countries}
    for creator_id, *account in rows:
        accounts[creator_id].append((account[0], account[1], account[2], account[3]))
    return {pk: _audience(countries[pk], accounts[pk]) for pk in countries}


def creator_audience(*, workspace: Workspace, creator: Creator) -> AudienceData:
    """The creator's audience split (``creators_audiences`` for one creator: two queries)."""
    return creators_audiences(workspace=workspace, creator_ids=[creator.pk]).get(
        creator.pk, AudienceData()
    )


def creator_texts(*, workspace: Workspace, creator: Creator) -> CreatorTexts:
    """The creator's bios, recent captions, categories, languages, countries and audience."""
    accounts = list(SocialAccount.objects.filter(workspace=workspace, creator=creator))
    posts = (
        Post.objects.filter(workspace=workspace, account__creator=creator)
        .exclude(caption="")
        .order_by("-posted_at", "-pk")
        .values_list("caption", "url")[:CAPTION_LIMIT]
    )
    categories = [*creator.categories, *(c for a in accounts for c in a.categories)]
    return CreatorTexts(
        bios=[a.bio for a in accounts],
        captions=list(posts),
        categories=[c for c in categories if isinstance(c, str)],
        languages=[creator.language, *(a.language for a in accounts)],
        countries=[creator.country, *(a.country for a in accounts)],
        audience=creator_audience(workspace=workspace, creator=creator),
    )


def creator_fit(
    *,
    workspace: Workspace,
    creator: Creator,
    brief_text: str,
    categories: Sequence[str] = (),
    language: str = "",
    country: str = "",
    target: AudienceTarget | None = None,
) -> FitResult:
    """The fit of one creator of ``workspace`` to a brief (formula in the module docstring).

    Raises ValueError for an empty or over-long brief, or a creator of another workspace.
    """
    if creator.workspace_id != workspace.pk:
        raise ValueError("This creator is not in the workspace.")
    return score_texts(
        brief_text=clean_brief(brief_text),
        texts=creator_texts(workspace=workspace, creator=creator),
        categories=categories,
        language=language,
        country=country,
        target=target,
    )
