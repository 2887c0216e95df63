"""Live posts: linking a published post to its deal (by URL or platform post id), recording
its metrics over time, and importing metrics from CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from infludesk.campaigns.content import disclosure_for
from infludesk.campaigns.models import Deal, DealPost, PostMetricSnapshot
from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import Platform, Post, SocialAccount

METRICS = ("likes", "comments", "shares", "saves", "views", "reach", "impressions")
_HOSTS = {
    "instagram.com": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
}


def parse_post_url(url: str) -> tuple[str, str]:
    """(platform, platform post id) from a post's public URL.

    instagram.com/p/<code>/ or /reel/<code>/; tiktok.com/@user/video/<id>;
    youtube.com/watch?v=<id>, youtube.com/shorts/<id>, youtu.be/<id>.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    platform = _HOSTS.get(host)
    if platform is None:
        raise ValidationError({"url": [f"{url!r} is not an Instagram, TikTok or YouTube post."]})
    post_id = ""
    if platform == Platform.YOUTUBE and parse_qs(parts.query).get("v"):
        post_id = parse_qs(parts.query)["v"][0]
    else:
        pattern = {
            Platform.INSTAGRAM: r"^/(?:p|reel|tv)/([\w-]+)",
            Platform.TIKTOK: r"/video/(\d+)",
            Platform.YOUTUBE: r"^/(?:shorts/|embed/)?([\w-]{6,})/?$",
        }[platform]
        match = re.search(pattern, parts.path)
        post_id = match.group(1) if match else ""
    if not post_id:
        raise ValidationError({"url": [f"No post id found in {url!r}."]})
    return platform, post_id


@dataclass(frozen=True)
class LinkedPost:
    post: Post
    disclosure: dict[str, Any]


@transaction.atomic
def live_post_link(
    *,
    deal: Deal,
    by: Member | None,
    url: str = "",
    platform: str = "",
    platform_post_id: str = "",
    posted_at: dt.datetime | None = None,
    caption: str = "",
) -> LinkedPost:
    """Link a live post to its deal and check its caption for disclosure."""
    if url:
        platform, platform_post_id = parse_post_url(url)
    if not platform_post_id or platform not in Platform.values:
        raise ValidationError({"url": ["Give the post's URL, or its platform and post id."]})
    account = _account_for(deal, platform)
    post, created = Post.objects.get_or_create(
        account=account,
        platform_post_id=platform_post_id,
        defaults={
            "workspace": deal.workspace,
            "url": url,
            "posted_at": posted_at or timezone.now(),
            "caption": caption,
            "is_sponsored": True,
        },
    )
    if not created and caption and caption != post.caption:
        post.caption = caption
        post.save(update_fields=["caption", "updated_at"])
    DealPost.objects.get_or_create(deal=deal, post=post, defaults={"workspace": deal.workspace})
    audit_record(
        workspace=deal.workspace,
        actor=by,
        action="deal.post_linked",
        target=post,
        changes={"deal": [None, deal.pk]},
    )
    return LinkedPost(post=post, disclosure=disclosure_for(deal, post.caption))


def _account_for(deal: Deal, platform: str) -> SocialAccount:
    if deal.account is not None and deal.account.platform == platform:
        return deal.account
    account = (
        SocialAccount.objects.filter(
            workspace=deal.workspace, creator=deal.creator, platform=platform
        )
        .order_by("pk")
        .first()
    )
    if account is None:
        raise ValidationError(
            {"url": [f"{deal.creator.name} has no {platform} account in Infludesk; add it first."]}
        )
    return account


def post_metrics_record(
    *,
    post: Post,
    taken_at: dt.datetime,
    source: str = "manual",
    by: Member | None = None,
    audit: bool = True,
    **metrics: int | None,
) -> tuple[PostMetricSnapshot, bool]:
    """Store a metrics snapshot (the same post and moment again updates it rather than adding
    one) and keep the post's latest numbers; audited unless `audit` is off (the CSV import
    writes one entry for the whole file). Returns (snapshot, created)."""
    bad = {
        k: ["Must be a whole number, 0 or more."]
        for k, v in metrics.items()
        if k not in METRICS or (v is not None and (not isinstance(v, int) or v < 0))
    }
    if bad:
        raise ValidationError(bad)
    with transaction.atomic():
        snapshot, created = PostMetricSnapshot.objects.update_or_create(
            post=post,
            taken_at=taken_at,
            defaults={"workspace_id": post.workspace_id, "source": source, **metrics},
        )
        latest = PostMetricSnapshot.objects.filter(post=post).order_by("-taken_at").first()
        if latest is not None and latest.pk == snapshot.pk:
            for name, value in metrics.items():
                if value is not None:
                    setattr(post, name, value)
            post.save()
        if audit:
            audit_record(
                workspace=post.workspace,
                actor=by,
                action="post.metrics_recorded",
                target=post,
                changes={
                    "taken_at": [None, taken_at.isoformat()],
                    **{k: [None, v] for k, v in metrics.items()},
                },
            )
    return snapshot, created


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def post_metrics_import_csv(
    *, workspace: Workspace, text: str, by: Member | None = None, deal: Deal | None = None
) -> ImportResult:
    """Columns: post_url or platform_post_id, taken_at (ISO 8601), then any of likes, comments,
    shares, saves, views, reach, impressions. Bad rows are reported by line and field; good rows
    land; importing the same file again changes nothing. With `deal`, only that deal's live
    posts are found (the deal page's import)."""
    result = ImportResult()
    last: PostMetricSnapshot | None = None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "taken_at" not in header or not ({"post_url", "platform_post_id"} & set(header)):
        result.errors.append((1, "header", "needs taken_at and post_url or platform_post_id"))
        return result
    for row in reader:
        line = reader.line_num
        try:
            post = _find_post(workspace, row, deal)
            taken_at = _parse_when(row.get("taken_at", ""))
            metrics: dict[str, Any] = {
                m: _parse_count(row[m], m) for m in METRICS if row.get(m, "") != ""
            }
            snapshot, created = post_metrics_record(
                post=post, taken_at=taken_at, source="csv", audit=False, **metrics
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                result.errors.append((line, name, "; ".join(messages)))
            continue
        if created:
            result.created += 1
        else:
            result.updated += 1
        last = snapshot
    if last is not None:
        audit_record(
            workspace=workspace,
            actor=by,
            action="post.metrics_imported",
            target=last,
            changes={"created": [None, result.created], "updated": [None, result.updated]},
        )
    return result


def _find_post(workspace: Workspace, row: dict[str, str], deal: Deal | None = None) -> Post:
    posts = Post.objects.filter(workspace=workspace, deal_links__isnull=False)
    if deal is not None:
        posts = posts.filter(deal_links__deal=deal)
    if row.get("post_url"):
        platform, post_id = parse_post_url(row["post_url"])
        posts = posts.filter(account__platform=platform, platform_post_id=post_id)
        column = "post_url"
    else:
        posts = posts.filter(platform_post_id=row.get("platform_post_id", ""))
        column = "platform_post_id"
    post = posts.distinct().first()
    if post is None:
        owner = "deal" if deal is not None else "workspace"
        raise ValidationError(
            {column: [f"No live post of this {owner} has this id; link it first."]}
        )
    return post


def _parse_when(value: str) -> dt.datetime:
    parsed = parse_datetime(value.strip()) if value else None
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value.strip()), dt.time())
        except ValueError:
            raise ValidationError(
                {"taken_at": [f"{value!r} is not an ISO 8601 date/time."]}
            ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


def _parse_count(value: str, name: str) -> int:
    try:
        number = int(value.strip().replace(",", ""))
    except ValueError:
        raise ValidationError({name: [f"{value!r} is not a whole number."]}) from None
    if number < 0:
        raise ValidationError({name: ["Must not be negative."]})
    return number


def live_posts_snapshot(*, workspace: Workspace) -> int:
    """Record a "connector" snapshot for every live post of the workspace whose Post row changed
    (a sync updated it) since its latest snapshot: the post's counts, taken at its updated_at.
    A post whose counts equal its latest snapshot's is skipped (e.g. only its caption changed).
    One snapshot per post per run; running again records nothing new. Returns how many."""
    latest = PostMetricSnapshot.objects.filter(post=OuterRef("pk")).order_by("-taken_at")
    candidates = (
        Post.objects.filter(workspace=workspace, deal_links__isnull=False)
        .distinct()
        .annotate(last_taken=Subquery(latest.values("taken_at")[:1]))
        .filter(Q(last_taken__isnull=True) | Q(updated_at__gt=F("last_taken")))
        .order_by("pk")
    )
    recorded = 0
    for post in candidates:
        counts = {m: getattr(post, m) for m in METRICS}
        previous = PostMetricSnapshot.objects.filter(post=post).order_by("-taken_at").first()
        if previous is not None and all(getattr(previous, m) == v for m, v in counts.items()):
            continue
        with transaction.atomic():
            snapshot, created = PostMetricSnapshot.objects.get_or_create(
                post=post,
                taken_at=post.updated_at,
                defaults={"workspace": workspace, "source": "connector", **counts},
            )
            if not created:
                continue
            audit_record(
                workspace=workspace,
                actor=None,
                action="post.metrics_recorded",
                target=post,
                changes={
                    "taken_at": [None, snapshot.taken_at.isoformat()],
                    "source": [None, "connector"],
                    **{k: [None, v] for k, v in counts.items()},
                },
            )
        recorded += 1
    return recorded
