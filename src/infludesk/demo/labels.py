"""The demo's hand-designed accounts: which handles are suspicious, why, and clean controls.

Machine-readable on purpose: the authenticity tests generate the demo and check that every
account in ``SUSPICIOUS_ACCOUNTS`` is flagged for the signals listed in ``signals`` (and that
``CONTROL_ACCOUNTS`` are not). These accounts are always the first creators generated, with the
same handles whatever the seed or ``--creators``; only their noise depends on the seed.

Event days are counted back from the last daily snapshot (the day the demo was generated), so
with the default 90 days of history, ``days_ago=27`` is the 63rd snapshot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Signals an authenticity check should raise for an account (see issue 4, "Authenticity").
ER_FAR_BELOW_TIER = "er_far_below_tier"  # inactive or bought followers
ER_FAR_ABOVE_TIER = "er_far_above_tier"  # engagement pods, bought likes
FOLLOWER_SPIKE = "follower_spike"  # one-day jump in the snapshots
FOLLOWER_DROP = "follower_drop"  # one-day loss (platform purge of fake followers)
GENERIC_COMMENTS = "generic_comments"  # generic, emoji-only and duplicate comments
FAKE_AUDIENCE = "fake_audience"  # many fake-looking profiles in the follower sample

# The story behind each suspicious account.
BOUGHT_FOLLOWERS = "bought_followers"
INACTIVE_AUDIENCE = "inactive_audience"
ENGAGEMENT_POD = "engagement_pod"
GROWTH_SPIKE = "growth_spike"
SUDDEN_DROP = "sudden_drop"


@dataclass(frozen=True)
class FollowerEvent:
    """A one-day relative change of followers: +0.32 adds 32 % on that day."""

    days_ago: int
    change: float

    def date(self, last_snapshot_day: dt.date) -> dt.date:
        return last_snapshot_day - dt.timedelta(days=self.days_ago)


@dataclass(frozen=True)
class DesignedAccount:
    handle: str
    platform: str
    name: str
    country: str
    category: str
    followers: int
    """Followers on the last snapshot (what the account shows now)."""
    label: str
    """The story: one of the constants above, or "clean" for a control."""
    signals: tuple[str, ...]
    reason: str
    er_factor: float = 1.0
    """ER relative to the platform/tier benchmark, before any follower event."""
    events: tuple[FollowerEvent, ...] = ()
    comment_share: float | None = None
    """Comments / (likes + comments); None for the platform's usual share."""
    fake_follower_share: float = 0.06
    """Share of fake-looking profiles in the generated follower sample."""

    @property
    def is_suspicious(self) -> bool:
        return bool(self.signals)


SUSPICIOUS_ACCOUNTS: tuple[DesignedAccount, ...] = (
    DesignedAccount(
        handle="glowgetter.mia",
        platform="instagram",
        name="Mia Sorensen",
        country="US",
        category="fashion",
        followers=48_000,
        label=BOUGHT_FOLLOWERS,
        signals=(ER_FAR_BELOW_TIER, FOLLOWER_SPIKE, FAKE_AUDIENCE),
        reason="Followers jumped 32 % in one day 27 days ago; likes did not follow, so ER is "
        "about a fifth of the micro benchmark; about half the follower sample looks fake.",
        er_factor=0.3,
        events=(FollowerEvent(days_ago=27, change=0.32),),
        fake_follower_share=0.5,
    ),
    DesignedAccount(
        handle="urbanhiker.jay",
        platform="tiktok",
        name="Jay Castellano",
        country="US",
        category="hiking",
        followers=420_000,
        label=BOUGHT_FOLLOWERS,
        signals=(ER_FAR_BELOW_TIER, FOLLOWER_SPIKE, FAKE_AUDIENCE),
        reason="+27 % followers in one day 41 days ago, bought views that never engage: ER by "
        "views far below the macro benchmark.",
        er_factor=0.25,
        events=(FollowerEvent(days_ago=41, change=0.27),),
        fake_follower_share=0.45,
    ),
    DesignedAccount(
        handle="peakpursuit",
        platform="youtube",
        name="Peak Pursuit (Derek Lowe)",
        country="GB",
        category="hiking",
        followers=86_000,
        label=BOUGHT_FOLLOWERS,
        signals=(ER_FAR_BELOW_TIER, FOLLOWER_SPIKE, FAKE_AUDIENCE),
        reason="+38 % subscribers in one day 18 days ago; engagement per view far below the "
        "micro benchmark.",
        er_factor=0.28,
        events=(FollowerEvent(days_ago=18, change=0.38),),
        fake_follower_share=0.55,
    ),
    DesignedAccount(
        handle="luxe.lena.travels",
        platform="instagram",
        name="Lena Hartmann",
        country="DE",
        category="travel",
        followers=150_000,
        label=INACTIVE_AUDIENCE,
        signals=(ER_FAR_BELOW_TIER, FAKE_AUDIENCE),
        reason="150,000 followers and about 150 likes per post (ER about 0.1 % against a 1.5 % "
        "macro benchmark): followers bought before the snapshot window, no jump visible.",
        er_factor=0.07,
        fake_follower_share=0.6,
    ),
    DesignedAccount(
        handle="the.cozy.camper",
        platform="instagram",
        name="Hailey Brooks",
        country="US",
        category="camping",
        followers=23_000,
        label=ENGAGEMENT_POD,
        signals=(ER_FAR_ABOVE_TIER, GENERIC_COMMENTS),
        reason="ER about 3.5x the micro benchmark, with many comments per like, mostly generic "
        "and repeated by the same dozen accounts (an engagement pod).",
        er_factor=3.5,
        comment_share=0.14,
    ),
    DesignedAccount(
        handle="fitwithfinn",
        platform="instagram",
        name="Finn Weber",
        country="DE",
        category="fitness",
        followers=6_800,
        label=ENGAGEMENT_POD,
        signals=(ER_FAR_ABOVE_TIER, GENERIC_COMMENTS),
        reason="ER about 4x the nano benchmark, generic and duplicate comments from a pod.",
        er_factor=4.0,
        comment_share=0.15,
    ),
    DesignedAccount(
        handle="vanlife.vera",
        platform="tiktok",
        name="Vera Lindqvist",
        country="SE",
        category="van life",
        followers=61_000,
        label=ENGAGEMENT_POD,
        signals=(ER_FAR_ABOVE_TIER, GENERIC_COMMENTS),
        reason="ER by views about 2.8x the micro benchmark, comments generic and duplicated.",
        er_factor=2.8,
        comment_share=0.12,
    ),
    DesignedAccount(
        handle="alpine.ava",
        platform="instagram",
        name="Ava Richter",
        country="DE",
        category="skiing",
        followers=310_000,
        label=GROWTH_SPIKE,
        signals=(FOLLOWER_SPIKE,),
        reason="Two one-day follower spikes (+11 % 50 days ago, +9 % 16 days ago) with no "
        "matching rise in likes.",
        er_factor=0.8,
        events=(FollowerEvent(days_ago=50, change=0.11), FollowerEvent(days_ago=16, change=0.09)),
        fake_follower_share=0.25,
    ),
    DesignedAccount(
        handle="kayak.kai",
        platform="tiktok",
        name="Kai Nakamura",
        country="AU",
        category="travel",
        followers=38_000,
        label=GROWTH_SPIKE,
        signals=(FOLLOWER_SPIKE,),
        reason="+18 % followers in one day 23 days ago.",
        er_factor=0.85,
        events=(FollowerEvent(days_ago=23, change=0.18),),
        fake_follower_share=0.2,
    ),
    DesignedAccount(
        handle="sunset.scout",
        platform="instagram",
        name="Scout Ramirez",
        country="US",
        category="photography",
        followers=27_000,
        label=SUDDEN_DROP,
        signals=(FOLLOWER_DROP,),
        reason="-17 % followers in one day 24 days ago (a platform purge of fake followers).",
        er_factor=0.9,
        events=(FollowerEvent(days_ago=24, change=-0.17),),
        fake_follower_share=0.15,
    ),
    DesignedAccount(
        handle="gearhead.gabe",
        platform="youtube",
        name="Gabe Foster",
        country="CA",
        category="tech",
        followers=540_000,
        label=SUDDEN_DROP,
        signals=(FOLLOWER_DROP,),
        reason="-12 % subscribers in one day 38 days ago.",
        er_factor=0.9,
        events=(FollowerEvent(days_ago=38, change=-0.12),),
        fake_follower_share=0.15,
    ),
)

CONTROL_ACCOUNTS: tuple[DesignedAccount, ...] = tuple(
    DesignedAccount(
        handle=handle,
        platform=platform,
        name=name,
        country=country,
        category=category,
        followers=followers,
        label="clean",
        signals=(),
        reason="Clean control: ER at the benchmark, steady growth, varied comments.",
    )
    for handle, platform, name, country, category, followers in (
        ("trailmix.tessa", "instagram", "Tessa Fraser", "CA", "hiking", 4_200),
        ("jonas.outside", "instagram", "Jonas Becker", "DE", "camping", 36_000),
        ("summit.stories", "youtube", "Rory Baxter", "GB", "hiking", 240_000),
        ("canyon.cara", "tiktok", "Cara Mitchell", "US", "travel", 1_600_000),
        ("river.and.ridge", "instagram", "Noah Parker", "US", "photography", 1_250_000),
        ("basecamp.ben", "tiktok", "Ben Holloway", "GB", "camping", 12_500),
    )
)

DESIGNED_ACCOUNTS: tuple[DesignedAccount, ...] = SUSPICIOUS_ACCOUNTS + CONTROL_ACCOUNTS


def suspicious_handles() -> dict[tuple[str, str], DesignedAccount]:
    """{(platform, handle): designed account} for every suspicious demo account."""
    return {(a.platform, a.handle): a for a in SUSPICIOUS_ACCOUNTS}
