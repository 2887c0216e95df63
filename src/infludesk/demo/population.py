"""Creators, social accounts, 90 days of daily snapshots, posts, comments and follower samples.

Streamed: each chunk of creators is planned, inserted with ``bulk_create`` and dropped, so
memory stays flat whatever ``--creators`` is.

Distributions (why they look like this):
- followers: log10 ~ Normal(3.95, 0.8), redrawn below 1,000 -> about 46 % nano, 43 % micro,
  10 % macro, under 1 % mega (mostly nano and micro, as in the market).
- ER: the platform/tier benchmark of ``creators/benchmarks_er.json`` (which already falls with
  size) times a per-account factor in [0.55, 1.8]; suspicious accounts use their designed factor.
- follower history: daily log-growth ~ Normal(monthly rate / 30, small noise), monthly rate
  higher for small accounts; designed accounts add their one-day jumps or drops.
"""

from __future__ import annotations

import datetime as dt
import math
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infludesk.core.models import Workspace
from infludesk.creators import metrics, stats
from infludesk.creators.models import (
    AccountSnapshot,
    Creator,
    FollowerSample,
    Post,
    PostComment,
    SocialAccount,
)
from infludesk.creators.search_texts import SEARCH_CAPTIONS, caption_line
from infludesk.creators.stats import apply_stats
from infludesk.demo import vocab
from infludesk.demo.bulk import (
    adapt_datetime,
    adapt_json,
    datetime_adapter,
    insert_rows,
    json_adapter,
    next_id,
    reset_sequences,
)
from infludesk.demo.labels import DESIGNED_ACCOUNTS, ENGAGEMENT_POD, DesignedAccount

CHUNK_CREATORS = 1_000
BULK_BATCH = 2_000
PLATFORM_WEIGHTS = (("instagram", 0.55), ("tiktok", 0.28), ("youtube", 0.17))
SECOND_ACCOUNT_SHARE = 0.15
COMMENT_ROWS_SHARE = 0.25
FOLLOWER_SAMPLE_SIZE = 120
ID_CHARS = string.ascii_letters + string.digits
YT_ID_CHARS = ID_CHARS + "-_"
# Views per follower per post, by tier (video platforms reach beyond their followers).
VIEW_RATE = {
    "tiktok": {"nano": 0.9, "micro": 0.55, "macro": 0.35, "mega": 0.22},
    "youtube": {"nano": 0.35, "micro": 0.2, "macro": 0.12, "mega": 0.08},
}
COMMENT_SHARE = {"instagram": (0.015, 0.045), "tiktok": (0.008, 0.02), "youtube": (0.02, 0.06)}
POSTS_PER_WEEK = {"instagram": 2.5, "tiktok": 4.0, "youtube": 1.2}
MONTHLY_GROWTH = {"nano": 0.03, "micro": 0.02, "macro": 0.012, "mega": 0.006}


SNAPSHOT_COLUMNS = (
    "workspace_id", "account_id", "taken_at", "followers", "following", "posts_count", "source",
    "created_at", "updated_at",
)  # fmt: skip
POST_COLUMNS = (
    "id", "workspace_id", "account_id", "platform_post_id", "url", "media_type", "posted_at",
    "caption", "hashtags", "mentions", "likes", "comments", "shares", "saves", "views",
    "is_sponsored", "created_at", "updated_at",
)  # fmt: skip
COMMENT_COLUMNS = (
    "workspace_id", "post_id", "external_id", "author_handle", "text", "posted_at", "likes",
    "created_at", "updated_at",
)  # fmt: skip
CAPTION_PLACES = vocab.PLACES["US"] + vocab.PLACES["GB"] + vocab.PLACES["DE"]
COMMENTER_FIRSTS = tuple(
    sorted({unicodedata.normalize("NFKD", f).encode("ascii", "ignore").decode().lower()
            for _, _, firsts, _ in vocab.COUNTRIES.values() for f in firsts})
)  # fmt: skip


@dataclass
class AccountPlan:
    platform: str
    handle: str
    followers: int
    category: str
    categories: list[str]
    er_factor: float
    designed: DesignedAccount | None = None


@dataclass
class CreatorPlan:
    name: str
    first_name: str
    country: str
    language: str
    categories: list[str]
    accounts: list[AccountPlan] = field(default_factory=list)


@dataclass
class PostArrays:
    """One account's generated posts, newest first (ids are given when they are written)."""

    offsets: np.ndarray
    posted_at: list[dt.datetime]
    likes: list[int]
    comments: list[int]
    shares: list[int]
    saves: list[int]
    views: list[int | None]
    media: list[str]
    platform_ids: list[str]
    urls: list[str]
    captions: list[str]
    tags: list[list[str]]
    ids: list[int] = field(default_factory=list)


@dataclass
class AccountData:
    plan: AccountPlan
    followers: np.ndarray
    following: int
    posts_count: np.ndarray
    posts: PostArrays


@dataclass
class PopulationCounts:
    creators: int = 0
    accounts: int = 0
    snapshots: int = 0
    posts: int = 0
    comments: int = 0
    follower_samples: int = 0


def ascii_slug(text: str) -> str:
    """'Léa Müller' -> 'leamuller': what fits in a handle."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def random_ids(
    rng: np.random.Generator, count: int, length: int, chars: str = ID_CHARS
) -> list[str]:
    """``count`` random strings of ``length`` characters from ``chars`` (vectorised)."""
    alphabet = np.frombuffer(chars.encode(), dtype="S1")
    picked = np.ascontiguousarray(alphabet[rng.integers(0, len(chars), (count, length))])
    return [b.decode() for b in picked.view(f"S{length}").ravel().tolist()]


class Population:
    """Plans and inserts the creator population of one demo workspace."""

    def __init__(
        self, *, workspace: Workspace, rng: np.random.Generator, end: dt.datetime, days: int
    ) -> None:
        self.workspace = workspace
        self.rng = rng
        self.end = end
        self.days = days
        self.benchmarks = metrics.load_er_benchmarks()
        self.seen: dict[str, set[str]] = {p: set() for p, _ in PLATFORM_WEIGHTS}
        for designed in DESIGNED_ACCOUNTS:
            self.seen[designed.platform].add(designed.handle)
        self.countries = list(vocab.COUNTRIES)
        weights = np.array([vocab.COUNTRIES[c][0] for c in self.countries])
        self.country_p = weights / weights.sum()
        self.categories = [c for c, _ in vocab.CATEGORIES]
        cat_w = np.array([w for _, w in vocab.CATEGORIES])
        self.category_p = cat_w / cat_w.sum()
        self.counts = PopulationCounts()

    # --- planning ----------------------------------------------------------------------

    def _draw_followers(self) -> int:
        while True:
            value = 10 ** self.rng.normal(3.95, 0.8)
            if 1_000 <= value < 20_000_000:
                return int(value)

    def _unique_handle(self, platform: str, candidates: list[str]) -> str:
        seen = self.seen[platform]
        for candidate in candidates:
            handle = candidate.strip("._")[:30]
            if handle and handle not in seen:
                seen.add(handle)
                return handle
        base = candidates[0].strip("._")[:24]
        while True:
            handle = f"{base}{int(self.rng.integers(10, 99_999))}"
            if handle not in seen:
                seen.add(handle)
                return handle

    def _handle_candidates(self, first: str, last: str, category: str) -> list[str]:
        f, la = ascii_slug(first), ascii_slug(last)
        word = str(self.rng.choice(vocab.HANDLE_WORDS[category]))
        nn = int(self.rng.integers(1, 99))
        patterns = [
            f"{f}.{word}",
            f"{f}_{word}",
            f"{word}with{f}",
            f"{f}{la}",
            f"{f}.{la}",
            f"the{word}{f}",
            f"{f}{word}{nn}",
            f"{f}_{la}{nn}",
            f"{f}goes{word}",
        ]
        order = self.rng.permutation(len(patterns))
        return [patterns[i] for i in order]

    def _plan_random_creator(self) -> CreatorPlan:
        rng = self.rng
        country = self.countries[int(rng.choice(len(self.countries), p=self.country_p))]
        _, language, firsts, lasts = vocab.COUNTRIES[country]
        if country == "CA" and rng.random() < 0.2:
            language = "fr"
        first, last = str(rng.choice(firsts)), str(rng.choice(lasts))
        n_cats = int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
        idx = rng.choice(len(self.categories), size=n_cats, replace=False, p=self.category_p)
        categories = [self.categories[i] for i in idx]
        plan = CreatorPlan(f"{first} {last}", first, country, language, categories)
        platforms = [p for p, _ in PLATFORM_WEIGHTS]
        p_weights = [w for _, w in PLATFORM_WEIGHTS]
        platform = platforms[int(rng.choice(3, p=p_weights))]
        candidates = self._handle_candidates(first, last, categories[0])
        handle = self._unique_handle(platform, candidates)
        followers = self._draw_followers()
        factor = float(np.clip(rng.lognormal(0.0, 0.25), 0.55, 1.8))
        plan.accounts.append(
            AccountPlan(platform, handle, followers, categories[0], categories, factor)
        )
        if rng.random() < SECOND_ACCOUNT_SHARE:
            other = platforms[int(rng.choice([i for i in range(3) if platforms[i] != platform]))]
            # creators usually keep their handle on a second platform
            handle2 = self._unique_handle(other, [handle, *candidates])
            followers2 = max(1_000, int(followers * rng.lognormal(-0.7, 0.8)))
            factor2 = float(np.clip(rng.lognormal(0.0, 0.25), 0.55, 1.8))
            plan.accounts.append(
                AccountPlan(other, handle2, followers2, categories[0], categories, factor2)
            )
        return plan

    def _plan_designed(self, designed: DesignedAccount) -> CreatorPlan:
        _, language, _, _ = vocab.COUNTRIES[designed.country]
        first = designed.name.split()[0]
        plan = CreatorPlan(designed.name, first, designed.country, language, [designed.category])
        plan.accounts.append(
            AccountPlan(
                designed.platform,
                designed.handle,
                designed.followers,
                designed.category,
                [designed.category],
                designed.er_factor,
                designed,
            )
        )
        return plan

    def plans(self, total: int) -> Iterator[CreatorPlan]:
        """The designed accounts first (fixed handles), then random creators up to ``total``."""
        for designed in DESIGNED_ACCOUNTS[:total]:
            yield self._plan_designed(designed)
        for _ in range(max(0, total - len(DESIGNED_ACCOUNTS))):
            yield self._plan_random_creator()

    # --- writing -----------------------------------------------------------------------

    def generate(self, total: int) -> PopulationCounts:
        self.now = adapt_datetime(self.end)
        start = self.end - dt.timedelta(days=self.days - 1)
        self.snapshot_times = [
            adapt_datetime(start + dt.timedelta(days=d)) for d in range(self.days)
        ]
        self.next_post_id = next_id(Post)
        chunk: list[CreatorPlan] = []
        for plan in self.plans(total):
            chunk.append(plan)
            if len(chunk) >= CHUNK_CREATORS:
                self._write_chunk(chunk)
                chunk = []
        if chunk:
            self._write_chunk(chunk)
        reset_sequences(Post)
        return self.counts

    def _write_chunk(self, plans: list[CreatorPlan]) -> None:
        ws = self.workspace
        creators = [
            Creator(
                workspace=ws,
                name=p.name,
                first_name=p.first_name,
                email=(
                    ""
                    if self.rng.random() < 0.08
                    else f"{ascii_slug(p.first_name)}.{p.accounts[0].handle}@example.com"
                ),
                country=p.country,
                language=p.language,
                categories=p.categories,
                do_not_contact=bool(self.rng.random() < 0.02),
            )
            for p in plans
        ]
        # A generator is the one place where bulk_create is right: no per-row services or
        # audit entries, just many rows fast (see STYLE.md for everything else).
        Creator.objects.bulk_create(creators, batch_size=BULK_BATCH)
        accounts: list[SocialAccount] = []
        data: list[AccountData] = []
        for creator, plan in zip(creators, plans, strict=True):
            for acct_plan in plan.accounts:
                account, rows = self._build_account(creator, plan, acct_plan)
                accounts.append(account)
                data.append(rows)
        SocialAccount.objects.bulk_create(accounts, batch_size=BULK_BATCH)
        c = self.counts
        c.creators += len(creators)
        c.accounts += len(accounts)
        c.snapshots += insert_rows(
            AccountSnapshot, SNAPSHOT_COLUMNS, self._snapshot_rows(accounts, data)
        )
        c.posts += insert_rows(Post, POST_COLUMNS, self._post_rows(accounts, data))
        comments: list[tuple[Any, ...]] = []
        samples: list[FollowerSample] = []
        for account, rows in zip(accounts, data, strict=True):
            comments.extend(self._comments(account, rows))
            if rows.plan.designed is not None:
                samples.extend(self._follower_sample(account, rows.plan.designed))
        c.comments += insert_rows(PostComment, COMMENT_COLUMNS, comments)
        FollowerSample.objects.bulk_create(samples, batch_size=BULK_BATCH)
        c.follower_samples += len(samples)

    def _snapshot_rows(
        self, accounts: list[SocialAccount], data: list[AccountData]
    ) -> Iterator[tuple[Any, ...]]:
        ws_id, now, times = self.workspace.pk, self.now, self.snapshot_times
        for account, rows in zip(accounts, data, strict=True):
            acc_id, following = account.pk, rows.following
            for taken_at, followers, posts_count in zip(
                times, rows.followers.tolist(), rows.posts_count.tolist(), strict=True
            ):
                yield (ws_id, acc_id, taken_at, followers, following, posts_count, "demo", now, now)

    def _post_rows(
        self, accounts: list[SocialAccount], data: list[AccountData]
    ) -> Iterator[tuple[Any, ...]]:
        ws_id, now, empty = self.workspace.pk, self.now, adapt_json([])
        as_time, as_json = datetime_adapter(), json_adapter()
        for account, rows in zip(accounts, data, strict=True):
            p = rows.posts
            p.ids = list(range(self.next_post_id, self.next_post_id + len(p.offsets)))
            self.next_post_id += len(p.offsets)
            for i, post_id in enumerate(p.ids):
                yield (
                    post_id, ws_id, account.pk, p.platform_ids[i], p.urls[i], p.media[i],
                    as_time(p.posted_at[i]), p.captions[i], as_json(p.tags[i]), empty,
                    p.likes[i], p.comments[i], p.shares[i], p.saves[i], p.views[i], False, now, now,
                )  # fmt: skip

    # --- one account -------------------------------------------------------------------

    def _trajectory(self, plan: AccountPlan) -> tuple[np.ndarray, np.ndarray]:
        """Daily followers (ints, oldest first, last = plan.followers) and the organic share
        (followers who are real and engage) per day."""
        rng, days = self.rng, self.days
        tier = metrics.tier(plan.followers)
        monthly = MONTHLY_GROWTH.get(tier, 0.03) * rng.lognormal(0.0, 0.5)
        if rng.random() < 0.1:
            monthly = -monthly / 3  # some accounts shrink slowly
        sigma = 0.0015 if tier == "nano" else 0.0009
        steps = rng.normal(monthly / 30, sigma, max(days - 1, 0))
        if plan.designed is not None:
            steps = np.clip(steps, monthly / 30 - sigma, monthly / 30 + sigma)
        organic = np.ones(days)
        for event in plan.designed.events if plan.designed else ():
            idx = days - 1 - event.days_ago  # the first day showing the change
            if 1 <= idx < days:
                steps[idx - 1] = math.log1p(event.change)
                if event.change > 0:
                    organic[idx:] /= 1 + event.change
                else:
                    organic[:idx] *= 1 + event.change
        tail = np.concatenate([np.cumsum(steps[::-1])[::-1], [0.0]])
        followers = np.rint(np.exp(math.log(plan.followers) - tail)).astype(np.int64)
        followers[-1] = plan.followers
        return np.maximum(followers, 0), organic

    def _build_account(
        self, creator: Creator, plan: CreatorPlan, acct: AccountPlan
    ) -> tuple[SocialAccount, AccountData]:
        rng, days, platform = self.rng, self.days, acct.platform
        followers, organic = self._trajectory(acct)
        tier = metrics.tier(acct.followers)
        typical_following = {"instagram": 450, "tiktok": 250}.get(platform)
        following = int(rng.lognormal(math.log(typical_following), 0.7)) if typical_following else 0
        base_posts = int(rng.lognormal(math.log({"youtube": 120}.get(platform, 300)), 0.6))
        posts = self._posts(acct, followers, organic, tier)
        # posts published by each snapshot: offsets are seconds before the end, newest first
        ascending = posts.offsets
        snap_offsets = (days - 1 - np.arange(days)) * 86_400.0
        published = len(ascending) - np.searchsorted(ascending, snap_offsets, side="left")
        account = SocialAccount(
            workspace=self.workspace,
            creator=creator,
            platform=platform,
            handle=acct.handle,
            external_id=self._external_id(platform),
            url=_profile_url(platform, acct.handle),
            display_name=plan.name if rng.random() < 0.7 else f"{plan.first_name} | {acct.handle}",
            followers=acct.followers,
            following=following,
            posts_count=base_posts + len(posts.offsets),
            bio=self._bio(plan, acct),
            country=plan.country,
            language=plan.language,
            categories=acct.categories,
            verified=bool(rng.random() < {"mega": 0.7, "macro": 0.25, "micro": 0.03}.get(tier, 0)),
            last_synced_at=self.end,
            # what search reads (creators/search_texts.py): the newest captions, one a line
            recent_captions="\n".join(
                caption_line(c) for c in posts.captions[:SEARCH_CAPTIONS] if caption_line(c)
            ),
        )
        # Only the newest 12 posts and the two snapshots 30 days apart enter the formulas, so
        # pass just those (same result as all rows, far fewer objects).
        newest = [
            metrics.PostStats(posts.likes[i], posts.comments[i], posts.views[i], posts.posted_at[i])
            for i in range(min(len(posts.offsets), stats.LAST_N_POSTS))
        ]
        ends = [days - 1 - stats.GROWTH_DAYS, days - 1] if days > stats.GROWTH_DAYS else []
        start = self.end - dt.timedelta(days=days - 1)
        points = [
            metrics.SnapshotPoint(start + dt.timedelta(days=d), int(followers[d])) for d in ends
        ]
        apply_stats(
            account,
            stats.account_stats_from_rows(
                platform=platform, followers=acct.followers, posts=newest, snapshots=points
            ),
        )
        return account, AccountData(acct, followers, following, base_posts + published, posts)

    def _external_id(self, platform: str) -> str:
        if platform == "youtube":
            return "UC" + random_ids(self.rng, 1, 22, YT_ID_CHARS)[0]
        digits = random_ids(self.rng, 1, 11, string.digits)[0]
        return ("178414" if platform == "instagram" else "68") + digits

    def _bio(self, plan: CreatorPlan, acct: AccountPlan) -> str:
        rng = self.rng
        lines = vocab.BIO_LINES[acct.category]
        line = lines[int(rng.integers(0, len(lines)))]
        extras = rng.choice(len(vocab.BIO_EXTRAS), size=2, replace=False)
        places = vocab.PLACES[plan.country]
        place = places[int(rng.integers(0, len(places)))]
        parts = [line, *(vocab.BIO_EXTRAS[i].format(place=place) for i in extras)]
        return " | ".join(parts)

    def _posts(
        self, acct: AccountPlan, followers: np.ndarray, organic: np.ndarray, tier: str
    ) -> PostArrays:
        """Posts over the window, newest first, with likes, comments and views that follow the
        account's followers, ER factor and platform."""
        rng, days, platform = self.rng, self.days, acct.platform
        rate = POSTS_PER_WEEK[platform] * rng.lognormal(0.0, 0.35)
        count = max(3, int(rng.poisson(rate * days / 7))) if days > 0 else 0
        # seconds back from the end, newest first
        offsets = np.sort(rng.uniform(600, max(days, 1) * 86_400 - 600, count))
        day_idx = np.clip(days - 1 - (offsets // 86_400).astype(np.int64), 0, max(days - 1, 0))
        base = followers[day_idx] * organic[day_idx] if days else np.zeros(0)
        bench = self.benchmarks.rate(platform, tier) or 2.0
        lo, hi = COMMENT_SHARE[platform]
        designed_share = acct.designed.comment_share if acct.designed else None
        share = designed_share or rng.uniform(lo, hi)
        noise = rng.lognormal(0.0, 0.3, count)
        if platform == "instagram":
            reel = rng.random(count) < 0.4
            interactions = base * bench * acct.er_factor / 100 * noise
            views = np.where(reel, np.rint(base * rng.uniform(0.25, 1.0, count)), -1)
            carousel = rng.random(count) < 0.4
            media = np.where(reel, "reel", np.where(carousel, "carousel", "image")).tolist()
        else:
            view_rate = VIEW_RATE[platform].get(tier, 1.0) * rng.lognormal(0.0, 0.3)
            views = np.rint(base * view_rate * rng.lognormal(0.0, 0.5, count))
            interactions = views * bench * acct.er_factor / 100 * noise
            short = rng.random(count) < 0.2
            media = (
                np.where(short, "short", "video").tolist()
                if platform == "youtube"
                else ["video"] * count
            )
        likes = np.rint(interactions * (1 - share)).astype(np.int64)
        comments = np.rint(interactions * share).astype(np.int64)
        shares = np.rint(likes * rng.uniform(0.01, 0.08, count)).astype(np.int64)
        saves = np.rint(likes * rng.uniform(0.01, 0.06, count)).astype(np.int64)
        if platform != "instagram":
            saves[:] = 0
        platform_ids, urls = self._post_ids(platform, acct.handle, count)
        captions, tags = self._captions(acct, count)
        return PostArrays(
            offsets=offsets,
            posted_at=[self.end - dt.timedelta(seconds=float(o)) for o in offsets],
            likes=likes.tolist(),
            comments=comments.tolist(),
            shares=shares.tolist(),
            saves=saves.tolist(),
            views=[None if v < 0 else int(v) for v in views.tolist()],
            media=media,
            platform_ids=platform_ids,
            urls=urls,
            captions=captions,
            tags=tags,
        )

    def _post_ids(self, platform: str, handle: str, count: int) -> tuple[list[str], list[str]]:
        if platform == "youtube":
            ids = random_ids(self.rng, count, 11, YT_ID_CHARS)
            return ids, [f"https://www.youtube.com/watch?v={v}" for v in ids]
        if platform == "tiktok":
            ids = ["73" + v for v in random_ids(self.rng, count, 17, string.digits)]
            return ids, [f"https://www.tiktok.com/@{handle}/video/{v}" for v in ids]
        ids = ["179" + v for v in random_ids(self.rng, count, 15, string.digits)]
        codes = random_ids(self.rng, count, 11, YT_ID_CHARS)
        return ids, [f"https://www.instagram.com/p/{c}/" for c in codes]

    def _captions(self, acct: AccountPlan, count: int) -> tuple[list[str], list[list[str]]]:
        rng = self.rng
        cats = rng.integers(0, len(acct.categories), count)
        picks = rng.random((count, 3))
        n_tags = rng.integers(2, 6, count)
        captions, all_tags = [], []
        for i in range(count):
            category = acct.categories[int(cats[i])]
            lines = vocab.CAPTION_LINES[category]
            line = lines[int(picks[i, 0] * len(lines))]
            place = CAPTION_PLACES[int(picks[i, 1] * len(CAPTION_PLACES))]
            pool = vocab.HASHTAGS[category] + ("getoutside",)
            first = int(picks[i, 2] * len(pool))
            tags = [pool[(first + j) % len(pool)] for j in range(min(int(n_tags[i]), len(pool)))]
            captions.append(line.format(place=place) + "\n\n" + " ".join(f"#{t}" for t in tags))
            all_tags.append(tags)
        return captions, all_tags

    def _comment_author(self) -> str:
        rng = self.rng
        word = vocab.COMMENTER_WORDS[int(rng.integers(0, len(vocab.COMMENTER_WORDS)))]
        first = COMMENTER_FIRSTS[int(rng.integers(0, len(COMMENTER_FIRSTS)))]
        return f"{word}.{first}{int(rng.integers(1, 999))}"

    def _comments(self, account: SocialAccount, data: AccountData) -> list[tuple[Any, ...]]:
        """Comment rows for the newest posts of some accounts (all designed ones).

        Pods: mostly generic comments from a fixed dozen of accounts, repeated across posts.
        Others: mostly specific comments from varied people, a fifth generic (none for the
        clean controls).
        """
        rng, designed, posts = self.rng, data.plan.designed, data.posts
        is_pod = designed is not None and designed.label == ENGAGEMENT_POD
        # clean controls get only specific comments, so they are unambiguous in tests
        generic_share = 0.0 if designed is not None and not designed.is_suspicious else 0.2
        if designed is None and rng.random() >= COMMENT_ROWS_SHARE:
            return []
        pod = [f"pod.{w}.{account.handle[:6]}{n}" for n, w in enumerate(vocab.COMMENTER_WORDS)]
        rows = []
        ws_id, now = self.workspace.pk, self.now
        for i in range(min(8 if is_pod else 3, len(posts.ids))):
            n = int(rng.integers(10, 15)) if is_pod else int(rng.integers(3, 8))
            for k in range(min(n, max(posts.comments[i], 1))):
                if is_pod and rng.random() < 0.85:
                    text = vocab.GENERIC_COMMENTS[int(rng.integers(0, 5))]
                    author = pod[int(rng.integers(0, len(pod)))]
                elif rng.random() < generic_share:
                    text = vocab.GENERIC_COMMENTS[int(rng.integers(0, len(vocab.GENERIC_COMMENTS)))]
                    author = self._comment_author()
                else:
                    text = vocab.SPECIFIC_COMMENTS[
                        int(rng.integers(0, len(vocab.SPECIFIC_COMMENTS)))
                    ]
                    author = self._comment_author()
                posted = posts.posted_at[i] + dt.timedelta(minutes=float(rng.uniform(2, 2_000)))
                rows.append(
                    (
                        ws_id,
                        posts.ids[i],
                        f"{posts.platform_ids[i]}_{k}",
                        author,
                        text,
                        adapt_datetime(min(posted, self.end)),
                        int(rng.poisson(1.5)),
                        now,
                        now,
                    )
                )
        return rows

    def _follower_sample(self, account: SocialAccount, designed: DesignedAccount) -> list[Any]:
        """A sample of followers for the designed accounts (audience quality, issue 4 point 2):
        fake-looking profiles follow thousands, have few followers, no posts and no picture."""
        rng = self.rng
        rows = []
        for k in range(FOLLOWER_SAMPLE_SIZE):
            fake = rng.random() < designed.fake_follower_share
            if fake:
                letters = random_ids(rng, 1, 4, string.ascii_lowercase)[0]
                handle = f"{letters}{rng.integers(10**6, 10**8)}"
                row = FollowerSample(
                    workspace=self.workspace,
                    account=account,
                    handle=f"{handle}_{k}",
                    followers=int(rng.integers(0, 40)),
                    following=int(rng.integers(1_000, 7_500)),
                    posts=int(rng.integers(0, 3)),
                    has_profile_pic=bool(rng.random() < 0.3),
                    is_private=bool(rng.random() < 0.2),
                    bio_length=0 if rng.random() < 0.85 else int(rng.integers(1, 20)),
                )
            else:
                row = FollowerSample(
                    workspace=self.workspace,
                    account=account,
                    handle=f"{self._comment_author()}_{k}",
                    followers=int(rng.lognormal(math.log(400), 1.0)),
                    following=int(rng.lognormal(math.log(350), 0.6)),
                    posts=int(rng.lognormal(math.log(120), 1.0)),
                    has_profile_pic=bool(rng.random() < 0.95),
                    is_private=bool(rng.random() < 0.3),
                    bio_length=int(rng.integers(0, 150)),
                )
            rows.append(row)
        return rows


def _profile_url(platform: str, handle: str) -> str:
    if platform == "instagram":
        return f"https://www.instagram.com/{handle}/"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{handle}"
    return f"https://www.youtube.com/@{handle}"
