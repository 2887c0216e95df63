"""Explained authenticity score 0-100 from separate signals (pure: no Django, no other app).

score = 100 - sum of the signals' deductions (floored at 0). Each signal shows its value, the
benchmark it is compared with, its deduction and its evidence, and is one of:
ok, warning (small deduction), flag (large deduction, with a reason code), no_data.

| signal          | compares                                | flag when               | max |
|-----------------|-----------------------------------------|-------------------------|-----|
| engagement      | ER / tier benchmark ER                  | < 0.25x or > 3x         | 30  |
| follow_ratio    | followers / following                   | < 0.5 (following >= 1k) | 15  |
| growth          | robust z of daily follower deltas       | any abs(z) > 6          | 25  |
| likes_comments  | comments per 100 likes                  | < 0.1 or > 30           | 10  |
| views_likes     | likes per 100 views                     | < 0.3 or > 40           | 10  |
| comment_quality | share generic, emoji-only, duplicate    | > 75%                   | 15  |
| audience        | estimated share of real followers       | < 75%                   | 25  |

Confidence = signals with data / 7 (high >= 5, medium 3-4, low <= 2). The thresholds are
deliberately wide: a flag should mean "look at this", never "a busy week".
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from infludesk.authenticity.audience import AudienceQuality

SPIKE_Z = 6.0
MIN_DELTAS = 14
MIN_COMMENTS = 10
MIN_LIKES_FOR_LOW_RATE = 3_000
MIN_COMMENTS_FOR_HIGH_RATE = 30
MIN_VIEWS_FOR_LOW_RATE = 10_000
MIN_LIKES_FOR_HIGH_RATE = 100
MAD_TO_SIGMA = 1.4826
"""MAD x 1.4826 estimates the standard deviation of normal data, so z is on the usual scale."""

OK, WARNING, FLAG, NO_DATA = "ok", "warning", "flag", "no_data"

Judgement = tuple[str, float, str | None, str]
"""(status, deduction, reason code, note added to the evidence)."""


@dataclass(frozen=True)
class Signal:
    key: str
    label: str
    status: str
    value: float | None
    value_text: str
    benchmark: str
    deduction: float
    max_deduction: float
    evidence: str
    reason: str | None = None
    """Why it is flagged, as a code: low_engagement, high_engagement, follow_for_follow,
    growth_spike, follower_drop, likes_without_comments, comment_heavy, bought_likes,
    bought_views, low_quality_comments, fake_audience."""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountEvidence:
    """What the score looks at, computed by the caller (see ``creators.metrics``)."""

    platform: str
    followers: int
    following: int | None
    tier: str
    engagement_rate: float | None
    er_benchmark: float | None
    er_basis: str = "followers"
    avg_likes: float | None = None
    avg_comments: float | None = None
    avg_views: float | None = None
    avg_likes_viewed: float | None = None
    """Mean likes of the posts that report views (for likes per view; Instagram images
    have no views, so the all-posts mean would mix two populations)."""
    posts_with_metrics: int = 0
    posts_with_views: int = 0
    daily_deltas: Sequence[tuple[datetime, float]] = ()
    comments: Sequence[str] = ()
    audience: AudienceQuality | None = None


@dataclass(frozen=True)
class AuthenticityResult:
    score: int
    confidence: str
    signals_with_data: int
    signals_total: int
    verdict: str
    """"suspicious" with any flag, "watch" with warnings only, "clean" otherwise."""
    reasons: list[str]
    signals: list[Signal]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _no_data(key: str, label: str, benchmark: str, max_deduction: float, why: str) -> Signal:
    return Signal(key, label, NO_DATA, None, "-", benchmark, 0.0, max_deduction, why)


# --- engagement ----------------------------------------------------------------------------


def _judged(
    key: str,
    label: str,
    judgement: Judgement,
    *,
    value: float,
    text: str,
    benchmark: str,
    cap: float,
    evidence: str,
    details: dict[str, Any] | None = None,
) -> Signal:
    """Build a signal from (status, deduction, reason, note); the note extends the evidence."""
    status, deduction, reason, note = judgement
    return Signal(
        key=key,
        label=label,
        status=status,
        value=value,
        value_text=text,
        benchmark=benchmark,
        deduction=deduction,
        max_deduction=cap,
        evidence=evidence + (f": {note}" if note else ""),
        reason=reason,
        details=details or {},
    )


def engagement_signal(ev: AccountEvidence) -> Signal:
    """ER against the tier benchmark, ratio = ER / benchmark: < 0.25 flags low engagement
    (inactive or bought followers, 30 points), < 0.5 warns (10); > 3 flags high engagement
    (pods or bought likes, 25 points), > 2 warns (8). Honest creators' ER spreads about a
    factor of 2 either side of the typical value, so 4x below or 3x above is rare.
    150,000 followers and 150 likes per post is ER 0.1% against Instagram macro's 1.5%:
    ratio 0.067, flagged."""
    label, cap = "Engagement rate vs tier benchmark", 30.0
    if ev.engagement_rate is None or ev.er_benchmark is None or ev.er_benchmark <= 0:
        why = "no posts with metrics" if ev.engagement_rate is None else "no benchmark for tier"
        return _no_data("engagement", label, "-", cap, why)
    ratio = ev.engagement_rate / ev.er_benchmark
    if ratio < 0.25:
        judgement: Judgement = (
            FLAG,
            cap,
            "low_engagement",
            "far below (inactive or bought followers)",
        )
    elif ratio > 3:
        judgement = (FLAG, 25.0, "high_engagement", "far above (engagement pods or bought likes)")
    elif ratio < 0.5:
        judgement = (WARNING, 10.0, None, "low")
    elif ratio > 2:
        judgement = (WARNING, 8.0, None, "high")
    else:
        judgement = (OK, 0.0, None, "")
    return _judged(
        "engagement",
        label,
        judgement,
        value=ratio,
        text=f"{ev.engagement_rate:.2f}%",
        benchmark=f"{ev.er_benchmark:.2f}% typical for {ev.platform} {ev.tier} "
        f"(ER by {ev.er_basis})",
        cap=cap,
        evidence=f"ER {ev.engagement_rate:.2f}% is {ratio:.2f}x the benchmark "
        f"{ev.er_benchmark:.2f}%",
    )


# --- follower / following ------------------------------------------------------------------


def follow_ratio_signal(ev: AccountEvidence) -> Signal:
    """followers / following: < 0.5 with 1,000+ following flags follow-for-follow growth
    (15 points); < 1 warns (6). Not judged under 1,000 followers (ordinary people follow more
    than follow them) nor where the platform shows no following count (YouTube)."""
    label, cap = "Followers / following", 15.0
    bench = ">= 1: creators are followed more than they follow"
    if ev.following is None or ev.platform == "youtube":
        return _no_data("follow_ratio", label, bench, cap, "platform shows no following count")
    if ev.followers < 1_000:
        return _no_data("follow_ratio", label, bench, cap, "under 1,000 followers: not judged")
    ratio = ev.followers / max(ev.following, 1)
    if ratio < 0.5 and ev.following >= 1_000:
        note = "follows far more accounts than follow it (follow-for-follow)"
        judgement: Judgement = (FLAG, cap, "follow_for_follow", note)
    elif ratio < 1:
        judgement = (WARNING, 6.0, None, "follows more accounts than follow it")
    else:
        judgement = (OK, 0.0, None, "")
    return _judged(
        "follow_ratio",
        label,
        judgement,
        value=ratio,
        text=f"{ratio:.2f}",
        benchmark=bench,
        cap=cap,
        evidence=f"{ev.followers:,} followers, {ev.following:,} following",
    )


# --- growth --------------------------------------------------------------------------------


def robust_z_scores(values: Sequence[float], *, min_scale: float = 1e-12) -> list[float]:
    """z_i = (x_i - median) / max(1.4826 x MAD, min_scale), MAD = median(|x_i - median|).

    Median and MAD ignore the outliers they are hunting (a mean and standard deviation would
    be dragged by the very spike). Deltas 10, 12, 11, 9, 10, 300: median 10.5, MAD 1.0,
    z of 300 = 289.5 / 1.4826 = 195.3. ``min_scale`` keeps a near-constant series from
    turning a tiny wobble into a huge z.
    """
    if not values:
        return []
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    scale = max(MAD_TO_SIGMA * mad, min_scale)
    return [(v - median) / scale for v in values]


def _events(
    deltas: Sequence[tuple[datetime, float]], z: Sequence[float], *, spikes: bool
) -> list[dict[str, Any]]:
    return [
        {"date": t.date().isoformat(), "change": round(d), "z": round(s, 1)}
        for (t, d), s in zip(deltas, z, strict=True)
        if (s > SPIKE_Z if spikes else s < -SPIKE_Z)
    ]


def growth_signal(ev: AccountEvidence) -> Signal:
    """Spikes and sudden drops in daily follower deltas: robust z > 6 is a spike (bought
    followers arrive in bursts; 15 points, +5 per further spike), z < -6 a drop (a purge of
    fake followers; 10 points); 25 at most. The scale is floored at 0.1% of followers per
    day so a very steady account's ordinary day is not an anomaly. Needs 14 deltas. The
    dates are kept in ``details`` for the growth chart."""
    label, cap = "Follower growth anomalies", 25.0
    bench = f"robust z of daily change within +/-{SPIKE_Z:g} (median + MAD)"
    if len(ev.daily_deltas) < MIN_DELTAS:
        why = f"{len(ev.daily_deltas)} daily changes in the snapshots; {MIN_DELTAS} needed"
        return _no_data("growth", label, bench, cap, why)
    deltas = [d for _, d in ev.daily_deltas]
    z = robust_z_scores(deltas, min_scale=max(1.0, 0.001 * ev.followers))
    details: dict[str, Any] = {
        "median_daily_change": statistics.median(deltas),
        "spikes": _events(ev.daily_deltas, z, spikes=True),
        "drops": _events(ev.daily_deltas, z, spikes=False),
    }
    worst = max((abs(s) for s in z), default=0.0)
    spikes, drops = details["spikes"], details["drops"]
    parts = []
    deduction = 0.0
    if spikes:
        deduction += 15.0 + 5.0 * (len(spikes) - 1)
        parts.append(f"{len(spikes)} spike(s) on {', '.join(s['date'] for s in spikes)}")
    if drops:
        deduction += 10.0
        parts.append(f"{len(drops)} sudden drop(s) on {', '.join(d['date'] for d in drops)}")
    if parts:
        reason = "growth_spike" if spikes else "follower_drop"
        judgement: Judgement = (FLAG, min(deduction, cap), reason, "")
        evidence = "; ".join(parts)
    else:
        judgement = (OK, 0.0, None, "")
        evidence = f"{len(deltas)} daily changes, largest |z| {worst:.1f}"
    return _judged(
        "growth",
        label,
        judgement,
        value=worst,
        text=f"{worst:.1f}",
        benchmark=bench,
        cap=cap,
        evidence=evidence,
        details=details,
    )


# --- consistency ---------------------------------------------------------------------------


def _posts(ev: AccountEvidence, with_views: bool = False) -> int:
    n = ev.posts_with_views if with_views and ev.posts_with_views else ev.posts_with_metrics
    return max(n, 1)


def likes_comments_signal(ev: AccountEvidence) -> Signal:
    """Comments per 100 likes = avg comments / avg likes x 100. Typical 0.3-15. Under 0.1
    flags likes without conversation (bought likes); over 30 flags comment-heavy posts
    (comment pods or bought comments); 10 points either way, 4 for a warning.

    Small numbers are not judged: a low rate only when the posts hold 3,000+ likes (at the
    low typical 0.3 per 100 that is 9+ expected comments, so "under 0.1" means 3 or fewer),
    a high rate only with 30+ comments. A nano account with 15 likes and no comment per post
    is ordinary."""
    label, cap = "Comments per 100 likes", 10.0
    bench = "0.3-15 typical"
    if ev.avg_likes is None or ev.avg_comments is None or ev.avg_likes <= 0:
        return _no_data("likes_comments", label, bench, cap, "no posts with likes")
    per100 = ev.avg_comments / ev.avg_likes * 100
    enough_likes = ev.avg_likes * _posts(ev) >= MIN_LIKES_FOR_LOW_RATE
    enough_comments = ev.avg_comments * _posts(ev) >= MIN_COMMENTS_FOR_HIGH_RATE
    judgement: Judgement = (OK, 0.0, None, "")
    if per100 < 0.3 and not enough_likes:
        judgement = (OK, 0.0, None, "too few likes to judge a low rate")
    elif per100 < 0.1:
        judgement = (FLAG, cap, "likes_without_comments", "likes without conversation")
    elif per100 > 15 and not enough_comments:
        judgement = (OK, 0.0, None, "too few comments to judge a high rate")
    elif per100 > 30:
        judgement = (FLAG, cap, "comment_heavy", "far more comments than likes explain")
    elif per100 < 0.3 or per100 > 15:
        judgement = (WARNING, 4.0, None, "outside the typical range")
    return _judged(
        "likes_comments",
        label,
        judgement,
        value=per100,
        text=f"{per100:.2f}",
        benchmark=bench,
        cap=cap,
        evidence=f"{ev.avg_comments:,.1f} comments per {ev.avg_likes:,.1f} likes on average",
    )


def views_likes_signal(ev: AccountEvidence) -> Signal:
    """Likes per 100 views = avg likes / avg views x 100 over the posts that report views.
    Typical 0.8-25. Over 40 flags bought likes (more likes than viewers plausibly give);
    under 0.3 flags bought views; 10 points, 4 for a warning. A low rate is judged only with
    10,000+ views over the posts, a high rate only with 100+ likes."""
    label, cap = "Likes per 100 views", 10.0
    bench = "0.8-25 typical"
    likes = ev.avg_likes_viewed if ev.avg_likes_viewed is not None else ev.avg_likes
    if ev.avg_views is None or ev.avg_views <= 0 or likes is None:
        return _no_data("views_likes", label, bench, cap, "no posts with views")
    per100 = likes / ev.avg_views * 100
    n = _posts(ev, with_views=True)
    judgement: Judgement = (OK, 0.0, None, "")
    if per100 < 0.8 and ev.avg_views * n < MIN_VIEWS_FOR_LOW_RATE:
        judgement = (OK, 0.0, None, "too few views to judge a low rate")
    elif per100 < 0.3:
        judgement = (FLAG, cap, "bought_views", "views without reactions")
    elif per100 > 25 and likes * n < MIN_LIKES_FOR_HIGH_RATE:
        judgement = (OK, 0.0, None, "too few likes to judge a high rate")
    elif per100 > 40:
        judgement = (FLAG, cap, "bought_likes", "more likes than viewers plausibly give")
    elif per100 < 0.8 or per100 > 25:
        judgement = (WARNING, 4.0, None, "outside the typical range")
    return _judged(
        "views_likes",
        label,
        judgement,
        value=per100,
        text=f"{per100:.2f}",
        benchmark=bench,
        cap=cap,
        evidence=f"{likes:,.1f} likes per {ev.avg_views:,.1f} views on average",
    )


# --- comments ------------------------------------------------------------------------------

_GENERIC_VOCABULARY = """nice great good awesome amazing love loved lovely cool wow omg so very
    super beautiful
    gorgeous stunning perfect pic pics photo picture shot post content feed this it is
    that what a the yes yay fire lit goals best ever wonderful incredible cute insane
    really sooo soo keep up bro sis dear"""
GENERIC_WORDS = frozenset(_GENERIC_VOCABULARY.split())
SPAM_PHRASES = ("follow me", "follow back", "check my", "dm me", "dm us", "promote it", "collab?")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _normalised(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def is_emoji_only(text: str) -> bool:
    """True when a comment has no letters or digits but at least one symbol (emoji,
    pictograph): "🔥🔥🔥" and "😍 👏" are, "wow 🔥" and "" are not."""
    stripped = "".join(ch for ch in text if not ch.isspace())
    if not stripped or any(ch.isalnum() for ch in stripped):
        return False
    return any(unicodedata.category(ch).startswith("S") for ch in stripped)


def is_generic(text: str) -> bool:
    """True for short praise that fits any post ("Nice pic!", "so cool 🔥", "love it") or
    follow-for-follow spam ("follow me", "check my page"): at most 4 words, all from the
    generic vocabulary, or a spam phrase anywhere."""
    lowered = text.casefold()
    if any(phrase in lowered for phrase in SPAM_PHRASES):
        return True
    words = _normalised(text).split()
    return 0 < len(words) <= 4 and all(w in GENERIC_WORDS for w in words)


@dataclass(frozen=True)
class CommentQuality:
    total: int
    emoji_only: int
    duplicate: int
    generic: int
    low_quality: int
    """Comments counted once in the first category that fits: emoji-only, duplicate, generic."""

    @property
    def low_quality_share(self) -> float:
        return self.low_quality / self.total if self.total else 0.0


def comment_quality(comments: Sequence[str]) -> CommentQuality:
    """Classify comments: emoji-only, duplicate (same words as an earlier comment, ignoring
    case, punctuation and emoji; the first one is not a duplicate), generic. Comments
    ["Nice pic!", "nice pic", "🔥", "Where is this beach?"] give emoji_only 1, duplicate 1,
    generic 1, low_quality 3 of 4."""
    seen: set[str] = set()
    emoji = duplicate = generic = 0
    for text in comments:
        key = _normalised(text)
        if is_emoji_only(text):
            emoji += 1
        elif key and key in seen:
            duplicate += 1
        elif is_generic(text):
            generic += 1
        if key:
            seen.add(key)
    return CommentQuality(len(comments), emoji, duplicate, generic, emoji + duplicate + generic)


def comment_quality_signal(ev: AccountEvidence) -> Signal:
    """Share of low-quality comments: over 75% flags pods or bots (15 points), over 50% warns
    (6). Real audiences ask questions and answer the content, but real fans also leave plenty
    of emoji and short praise, hence the high lines. Needs 10 comments."""
    label, cap = "Comment quality", 15.0
    bench = "under 50% generic, emoji-only or duplicate"
    if len(ev.comments) < MIN_COMMENTS:
        why = f"{len(ev.comments)} comments stored; {MIN_COMMENTS} needed"
        return _no_data("comment_quality", label, bench, cap, why)
    q = comment_quality(ev.comments)
    share = q.low_quality_share
    if share > 0.75:
        judgement: Judgement = (
            FLAG,
            cap,
            "low_quality_comments",
            "typical of engagement pods or bots",
        )
    elif share > 0.5:
        judgement = (WARNING, 6.0, None, "")
    else:
        judgement = (OK, 0.0, None, "")
    return _judged(
        "comment_quality",
        label,
        judgement,
        value=share,
        text=f"{share:.0%}",
        benchmark=bench,
        cap=cap,
        evidence=f"{q.low_quality} of {q.total} comments low quality ({q.generic} generic, "
        f"{q.emoji_only} emoji-only, {q.duplicate} duplicate)",
        details={
            "total": q.total,
            "emoji_only": q.emoji_only,
            "duplicate": q.duplicate,
            "generic": q.generic,
        },
    )


# --- audience ------------------------------------------------------------------------------


def audience_signal(ev: AccountEvidence) -> Signal:
    """Estimated share of real followers from a follower sample: under 75% is a strong
    warning (flag, 25 points), under 85% a warning (8)."""
    label, cap = "Audience quality (real followers)", 25.0
    bench = "75% real or more"
    a = ev.audience
    if a is None:
        return _no_data("audience", label, bench, cap, "no follower sample")
    low, high = a.ci95
    evidence = (
        f"{a.real_share:.1%} real (95% CI {low:.1%}-{high:.1%}) in a sample of {a.sample_size}"
    )
    if a.small_sample:
        evidence += " (small sample)"
    if a.level == "strong_warning":
        judgement: Judgement = (FLAG, cap, "fake_audience", "")
    elif a.level == "warning":
        judgement = (WARNING, 8.0, None, "")
    else:
        judgement = (OK, 0.0, None, "")
    return _judged(
        "audience",
        label,
        judgement,
        value=a.real_share,
        text=f"{a.real_share:.0%}",
        benchmark=bench,
        cap=cap,
        evidence=evidence,
        details=a.to_dict(),
    )


# --- the score -----------------------------------------------------------------------------

SIGNALS = (
    engagement_signal,
    follow_ratio_signal,
    growth_signal,
    likes_comments_signal,
    views_likes_signal,
    comment_quality_signal,
    audience_signal,
)


def authenticity_score(ev: AccountEvidence) -> AuthenticityResult:
    """score = round(100 - min(100, sum of deductions)); confidence from how many of the 7
    signals had data (high >= 5, medium 3-4, low <= 2)."""
    signals = [evaluate(ev) for evaluate in SIGNALS]
    deductions = sum(s.deduction for s in signals)
    with_data = sum(1 for s in signals if s.status != NO_DATA)
    if with_data >= 5:
        confidence = "high"
    elif with_data >= 3:
        confidence = "medium"
    else:
        confidence = "low"
    reasons = [s.reason for s in signals if s.status == FLAG and s.reason]
    if reasons:
        verdict = "suspicious"
    elif any(s.status == WARNING for s in signals):
        verdict = "watch"
    else:
        verdict = "clean"
    return AuthenticityResult(
        score=round(100 - min(100.0, deductions)),
        confidence=confidence,
        signals_with_data=with_data,
        signals_total=len(signals),
        verdict=verdict,
        reasons=reasons,
        signals=signals,
    )
