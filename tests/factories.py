"""factory-boy factories for every model. Pass workspace=... to keep rows in one tenant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from infludesk.campaigns import models as cm
from infludesk.core import models as core
from infludesk.creators import models as crm
from infludesk.tracking import models as tm

PASSWORD = "correct-horse-battery-staple"


class SameWorkspace(factory.django.DjangoModelFactory):
    """Keeps a row and the parents it points to in one workspace: `XFactory(workspace=w)`
    moves the parents it made itself (creator, campaign, account, link, deal) into `w`, so
    tests never build cross-tenant rows by accident."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        workspace = kwargs.get("workspace")
        for name in ("creator", "campaign", "account", "link", "deal"):
            parent = kwargs.get(name)
            if workspace is None or parent is None or parent.workspace_id == workspace.pk:
                continue
            parent.workspace = workspace
            parent.save(update_fields=["workspace"])
            if name == "deal":
                for grand in (parent.campaign, parent.creator):
                    if grand.workspace_id != workspace.pk:
                        grand.workspace = workspace
                        grand.save(update_fields=["workspace"])
            if name == "account" and parent.creator.workspace_id != workspace.pk:
                parent.creator.workspace = workspace
                parent.creator.save(update_fields=["workspace"])
            if name == "link" and parent.creator.workspace_id != workspace.pk:
                parent.creator.workspace = workspace
                parent.creator.save(update_fields=["workspace"])
        return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.Workspace

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    currency = "USD"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = core.Member

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = core.Role.OWNER


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = crm.Creator

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Creator {n}")
    first_name = factory.LazyAttribute(lambda o: o.name.split()[0])
    email = factory.Sequence(lambda n: f"creator{n}@example.com")
    country = "US"
    language = "en"


class SocialAccountFactory(SameWorkspace):
    class Meta:
        model = crm.SocialAccount

    workspace = factory.LazyAttribute(lambda o: o.creator.workspace)
    creator = factory.SubFactory(CreatorFactory)
    platform = crm.Platform.INSTAGRAM
    handle = factory.Sequence(lambda n: f"handle{n}")
    followers = 25_000
    following = 400
    posts_count = 300
    tier = factory.LazyAttribute(lambda o: crm.tier_for(o.followers))
    engagement_rate = Decimal("2.5000")
    country = "US"
    language = "en"


class AccountSnapshotFactory(SameWorkspace):
    class Meta:
        model = crm.AccountSnapshot

    workspace = factory.LazyAttribute(lambda o: o.account.workspace)
    account = factory.SubFactory(SocialAccountFactory)
    taken_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(days=n))
    followers = 25_000


class PostFactory(SameWorkspace):
    class Meta:
        model = crm.Post

    workspace = factory.LazyAttribute(lambda o: o.account.workspace)
    account = factory.SubFactory(SocialAccountFactory)
    platform_post_id = factory.Sequence(lambda n: f"post{n}")
    posted_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(days=n))
    caption = "A post"
    likes = 500
    comments = 20


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Campaign

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    product = "Trail shoes"
    objective = cm.Objective.CONVERSIONS
    type = cm.CampaignType.SPONSORED
    status = cm.CampaignStatus.ACTIVE
    starts_on = dt.date(2026, 11, 1)
    ends_on = dt.date(2026, 12, 31)
    budget = Decimal("10000.00")


class WaveFactory(SameWorkspace):
    class Meta:
        model = cm.Wave

    workspace = factory.LazyAttribute(lambda o: o.campaign.workspace)
    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)


class DealFactory(SameWorkspace):
    class Meta:
        model = cm.Deal

    workspace = factory.LazyAttribute(lambda o: o.campaign.workspace)
    campaign = factory.SubFactory(CampaignFactory)
    creator = factory.SubFactory(
        CreatorFactory, workspace=factory.SelfAttribute("..campaign.workspace")
    )
    stage = cm.Stage.PROSPECT
    fee_cash = Decimal("500.00")


class GoalFactory(SameWorkspace):
    class Meta:
        model = cm.Goal

    workspace = factory.LazyAttribute(lambda o: o.campaign.workspace)
    campaign = factory.SubFactory(CampaignFactory)
    metric = "conversions"
    target = Decimal("100")
    deadline = dt.date(2026, 12, 31)


class TrackedLinkFactory(SameWorkspace):
    class Meta:
        model = tm.TrackedLink

    workspace = factory.LazyAttribute(lambda o: o.creator.workspace)
    creator = factory.SubFactory(CreatorFactory)
    slug = factory.Sequence(lambda n: f"lnk{n:05d}")
    destination_url = "https://shop.example.com/products/trail-shoes"


class ClickFactory(SameWorkspace):
    class Meta:
        model = tm.Click

    workspace = factory.LazyAttribute(lambda o: o.link.workspace)
    link = factory.SubFactory(TrackedLinkFactory)
    click_id = factory.Sequence(lambda n: f"clk{n:08d}")
    clicked_at = factory.LazyFunction(timezone.now)
    visitor_hash = factory.Sequence(lambda n: f"visitor{n}")


class DiscountCodeFactory(SameWorkspace):
    class Meta:
        model = tm.DiscountCode

    workspace = factory.LazyAttribute(lambda o: o.creator.workspace)
    creator = factory.SubFactory(CreatorFactory)
    code = factory.Sequence(lambda n: f"CODE{n}")
    value = Decimal("15")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = tm.Order

    workspace = factory.SubFactory(WorkspaceFactory)
    source = tm.StorePlatform.SHOPIFY
    external_id = factory.Sequence(lambda n: str(450789469 + n))
    currency = "USD"
    gross = Decimal("120.00")
    placed_at = factory.LazyFunction(timezone.now)
