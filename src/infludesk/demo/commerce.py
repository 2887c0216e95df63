"""Campaigns, waves, goals, deals in every stage, deliverables, shipments, payments, tracked
links, discount codes, clicks, orders, refunds and conversions for the demo workspace.

Sizes do not grow with ``--creators`` (a brand runs a few dozen deals, not thousands), so this
part takes the same few seconds for 300 or 100,000 creators.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from infludesk.campaigns.models import (
    PIPELINE,
    Campaign,
    CampaignStatus,
    CampaignType,
    Deal,
    DealPost,
    Deliverable,
    Goal,
    Objective,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentStatus,
    Stage,
    Wave,
)
from infludesk.core.models import ExchangeRate, Workspace
from infludesk.creators.models import Post, SocialAccount
from infludesk.creators.search_texts import SEARCH_CAPTIONS, caption_line
from infludesk.creators.stats import account_stats_recompute
from infludesk.demo import vocab
from infludesk.demo.bulk import adapt_datetime, insert_rows, next_id, reset_sequences
from infludesk.demo.labels import SUSPICIOUS_ACCOUNTS
from infludesk.demo.population import ascii_slug, random_ids
from infludesk.tracking.models import (
    CampaignTracking,
    Click,
    CodePattern,
    Conversion,
    DiscountCode,
    DiscountKind,
    LinkStatus,
    MatchedBy,
    Order,
    Refund,
    StoreConnection,
    StorePlatform,
    TrackedLink,
)

CLICK_WINDOW_DAYS = 30
DISCOUNT_PCT = 15  # every demo code: first name + 15 (MAYA15), 15 % off
CLICK_COLUMNS = (
    "id", "workspace_id", "link_id", "click_id", "clicked_at", "visitor_hash", "ip_hash",
    "ua_class", "referrer_host", "country", "is_bot", "is_unique",
)  # fmt: skip
COUPON_SITES = ("https://www.retailmenot.com/view/northwind", "https://couponfollow.com/site/nw")
ORGANIC_REFERRERS = ("https://www.google.com/", "", "https://duckduckgo.com/", "")
REFERRER_HOST = {
    "instagram": "l.instagram.com",
    "tiktok": "www.tiktok.com",
    "youtube": "youtube.com",
}
PRODUCTS = ("storm-shell-jacket", "trail-runner-2", "basecamp-tent-2p", "merino-base-layer")
FEE_RANGE = {
    "nano": (60, 200),
    "micro": (200, 900),
    "macro": (1_200, 5_000),
    "mega": (6_000, 18_000),
}


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    slug: str
    status: str
    objective: str
    type: str
    start_days: int  # relative to the demo's end day
    end_days: int
    budget: int
    deals: int
    first_stages: tuple[str, ...]  # guaranteed stages, the rest drawn from weights
    weights: dict[str, float]
    product: str
    path: str


CAMPAIGNS = (
    CampaignSpec(
        "Summer Trail Collection", "summer-trail-collection", CampaignStatus.COMPLETED,
        Objective.CONVERSIONS, CampaignType.SPONSORED, -100, -12, 45_000, 28,
        (Stage.PAID, Stage.LIVE, Stage.DECLINED, Stage.CANCELLED),
        {Stage.PAID: 0.8, Stage.DECLINED: 0.12, Stage.CANCELLED: 0.08},
        "Trail Runner 2 shoes", "/products/trail-runner-2",
    ),
    CampaignSpec(
        "Fall Layering Launch", "fall-layering-launch", CampaignStatus.ACTIVE,
        Objective.CONVERSIONS, CampaignType.SPONSORED, -35, 40, 60_000, 44,
        (*PIPELINE, Stage.DECLINED, Stage.CANCELLED),
        {Stage.LIVE: 0.3, Stage.PAID: 0.15, Stage.APPROVED: 0.1, Stage.IN_REVIEW: 0.1,
         Stage.SHIPPED: 0.1, Stage.CONTRACTED: 0.08, Stage.NEGOTIATING: 0.07,
         Stage.CONTACTED: 0.05, Stage.DECLINED: 0.05},
        "Storm Shell jacket", "/products/storm-shell-jacket",
    ),
    CampaignSpec(
        "Winter Basecamp Ambassadors", "winter-basecamp-ambassadors", CampaignStatus.DRAFT,
        Objective.AWARENESS, CampaignType.AMBASSADOR, 45, 180, 30_000, 14,
        (Stage.PROSPECT, Stage.CONTACTED, Stage.NEGOTIATING, Stage.DECLINED),
        {Stage.PROSPECT: 0.6, Stage.CONTACTED: 0.25, Stage.NEGOTIATING: 0.15},
        "Basecamp 2P tent", "/products/basecamp-tent-2p",
    ),
)  # fmt: skip

RANK = {stage: i for i, stage in enumerate(PIPELINE)}


def _rank(stage: str) -> int:
    return RANK.get(Stage(stage), -1)


@dataclass
class CommerceCounts:
    campaigns: int = 0
    deals: int = 0
    links: int = 0
    codes: int = 0
    live_posts: int = 0
    clicks: int = 0
    orders: int = 0
    conversions: int = 0


class Commerce:
    def __init__(self, *, workspace: Workspace, rng: np.random.Generator, end: dt.datetime):
        self.ws = workspace
        self.rng = rng
        self.end = end
        self.today = end.date()
        self.counts = CommerceCounts()
        self.live_posts: list[tuple[int, Post]] = []

    # --- people to work with -----------------------------------------------------------

    def _candidates(self) -> list[dict[str, Any]]:
        """Non-suspicious primary accounts from the first 3,000 (bounded, in id order)."""
        suspicious = [a.handle for a in SUSPICIOUS_ACCOUNTS]
        rows = (
            SocialAccount.objects.filter(workspace=self.ws)
            .exclude(handle__in=suspicious)
            .order_by("id")
            .values("id", "creator_id", "platform", "handle", "followers", "tier",
                    "creator__first_name")[:3_000]
        )  # fmt: skip
        seen: set[int] = set()
        primary: list[dict[str, Any]] = []
        for row in rows:
            if row["creator_id"] not in seen:
                seen.add(row["creator_id"])
                primary.append(dict(row))
        return primary

    # --- generation ----------------------------------------------------------------------

    def generate(self) -> CommerceCounts:
        rng = self.rng
        candidates = self._candidates()
        campaigns = [self._campaign(spec) for spec in CAMPAIGNS]
        Campaign.objects.bulk_create(campaigns)
        waves, goals = [], []
        for spec, campaign in zip(CAMPAIGNS, campaigns, strict=True):
            waves += self._waves(spec, campaign)
            goals += self._goals(spec, campaign)
        Wave.objects.bulk_create(waves)
        Goal.objects.bulk_create(goals)
        deals: list[Deal] = []
        deal_accounts: dict[int, dict[str, Any]] = {}
        for spec, campaign in zip(CAMPAIGNS, campaigns, strict=True):
            count = min(spec.deals, len(candidates))
            picked = rng.choice(len(candidates), size=count, replace=False)
            campaign_waves = [w for w in waves if w.campaign is campaign]
            for k, idx in enumerate(sorted(picked.tolist())):
                stage = self._stage(spec, k)
                account = candidates[idx]
                deals.append(self._deal(spec, campaign, campaign_waves, account, stage))
        Deal.objects.bulk_create(deals)
        for deal in deals:
            deal_accounts[deal.pk] = next(c for c in candidates if c["id"] == deal.account_id)
        links, codes = self._links_and_codes(deals, deal_accounts)
        self._tracking_defaults(campaigns)
        self._work_items(deals, deal_accounts, codes)
        clicks = self._clicks(deals, links, deal_accounts)
        self._orders(deals, deal_accounts, codes, clicks)
        self._store()
        self.counts.campaigns = len(campaigns)
        self.counts.deals = len(deals)
        return self.counts

    def _campaign(self, spec: CampaignSpec) -> Campaign:
        return Campaign(
            workspace=self.ws,
            name=spec.name,
            slug=spec.slug,
            product=spec.product,
            objective=spec.objective,
            type=spec.type,
            status=spec.status,
            starts_on=self.today + dt.timedelta(days=spec.start_days),
            ends_on=self.today + dt.timedelta(days=spec.end_days),
            budget=Decimal(spec.budget),
            currency="USD",
            audience_notes="Outdoor enthusiasts 22-45 in North America and Europe who hike, "
            "camp and run trails; value durable, repairable gear.",
            channels=["instagram", "tiktok", "youtube"],
        )

    def _waves(self, spec: CampaignSpec, campaign: Campaign) -> list[Wave]:
        start = self.today + dt.timedelta(days=spec.start_days)
        span = spec.end_days - spec.start_days
        count = 1 if spec.status == CampaignStatus.DRAFT else 2
        return [
            Wave(
                workspace=self.ws,
                campaign=campaign,
                number=n + 1,
                name=f"Wave {n + 1}" + (" (launch)" if n == 0 else " (sustain)"),
                starts_on=start + dt.timedelta(days=span * n // count),
                ends_on=start + dt.timedelta(days=span * (n + 1) // count),
                budget=Decimal(spec.budget // count),
            )
            for n in range(count)
        ]

    def _goals(self, spec: CampaignSpec, campaign: Campaign) -> list[Goal]:
        deadline = self.today + dt.timedelta(days=spec.end_days)
        # sentiment of the live posts' comments and the survey (demo/feedback.py) show as goals
        targets = {
            CampaignStatus.COMPLETED: (
                ("conversions", 400),
                ("revenue", 40_000),
                ("clicks", 9_000),
                ("sentiment", 0.3),
                ("survey_answers", 40),
            ),
            CampaignStatus.ACTIVE: (
                ("conversions", 300),
                ("reach", 2_000_000),
                ("roas", 2.5),
                ("sentiment", 0.3),
            ),
            CampaignStatus.DRAFT: (("reach", 1_500_000), ("engagement_rate", 3)),
        }[CampaignStatus(spec.status)]
        return [
            Goal(workspace=self.ws, campaign=campaign, metric=metric, target=Decimal(str(target)),
                 baseline=None, deadline=deadline)
            for metric, target in targets
        ]  # fmt: skip

    def _stage(self, spec: CampaignSpec, k: int) -> str:
        if k < len(spec.first_stages):
            return str(spec.first_stages[k])
        stages = list(spec.weights)
        p = np.array([spec.weights[s] for s in stages])
        return str(stages[int(self.rng.choice(len(stages), p=p / p.sum()))])

    def _deal(
        self,
        spec: CampaignSpec,
        campaign: Campaign,
        waves: list[Wave],
        account: dict[str, Any],
        stage: str,
    ) -> Deal:
        low, high = FEE_RANGE.get(account["tier"], (50, 150))
        fee = int(self.rng.integers(low, high)) // 10 * 10
        changed = self.end - dt.timedelta(days=float(self.rng.uniform(1, 30)))
        return Deal(
            workspace=self.ws,
            campaign=campaign,
            wave=waves[int(self.rng.integers(0, len(waves)))],
            creator_id=account["creator_id"],
            account_id=account["id"],
            stage=stage,
            fee_cash=Decimal(fee),
            product_value=Decimal(int(self.rng.choice([89, 149, 189, 249]))),
            commission_pct=Decimal(10 if spec.type == CampaignType.AMBASSADOR else 0),
            currency="USD",
            stage_changed_at=changed,
        )

    # --- deliverables, shipments, payments, sponsored posts --------------------------------

    def _work_items(
        self,
        deals: list[Deal],
        accounts: dict[int, dict[str, Any]],
        codes: dict[int, DiscountCode],
    ) -> None:
        rng, today = self.rng, self.today
        deliverables, shipments, payments, posts = [], [], [], []
        post_for: dict[int, Post] = {}
        for deal in deals:
            rank, account = _rank(deal.stage), accounts[deal.pk]
            platform = account["platform"]
            ended = deal.stage in (Stage.DECLINED, Stage.CANCELLED)
            if rank >= _rank(Stage.LIVE):
                post = self._sponsored_post(deal, account, codes[deal.pk].code)
                posts.append(post)
                post_for[deal.pk] = post
            if rank >= _rank(Stage.NEGOTIATING) or deal.stage == Stage.CANCELLED:
                status = (
                    "cancelled" if ended else "published" if deal.pk in post_for
                    else "approved" if rank >= _rank(Stage.APPROVED)
                    else "submitted" if rank >= _rank(Stage.IN_REVIEW) else "planned"
                )  # fmt: skip
                fmt = {"instagram": "reel", "tiktok": "video", "youtube": "video"}[platform]
                deliverables.append(
                    Deliverable(workspace=self.ws, deal=deal, platform=platform, format=fmt,
                                count=int(rng.integers(1, 3)), status=status,
                                due_on=today + dt.timedelta(days=int(rng.integers(-20, 30))),
                                usage_rights="Organic reposting for 6 months")
                )  # fmt: skip
            if rank >= _rank(Stage.SHIPPED) or deal.stage == Stage.CANCELLED:
                shipped = today - dt.timedelta(days=int(rng.integers(5, 40)))
                status = (
                    ShipmentStatus.RETURNED if ended
                    else ShipmentStatus.SHIPPED if deal.stage == Stage.SHIPPED
                    else ShipmentStatus.DELIVERED
                )  # fmt: skip
                shipments.append(
                    Shipment(workspace=self.ws, deal=deal, product=deal.campaign.product,
                             variant=str(rng.choice(["S", "M", "L", "XL"])),
                             value=deal.product_value, address="(kept by the creator's agent)",
                             carrier=str(rng.choice(["UPS", "DHL", "FedEx"])),
                             tracking_number="1Z" + random_ids(rng, 1, 16)[0].upper(),
                             status=status, shipped_on=shipped,
                             delivered_on=None if status == ShipmentStatus.SHIPPED
                             else shipped + dt.timedelta(days=3))
                )  # fmt: skip
            if rank >= _rank(Stage.CONTRACTED) or deal.stage == Stage.CANCELLED:
                paid = deal.stage == Stage.PAID
                payments.append(
                    Payment(workspace=self.ws, deal=deal, amount=deal.fee_cash, currency="USD",
                            due_on=today + dt.timedelta(days=int(rng.integers(-10, 30))),
                            paid_on=today - dt.timedelta(days=int(rng.integers(1, 10))) if paid
                            else None, method="bank transfer",
                            invoice_ref=f"INV-{2026_000 + deal.pk}",
                            status=PaymentStatus.CANCELLED if ended
                            else PaymentStatus.PAID if paid else PaymentStatus.DUE)
                )  # fmt: skip
        Post.objects.bulk_create(posts)
        # the sponsored posts are the deals' live posts (what the campaign's progress reads)
        live = [
            DealPost(workspace=self.ws, deal_id=deal_pk, post=post)
            for deal_pk, post in post_for.items()
        ]
        DealPost.objects.bulk_create(live)
        self.live_posts = [(d.deal_id, d.post) for d in live]
        self.counts.live_posts = len(live)
        for deliverable in deliverables:
            if deliverable.status == "published":
                deliverable.post = post_for[deliverable.deal.pk]
        Deliverable.objects.bulk_create(deliverables)
        Shipment.objects.bulk_create(shipments)
        Payment.objects.bulk_create(payments)
        # the sponsored posts are now the newest: keep the stored stats true
        account_stats_recompute(workspace=self.ws, account_ids=[p.account_id for p in posts])
        self._recent_captions({p.account_id for p in posts})

    def _recent_captions(self, account_ids: set[int]) -> None:
        """Store the newest captions (sponsored ones now among them) as search reads them
        (creators/search_texts.py): two statements for all these accounts, not one a row."""
        newest: dict[int, list[str]] = {pk: [] for pk in account_ids}
        rows = (
            Post.objects.filter(workspace=self.ws, account_id__in=account_ids)
            .exclude(caption="")
            .order_by("account_id", "-posted_at", "-id")
            .values_list("account_id", "caption")
        )
        for account_id, caption in rows:
            line = caption_line(caption)
            if line and len(newest[account_id]) < SEARCH_CAPTIONS:
                newest[account_id].append(line)
        accounts = [
            SocialAccount(pk=pk, recent_captions="\n".join(lines))
            for pk, lines in sorted(newest.items())
        ]
        SocialAccount.objects.bulk_update(accounts, ["recent_captions"], batch_size=500)

    def _sponsored_post(self, deal: Deal, account: dict[str, Any], code: str) -> Post:
        rng = self.rng
        posted = self.end - dt.timedelta(days=float(rng.uniform(3, 25)))
        platform = account["platform"]
        followers = account["followers"]
        likes = int(followers * rng.uniform(0.01, 0.03))
        return Post(
            workspace=self.ws,
            account_id=account["id"],
            platform_post_id="sp" + random_ids(rng, 1, 14)[0],
            media_type="reel" if platform == "instagram" else "video",
            posted_at=posted,
            caption=f"Tested the {deal.campaign.product} on a wet week in the hills. "
            f"Use code {code} for {DISCOUNT_PCT}% off at @{vocab.BRAND_HANDLE} "
            "#ad #northwindoutdoor",
            hashtags=["ad", "northwindoutdoor"],
            mentions=[vocab.BRAND_HANDLE],
            likes=likes,
            comments=int(likes * rng.uniform(0.02, 0.04)),
            shares=int(likes * 0.05),
            views=None if platform == "instagram" else int(followers * rng.uniform(0.3, 0.8)),
            is_sponsored=True,
        )

    # --- links, codes, clicks ------------------------------------------------------------

    def _links_and_codes(
        self, deals: list[Deal], accounts: dict[int, dict[str, Any]]
    ) -> tuple[dict[int, TrackedLink], dict[int, DiscountCode]]:
        links, codes = {}, {}
        slugs = random_ids(self.rng, len(deals), 8)
        used: set[str] = set()
        for deal, slug in zip(deals, slugs, strict=True):
            account = accounts[deal.pk]
            ended = deal.stage in (Stage.DECLINED, Stage.CANCELLED)
            path = next(s.path for s in CAMPAIGNS if s.slug == deal.campaign.slug)
            links[deal.pk] = TrackedLink(
                workspace=self.ws, slug=slug, creator_id=deal.creator_id, deal=deal,
                destination_url=f"https://{vocab.STORE_DOMAIN}{path}",
                utm_source=account["platform"], utm_medium="influencer",
                utm_campaign=deal.campaign.slug, utm_content=account["handle"],
                status=LinkStatus.DISABLED if ended else LinkStatus.ACTIVE,
            )  # fmt: skip
            code = _code_for(account["creator__first_name"])
            while code.upper() in used:
                code += str(int(self.rng.integers(0, 10)))
            used.add(code.upper())
            codes[deal.pk] = DiscountCode(
                workspace=self.ws, code=code, creator_id=deal.creator_id, deal=deal,
                kind=DiscountKind.PERCENT, value=Decimal(DISCOUNT_PCT),
                valid_from=deal.campaign.starts_on, valid_until=deal.campaign.ends_on,
            )  # fmt: skip
        TrackedLink.objects.bulk_create(links.values())
        DiscountCode.objects.bulk_create(codes.values())
        self.counts.links, self.counts.codes = len(links), len(codes)
        return links, codes

    def _tracking_defaults(self, campaigns: list[Campaign]) -> None:
        """Each campaign's tracking defaults, on the same terms as the links and codes above
        (landing page, UTM medium, 15 % readable codes valid for the campaign's dates), so a
        deal added in the demo gets a matching link and code (tracking/defaults.py).

        Set after the deals and their links and codes exist, and without the service's fill:
        every deal already has its one link and code, and bulk_create sends no post_save, so
        nothing is created twice."""
        CampaignTracking.objects.bulk_create(
            CampaignTracking(
                workspace=self.ws,
                campaign=campaign,
                destination_url=f"https://{vocab.STORE_DOMAIN}{spec.path}",
                utm_medium="influencer",
                utm_campaign="",  # blank: the campaign's slug, as on the demo links
                discount_kind=DiscountKind.PERCENT,
                discount_value=Decimal(DISCOUNT_PCT),
                code_pattern=CodePattern.READABLE,
                valid_from=campaign.starts_on,
                valid_until=campaign.ends_on,
            )
            for spec, campaign in zip(CAMPAIGNS, campaigns, strict=True)
        )

    def _clicks(
        self,
        deals: list[Deal],
        links: dict[int, TrackedLink],
        accounts: dict[int, dict[str, Any]],
    ) -> dict[int, list[tuple[Any, ...]]]:
        """Clicks of the last 30 days on links of deals that went live.

        6 % come from bots (flagged, not unique); 15 % repeat the visitor's previous click
        within 30 minutes (kept, not unique).
        """
        rng, end = self.rng, self.end
        first_id = next_id(Click)
        by_deal: dict[int, list[tuple[Any, ...]]] = {}
        rows: list[tuple[Any, ...]] = []
        window = CLICK_WINDOW_DAYS * 86_400
        for deal in deals:
            if _rank(deal.stage) < _rank(Stage.APPROVED):
                continue
            account = accounts[deal.pk]
            scale = 0.3 if deal.stage == Stage.APPROVED else 1.0
            count = int(min(400, account["followers"] * 0.004 * scale * rng.lognormal(0, 0.5)))
            seconds = np.sort(rng.uniform(0, window, count))
            ids = random_ids(rng, count, 16)
            deal_rows: list[tuple[Any, ...]] = []
            last: tuple[str, float] | None = None
            for i in range(count):
                at = end - dt.timedelta(seconds=window - float(seconds[i]))
                bot = rng.random() < 0.06
                repeat = last is not None and not bot and rng.random() < 0.15
                visitor = last[0] if repeat and last else _sha(f"v{deal.pk}-{i}-{rng.random()}")
                if repeat and last:
                    at = dt.datetime.fromtimestamp(last[1], dt.UTC) + dt.timedelta(minutes=4)
                    at = min(at, end)
                row = (
                    first_id + len(rows), self.ws.pk, links[deal.pk].pk, ids[i], at, visitor,
                    _sha(f"ip{visitor}"), "bot" if bot else str(rng.choice(["mobile", "desktop"],
                    p=[0.8, 0.2])), "" if bot else REFERRER_HOST[account["platform"]],
                    str(rng.choice(["US", "CA", "GB", "DE"], p=[0.6, 0.1, 0.15, 0.15])),
                    bot, not bot and not repeat,
                )  # fmt: skip
                rows.append(row)
                deal_rows.append(row)
                if not bot:
                    last = (visitor, at.timestamp())
            by_deal[deal.pk] = deal_rows
        insert_rows(Click, CLICK_COLUMNS, [(*r[:4], adapt_datetime(r[4]), *r[5:]) for r in rows])
        reset_sequences(Click)
        self.counts.clicks = len(rows)
        return by_deal

    # --- orders and conversions ----------------------------------------------------------

    def _orders(
        self,
        deals: list[Deal],
        accounts: dict[int, dict[str, Any]],
        codes: dict[int, DiscountCode],
        clicks: dict[int, list[tuple[Any, ...]]],
    ) -> None:
        """Orders in the click window: 5 % of human clicks buy (40 % of them also type the
        code), a few code-only orders per live deal (a quarter from coupon sites: leaks),
        and organic orders with neither. 8 % are refunded (some partly), 4 % cancelled."""
        rng = self.rng
        orders: list[Order] = []
        match: dict[int, tuple[Deal, str, tuple[Any, ...] | None]] = {}
        customers = [_sha(f"customer{n}@example.com") for n in range(600)]
        for deal in deals:
            code = codes[deal.pk].code
            for click in clicks.get(deal.pk, []):
                if click[10] or rng.random() >= 0.05:  # bots never buy; 5 % of clicks convert
                    continue
                with_code = rng.random() < 0.4
                at = click[4] + dt.timedelta(hours=float(rng.uniform(0.1, 30)))
                platform = accounts[deal.pk]["platform"]
                order = self._order(
                    deal, platform, at, customers, code if with_code else None, click
                )
                orders.append(order)
                match[id(order)] = (deal, "code" if with_code else "click", click)
            if clicks.get(deal.pk):
                for _ in range(int(rng.poisson(3))):  # code only: shared offline or leaked
                    at = self.end - dt.timedelta(days=float(rng.uniform(0.5, 29)))
                    leak = rng.random() < 0.25
                    order = self._order(deal, "", at, customers, code, None, leak=leak)
                    orders.append(order)
                    match[id(order)] = (deal, "code", None)
        for _ in range(max(20, len(orders) // 3)):  # organic orders, no creator involved
            at = self.end - dt.timedelta(days=float(rng.uniform(0.5, 29.5)))
            orders.append(self._order(None, "", at, customers, None, None))
        orders.sort(key=lambda o: o.placed_at)
        first_seen: set[str] = set()
        for n, order in enumerate(orders):
            order.external_id = str(5_400_000_000_000 + n * 7919)
            order.is_new_customer = order.customer_hash not in first_seen
            first_seen.add(order.customer_hash)
        Order.objects.bulk_create(orders)
        self._refunds(orders)
        conversions = []
        for order in orders:
            if id(order) not in match:
                continue
            deal, matched_by, matched_click = match[id(order)]
            conversions.append(
                Conversion(workspace=self.ws, order=order, creator_id=deal.creator_id,
                           deal=deal, matched_by=MatchedBy(matched_by),
                           code=codes[deal.pk] if matched_by == "code" else None,
                           click_id=matched_click[0] if matched_click and matched_by == "click"
                           else None)
            )  # fmt: skip
        Conversion.objects.bulk_create(conversions)
        self.counts.orders, self.counts.conversions = len(orders), len(conversions)

    def _order(
        self,
        deal: Deal | None,
        platform: str,
        at: dt.datetime,
        customers: list[str],
        code: str | None,
        click: tuple[Any, ...] | None,
        *,
        leak: bool = False,
    ) -> Order:
        rng = self.rng
        at = min(at, self.end)
        currency = str(rng.choice(["USD", "CAD", "EUR"], p=[0.9, 0.06, 0.04]))
        gross = Decimal(int(rng.integers(4_000, 32_000))) / 100
        roll = rng.random()
        status = "paid" if roll < 0.88 else "refunded" if roll < 0.96 else "cancelled"
        landing = f"/products/{rng.choice(PRODUCTS)}"
        if click is not None and deal is not None:
            landing += (
                f"?utm_source={platform}&utm_medium=influencer"
                f"&utm_campaign={deal.campaign.slug}&ifd_click={click[3]}"
            )
        referrer = (
            str(rng.choice(COUPON_SITES)) if leak
            else f"https://{click[8]}/" if click is not None and click[8]
            else str(rng.choice(ORGANIC_REFERRERS))
        )  # fmt: skip
        order = Order(
            workspace=self.ws,
            source=StorePlatform.SHOPIFY,
            external_id="",
            status=status,
            currency=currency,
            gross=gross,
            refunded=Decimal(0),
            placed_at=at,
            source_updated_at=at,
            cancelled=status == "cancelled",
            customer_hash=customers[int(rng.integers(0, len(customers)))],
            discount_codes=[code] if code else [],
            landing_url=landing,
            referrer=referrer,
            click_id=click[3] if click is not None else "",
        )
        return order

    def _refunds(self, orders: list[Order]) -> None:
        refunds = []
        for order in orders:
            if order.status != "refunded":
                continue
            full = self.rng.random() < 0.6
            amount = order.gross if full else (order.gross / 2).quantize(Decimal("0.01"))
            order.refunded = amount
            refunds.append(
                Refund(workspace=self.ws, order=order, external_id=str(9_100_000 + order.pk),
                       amount=amount, refunded_at=order.placed_at + dt.timedelta(days=4))
            )  # fmt: skip
            if not full:
                order.status = "partially_refunded"
        Order.objects.bulk_update(
            [o for o in orders if o.refunded], ["refunded", "status"], batch_size=500
        )
        Refund.objects.bulk_create(refunds)

    def _store(self) -> None:
        StoreConnection.objects.create(
            workspace=self.ws,
            platform=StorePlatform.SHOPIFY,
            public_key="demo" + random_ids(self.rng, 1, 20)[0],
            shop_domain="northwind-outdoor.myshopify.com",
            secret="demo-secret-" + random_ids(self.rng, 1, 24)[0],
        )
        valid_from = self.today - dt.timedelta(days=120)
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(workspace=self.ws, currency="CAD", rate=Decimal("0.73"),
                             valid_from=valid_from),
                ExchangeRate(workspace=self.ws, currency="EUR", rate=Decimal("1.08"),
                             valid_from=valid_from),
            ]
        )  # fmt: skip


def _code_for(first_name: str) -> str:
    """A readable code: first name in capitals and the discount, e.g. MAYA15."""
    return (ascii_slug(first_name).upper()[:10] or "NORTHWIND") + str(DISCOUNT_PCT)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
