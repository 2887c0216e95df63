"""Creators, their social accounts, snapshots over time, posts, comments and shortlists."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from infludesk.core.models import Member, WorkspaceScoped, money_field


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", "Other"


class Tier(models.TextChoices):
    """Size tiers by followers: nano 1k-10k, micro 10k-100k, macro 100k-1M, mega 1M+."""

    BELOW_NANO = "below_nano", "Under 1k"
    NANO = "nano", "Nano (1k-10k)"
    MICRO = "micro", "Micro (10k-100k)"
    MACRO = "macro", "Macro (100k-1M)"
    MEGA = "mega", "Mega (1M+)"


def tier_for(followers: int) -> str:
    """The tier of an account with this many followers (lower bounds inclusive)."""
    if followers >= 1_000_000:
        return Tier.MEGA
    if followers >= 100_000:
        return Tier.MACRO
    if followers >= 10_000:
        return Tier.MICRO
    if followers >= 1_000:
        return Tier.NANO
    return Tier.BELOW_NANO


class Creator(WorkspaceScoped):
    """A person (or brand) who makes content; has one or more social accounts."""

    name = models.CharField(max_length=200)
    first_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1")
    categories = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    do_not_contact = models.BooleanField(default=False)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["workspace", "name"], name="creator_ws_name")]

    def __str__(self) -> str:
        return self.name


class SocialAccount(WorkspaceScoped):
    """A creator's account on one platform. The stats columns hold the latest known values;
    history lives in AccountSnapshot."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=12, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    external_id = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=500, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    followers = models.BigIntegerField(default=0)
    following = models.BigIntegerField(default=0)
    posts_count = models.BigIntegerField(default=0)
    bio = models.TextField(blank=True)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=8, blank=True)
    categories = models.JSONField(default=list, blank=True)
    verified = models.BooleanField(default=False)
    has_profile_pic = models.BooleanField(default=True)
    is_private = models.BooleanField(default=False)
    # Derived, stored so search can filter and sort on indexes.
    tier = models.CharField(max_length=12, choices=Tier.choices, default=Tier.BELOW_NANO)
    engagement_rate = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    avg_likes = models.FloatField(null=True, blank=True)
    avg_comments = models.FloatField(null=True, blank=True)
    avg_views = models.FloatField(null=True, blank=True)
    growth_30d_pct = models.FloatField(null=True, blank=True)
    authenticity_score = models.PositiveSmallIntegerField(null=True, blank=True)
    # The signals behind the score (value, benchmark, deduction, evidence), as scored.
    authenticity_explanation = models.JSONField(default=dict, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    # The newest captions (one per line), kept by creators.search_texts: full-text search
    # (with handle and bio) and the fit-to-a-brief embeddings read them from here.
    recent_captions = models.TextField(blank=True, default="")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "handle"], name="account_handle_unique"
            ),
            models.CheckConstraint(
                condition=Q(followers__gte=0) & Q(following__gte=0) & Q(posts_count__gte=0),
                name="account_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(authenticity_score__isnull=True) | Q(authenticity_score__lte=100),
                name="account_authenticity_0_100",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "platform", "tier"], name="acct_ws_plat_tier"),
            models.Index(fields=["workspace", "followers"], name="acct_ws_followers"),
            models.Index(fields=["workspace", "engagement_rate"], name="acct_ws_er"),
            models.Index(fields=["workspace", "country"], name="acct_ws_country"),
            models.Index(fields=["workspace", "authenticity_score"], name="acct_ws_auth"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.platform})"


class AccountEmbedding(WorkspaceScoped):
    """The MiniLM embeddings of an account's bio and recent captions, for "fit to a brief" in
    search (creators.search_fit). ``vectors`` holds float16 rows of 384: the bio first when
    ``has_bio``, then ``caption_count`` captions in the order of ``recent_captions``.
    ``text_hash`` is the SHA-256 of the embedded texts, so unchanged texts are not re-embedded."""

    account = models.OneToOneField(
        SocialAccount, on_delete=models.CASCADE, related_name="embedding"
    )
    text_hash = models.CharField(max_length=64)
    has_bio = models.BooleanField(default=False)
    caption_count = models.PositiveSmallIntegerField(default=0)
    vectors = models.BinaryField()

    def __str__(self) -> str:
        return f"embedding of account {self.account_id}"


class AccountSnapshot(WorkspaceScoped):
    """An account's counts at one moment, so growth is history, not a guess."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField()
    followers = models.BigIntegerField()
    following = models.BigIntegerField(default=0)
    posts_count = models.BigIntegerField(default=0)
    avg_likes = models.FloatField(null=True, blank=True)
    avg_comments = models.FloatField(null=True, blank=True)
    avg_views = models.FloatField(null=True, blank=True)
    engagement_rate = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    source = models.CharField(max_length=20, default="import")
    # Owner-only figures from a connected account (Instagram insights: reach, impressions,
    # audience demographics), as fetched at taken_at; empty for public-only syncs.
    insights = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["account", "taken_at"], name="snapshot_unique_time"),
            models.CheckConstraint(
                condition=Q(followers__gte=0) & Q(following__gte=0) & Q(posts_count__gte=0),
                name="snapshot_counts_not_negative",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "account", "taken_at"], name="snap_ws_acct_time")
        ]
        ordering: ClassVar = ["taken_at"]

    def __str__(self) -> str:
        return f"{self.account} at {self.taken_at:%Y-%m-%d}: {self.followers}"


class Post(WorkspaceScoped):
    """A piece of content published by an account, with its latest metrics."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="posts")
    platform_post_id = models.CharField(max_length=100)
    url = models.URLField(max_length=500, blank=True)
    media_type = models.CharField(max_length=20, blank=True)
    posted_at = models.DateTimeField()
    caption = models.TextField(blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    mentions = models.JSONField(default=list, blank=True)
    likes = models.BigIntegerField(default=0)
    comments = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    saves = models.BigIntegerField(default=0)
    views = models.BigIntegerField(null=True, blank=True)
    reach = models.BigIntegerField(null=True, blank=True)
    impressions = models.BigIntegerField(null=True, blank=True)
    is_sponsored = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["account", "platform_post_id"], name="post_unique_per_account"
            ),
            models.CheckConstraint(
                condition=Q(likes__gte=0)
                & Q(comments__gte=0)
                & Q(shares__gte=0)
                & Q(saves__gte=0)
                & (Q(views__isnull=True) | Q(views__gte=0))
                & (Q(reach__isnull=True) | Q(reach__gte=0))
                & (Q(impressions__isnull=True) | Q(impressions__gte=0)),
                name="post_metrics_not_negative",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "account", "-posted_at"], name="post_ws_acct_time")
        ]

    def __str__(self) -> str:
        return f"{self.account} post {self.platform_post_id}"


class PostComment(WorkspaceScoped):
    """A comment on a post (for comment-quality and sentiment signals)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comment_rows")
    external_id = models.CharField(max_length=100)
    author_handle = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    posted_at = models.DateTimeField(null=True, blank=True)
    likes = models.BigIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "external_id"], name="comment_unique_per_post")
        ]

    def __str__(self) -> str:
        return f"comment {self.external_id} on {self.post_id}"


class FollowerSample(WorkspaceScoped):
    """One follower of an account, from a sample taken to estimate audience quality."""

    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, related_name="follower_sample"
    )
    handle = models.CharField(max_length=100)
    followers = models.BigIntegerField(default=0)
    following = models.BigIntegerField(default=0)
    posts = models.BigIntegerField(default=0)
    has_profile_pic = models.BooleanField(default=True)
    is_private = models.BooleanField(default=False)
    bio_length = models.IntegerField(null=True, blank=True)
    fake_probability = models.FloatField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["account", "handle"], name="follower_unique_per_acct")
        ]

    def __str__(self) -> str:
        return f"{self.handle} follows {self.account_id}"


class Shortlist(WorkspaceScoped):
    """A named list of creators, shared in the workspace."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    creators: models.ManyToManyField[Creator, ShortlistEntry] = models.ManyToManyField(
        Creator, through="ShortlistEntry", related_name="shortlists"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "name"], name="shortlist_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ShortlistEntry(WorkspaceScoped):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shortlist", "creator"], name="shortlist_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.creator_id} in {self.shortlist_id}"


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"


class SocialCredential(WorkspaceScoped):
    """An API token of one workspace for one platform, used by the connectors.

    ``account`` empty: the workspace's own app/business token (Instagram business discovery,
    YouTube API key, TikTok). ``account`` set: a creator's own connected account (Instagram
    insights). ``external_user_id`` is the Instagram user id the Graph API calls go through.
    Pasted by a manager (``connect-social``), or stored by the creator's own Instagram Login
    (``creators.social_connect``; ``api_url`` is then the Instagram Login host), or by the
    creator's own TikTok Login Kit sign-in (``refresh_token`` / ``refresh_expires_at`` set).
    """

    platform = models.CharField(max_length=12, choices=Platform.choices)
    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="credentials"
    )
    token = models.CharField(max_length=1000)
    external_user_id = models.CharField(max_length=100, blank=True)
    api_url = models.URLField(max_length=500, blank=True, help_text="empty: the platform's")
    expires_at = models.DateTimeField(null=True, blank=True)
    refresh_token = models.CharField(
        max_length=1000, blank=True, help_text="TikTok Login Kit: renews the access token"
    )
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    last_error = models.TextField(blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["workspace", "platform", "status"], name="cred_ws_plat_status")
        ]

    def __str__(self) -> str:
        return f"{self.platform} credential #{self.pk}"


class ImportJob(WorkspaceScoped):
    """One uploaded file of creators, posts or comments, its column mapping and its progress.

    The file is kept in the row (``data``) so the worker reads it from the database like any
    other workspace data; ``errors`` holds each bad row with its line, values and problems.
    """

    class Kind(models.TextChoices):
        CREATORS = "creators", "Creators and accounts"
        POSTS = "posts", "Posts"
        COMMENTS = "comments", "Comments"

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for the column mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CREATORS)
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["workspace", "-created_at"], name="import_ws_time")
        ]

    def __str__(self) -> str:
        return f"import #{self.pk} of {self.filename}"


class SavedSearch(WorkspaceScoped):
    """A named creator search (its filters and sort, as the search API takes them), shared in
    the workspace."""

    name = models.CharField(max_length=120)
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "name"], name="saved_search_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CostFormat(models.TextChoices):
    """Deliverable formats a creator is paid for (see ``creators.costs`` for the multipliers)."""

    POST = "post", "Feed post"
    STORY = "story", "Story"
    REEL = "reel", "Reel"
    VIDEO = "video", "Video"
    SHORT = "short", "Short"


class CostBenchmark(WorkspaceScoped):
    """The workspace's own price range for one tier and deliverable format, overriding the
    defaults in ``creators.costs`` (one row per tier and format)."""

    tier = models.CharField(max_length=12, choices=Tier.choices)
    format = models.CharField(max_length=8, choices=CostFormat.choices)
    low = money_field()
    high = money_field()
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["workspace", "tier", "format"], name="cost_benchmark_unique"
            ),
            models.CheckConstraint(
                condition=Q(low__gte=0) & Q(high__gte=models.F("low")),
                name="cost_benchmark_low_le_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier} {self.format}: {self.low}-{self.high} {self.currency}"


class ErBenchmark(WorkspaceScoped):
    """The workspace's own typical ER (percent) for one platform and tier, with where the
    figure comes from; overrides the deployment's benchmarks file (``creators.er_benchmarks``)."""

    platform = models.CharField(max_length=12, choices=Platform.choices)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    rate = models.DecimalField(max_digits=7, decimal_places=3)
    source = models.TextField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "tier"], name="er_benchmark_unique"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="er_benchmark_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.tier}: {self.rate}%"
