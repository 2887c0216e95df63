"""Campaigns, goals, waves, deals (campaign x creator pipeline), deliverables, shipments,
payments."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import ClassVar

from django.db import models
from django.db.models import F, Q

from infludesk.core.models import CURRENCY_MAX, Member, WorkspaceScoped, money_field
from infludesk.creators.models import Creator, Platform, Post, SocialAccount


class Objective(models.TextChoices):
    AWARENESS = "awareness", "Awareness"
    ENGAGEMENT = "engagement", "Engagement"
    CONVERSIONS = "conversions", "Conversions"
    INSIGHT = "insight", "Insight"


class CampaignType(models.TextChoices):
    SPONSORED = "sponsored", "Sponsored content"
    SEEDING = "seeding", "Product seeding"
    AMBASSADOR = "ambassador", "Ambassador programme"
    AFFILIATE = "affiliate", "Affiliate / referral"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(WorkspaceScoped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    product = models.CharField(max_length=200, blank=True)
    objective = models.CharField(max_length=12, choices=Objective.choices)
    type = models.CharField(max_length=12, choices=CampaignType.choices)
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    budget = money_field(default=0)
    currency = models.CharField(max_length=CURRENCY_MAX, default="USD")
    audience_notes = models.TextField(blank=True)
    channels = models.JSONField(default=list, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="campaign_slug_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "status"], name="campaign_ws_status"),
            models.Index(fields=["workspace", "-starts_on"], name="campaign_ws_starts"),
        ]

    def __str__(self) -> str:
        return self.name


class Wave(WorkspaceScoped):
    """A short run of a campaign with its own dates and budget."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    budget = money_field(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "number"], name="wave_number_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="wave_budget_not_negative"),
        ]
        ordering: ClassVar = ["number"]

    def __str__(self) -> str:
        return self.name or f"Wave {self.number}"


class Stage(models.TextChoices):
    """The deal pipeline, in order; declined and cancelled end it from any stage."""

    PROSPECT = "prospect", "Prospect"
    CONTACTED = "contacted", "Contacted"
    NEGOTIATING = "negotiating", "Negotiating"
    CONTRACTED = "contracted", "Contracted"
    SHIPPED = "shipped", "Product shipped"
    IN_REVIEW = "in_review", "Content in review"
    APPROVED = "approved", "Approved"
    LIVE = "live", "Live"
    PAID = "paid", "Paid"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


PIPELINE = [
    Stage.PROSPECT,
    Stage.CONTACTED,
    Stage.NEGOTIATING,
    Stage.CONTRACTED,
    Stage.SHIPPED,
    Stage.IN_REVIEW,
    Stage.APPROVED,
    Stage.LIVE,
    Stage.PAID,
]


class Deal(WorkspaceScoped):
    """A creator's part in a campaign: stage, agreed fee and per-creator goals."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deals")
    wave = models.ForeignKey(
        Wave, on_delete=models.SET_NULL, null=True, blank=True, related_name="deals"
    )
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="deals")
    account = models.ForeignKey(
        SocialAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="deals"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.PROSPECT)
    fee_cash = money_field(default=0)
    product_value = money_field(default=0)
    commission_pct = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    currency = models.CharField(max_length=CURRENCY_MAX, default="USD")
    notes = models.TextField(blank=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            # one deal per creator per wave (or per campaign for deals outside waves)
            models.UniqueConstraint(
                fields=["campaign", "creator"],
                condition=Q(wave__isnull=True),
                name="deal_unique_creator",
            ),
            models.UniqueConstraint(
                fields=["wave", "creator"],
                condition=Q(wave__isnull=False),
                name="deal_unique_creator_per_wave",
            ),
            models.CheckConstraint(
                condition=Q(fee_cash__gte=0) & Q(product_value__gte=0),
                name="deal_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(commission_pct__gte=0) & Q(commission_pct__lte=100),
                name="deal_commission_0_100",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="deal_stage_valid"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "campaign", "stage"], name="deal_ws_campaign_stage")
        ]

    def __str__(self) -> str:
        return f"{self.creator} in {self.campaign}"


class Goal(WorkspaceScoped):
    """A SMART goal: a metric from the KPI catalogue, a target, a baseline and a deadline.
    With a deal it is a per-creator goal."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, null=True, blank=True, related_name="goals"
    )
    metric = models.CharField(max_length=40)
    target = models.DecimalField(max_digits=18, decimal_places=4)
    baseline = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    deadline = models.DateField()

    def __str__(self) -> str:
        return f"{self.metric} >= {self.target} by {self.deadline}"


class DeliverableFormat(models.TextChoices):
    POST = "post", "Post"
    STORY = "story", "Story"
    REEL = "reel", "Reel"
    VIDEO = "video", "Video"
    SHORT = "short", "Short"


class Deliverable(WorkspaceScoped):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="deliverables")
    platform = models.CharField(max_length=12, choices=Platform.choices)
    format = models.CharField(max_length=8, choices=DeliverableFormat.choices)
    count = models.PositiveSmallIntegerField(default=1)
    due_on = models.DateField(null=True, blank=True)
    usage_rights = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, default="planned")
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliverables"
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(count__gte=1), name="deliverable_count_positive")
        ]

    def __str__(self) -> str:
        return f"{self.count} x {self.format} on {self.platform}"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    RETURNED = "returned", "Returned"


class Shipment(WorkspaceScoped):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="shipments")
    product = models.CharField(max_length=200)
    variant = models.CharField(max_length=120, blank=True)
    value = money_field(default=0)
    address = models.TextField(blank=True)
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    shipped_on = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(value__gte=0), name="shipment_value_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.product} to deal {self.deal_id}"


class PaymentStatus(models.TextChoices):
    DUE = "due", "Due"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class Payment(WorkspaceScoped):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="payments")
    amount = money_field()
    currency = models.CharField(max_length=CURRENCY_MAX, default="USD")
    due_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=40, blank=True)
    invoice_ref = models.CharField(max_length=80, blank=True)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.DUE
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} for deal {self.deal_id}"


class Relationship(models.TextChoices):
    """The material connection a disclosure must make clear."""

    PAID = "paid", "Paid"
    GIFTED = "gifted", "Gifted product"
    AFFILIATE = "affiliate", "Affiliate commission"
    AMBASSADOR = "ambassador", "Ambassador"


class Brief(WorkspaceScoped):
    """What a campaign's creators are asked to make, sent with each deal."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="brief")
    key_messages = models.TextField(blank=True)
    dos = models.TextField(blank=True)
    donts = models.TextField(blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    mentions = models.JSONField(default=list, blank=True)
    links = models.TextField(blank=True)
    relationship = models.CharField(
        max_length=10, choices=Relationship.choices, default=Relationship.PAID
    )
    disclosure_rules = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Brief for {self.campaign}"


class DraftStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    CHANGES = "changes", "Changes requested"
    APPROVED = "approved", "Approved"


class ContentDraft(WorkspaceScoped):
    """One version of a creator's draft for a deal, with its review and disclosure check."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="drafts")
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts"
    )
    version = models.PositiveSmallIntegerField()
    caption = models.TextField()
    media_url = models.URLField(max_length=1000, blank=True)
    # the uploaded media; RESTRICT keeps a version's file while the draft exists, yet lets a
    # deal's deletion take both
    media_file = models.ForeignKey(
        "DealFile", on_delete=models.RESTRICT, null=True, blank=True, related_name="drafts"
    )
    submitted_via = models.CharField(max_length=10, default="manager")
    status = models.CharField(
        max_length=10, choices=DraftStatus.choices, default=DraftStatus.SUBMITTED
    )
    disclosure = models.JSONField(default=dict, blank=True)
    review_comment = models.TextField(blank=True)
    override_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["deal", "version"], name="draft_version_unique")
        ]
        ordering: ClassVar = ["deal", "version"]

    def __str__(self) -> str:
        return f"Draft v{self.version} for deal {self.deal_id}"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    SIGNED = "signed", "Signed"


class Contract(WorkspaceScoped):
    """A deal's contract, rendered from the deal's terms; the text is frozen when sent."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="contract")
    status = models.CharField(
        max_length=8, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    usage_rights = models.CharField(max_length=300, blank=True)
    exclusivity = models.CharField(max_length=300, blank=True)
    extra_terms = models.TextField(blank=True)
    body = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Contract for deal {self.deal_id}"


class DealPost(WorkspaceScoped):
    """A live post published for a deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="live_posts")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deal_links")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["deal", "post"], name="deal_post_unique")
        ]

    def __str__(self) -> str:
        return f"{self.post} for deal {self.deal_id}"


class PostMetricSnapshot(WorkspaceScoped):
    """A live post's metrics at one moment (from a connector, typed in or imported)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="metric_snapshots")
    taken_at = models.DateTimeField()
    likes = models.BigIntegerField(default=0)
    comments = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    saves = models.BigIntegerField(default=0)
    views = models.BigIntegerField(null=True, blank=True)
    reach = models.BigIntegerField(null=True, blank=True)
    impressions = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=12, default="manual")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "taken_at"], name="post_snapshot_unique"),
            models.CheckConstraint(
                condition=Q(likes__gte=0)
                & Q(comments__gte=0)
                & Q(shares__gte=0)
                & Q(saves__gte=0)
                & (Q(views__isnull=True) | Q(views__gte=0))
                & (Q(reach__isnull=True) | Q(reach__gte=0))
                & (Q(impressions__isnull=True) | Q(impressions__gte=0)),
                name="post_snapshot_not_negative",
            ),
        ]
        ordering: ClassVar = ["taken_at"]

    def __str__(self) -> str:
        return f"{self.post} at {self.taken_at:%Y-%m-%d %H:%M}"


def deal_file_path(instance: DealFile, filename: str) -> str:
    """Where an upload is stored under MEDIA_ROOT: per workspace and deal, under a random name
    (the original name is kept in the row, never trusted as a path)."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"deal-files/{instance.workspace_id}/{instance.deal_id}/{uuid.uuid4().hex}{suffix}"


class DealFile(WorkspaceScoped):
    """A file on a deal (contract scan, invoice, brief attachment, or a draft's media), stored
    under MEDIA_ROOT and served only through the authenticated, workspace-scoped view."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=deal_file_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "creator" when it came in through the creator's signed draft link
    uploaded_via = models.CharField(max_length=10, default="manager")

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "deal", "-created_at"], name="dealfile_ws_deal")
        ]

    def __str__(self) -> str:
        return self.original_name


class SurveyResponse(WorkspaceScoped):
    """One answer to one survey question for a campaign (insight objective), typed in or
    imported by CSV; the same respondent and question again updates the answer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="survey_answers")
    deal = models.ForeignKey(
        Deal, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_answers"
    )
    creator = models.ForeignKey(
        Creator, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_answers"
    )
    question = models.CharField(max_length=300)
    answer = models.TextField(blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    respondent_ref = models.CharField(max_length=120, blank=True)
    answered_at = models.DateTimeField()
    source = models.CharField(max_length=8, default="form")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["campaign", "respondent_ref", "question"],
                condition=~Q(respondent_ref=""),
                name="survey_answer_unique_per_respondent",
            ),
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["workspace", "campaign", "-answered_at"], name="survey_ws_campaign"
            )
        ]
        ordering: ClassVar = ["-answered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.question[:60]}: {self.answer[:60] or self.score}"
