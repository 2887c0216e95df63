"""What the audience said about the demo campaigns: comments on the live posts (the sentiment
KPI) and the answers to a post-campaign survey (the survey answers KPI).

- Comments: every live post of a campaign gets 4-9 English comments, more when the campaign has
  few live posts, so each campaign with live posts has at least ``MIN_COMMENTS_PER_CAMPAIGN``
  (above the sentiment KPI's minimum of 30). Each comment is positive, neutral or negative by
  the campaign's mix (``MIX``), the text drawn from the lists below, which VADER labels as named
  (tests/demo/test_feedback.py checks every text).
- Survey: ``SURVEY_RESPONDENTS`` respondents of the completed campaign each answer the two
  ``SURVEY_QUESTIONS`` with a score 1-5 (weights ``SCORE_P``) and a short answer, as a CSV
  import would store them (source "csv", one row per respondent and question).

Its own random stream, so the rest of the demo stays the same for a seed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from infludesk.campaigns.models import Campaign, DealPost, SurveyResponse
from infludesk.core.models import Workspace
from infludesk.creators.models import PostComment
from infludesk.demo import vocab
from infludesk.demo.population import COMMENTER_FIRSTS

MIN_COMMENTS_PER_CAMPAIGN = 40
COMMENTS_PER_POST = (4, 10)  # integers drawn in [4, 10)
# (positive, neutral, negative) shares per campaign slug; others use DEFAULT_MIX
MIX = {
    "summer-trail-collection": (0.62, 0.25, 0.13),
    "fall-layering-launch": (0.5, 0.28, 0.22),
}
DEFAULT_MIX = (0.55, 0.3, 0.15)
SURVEY_CAMPAIGN = "summer-trail-collection"
SURVEY_RESPONDENTS = 20
SURVEY_QUESTIONS = (
    "After seeing the creator's post, how likely are you to buy the Trail Runner 2? (1-5)",
    "How well did the post show the shoes in real use? (1-5)",
)
SCORE_P = (0.06, 0.1, 0.22, 0.36, 0.26)  # scores 1..5

POSITIVE_COMMENTS = (
    "Love this! The fit looks perfect",
    "These look amazing, ordering a pair today",
    "Great review, really helpful to see them on a wet trail",
    "Best trail shoes I have owned, so comfortable",
    "Awesome video, thanks for the code!",
    "The grip on those rocks is impressive",
    "So good to see honest gear reviews, thank you",
    "Just got mine and I love them 😍",
    "Beautiful spot and great gear",
    "Wow, happy to see Northwind here, great brand",
)
NEUTRAL_COMMENTS = (
    "Does it come in wide sizes?",
    "What size are you wearing?",
    "How many miles have you done in them?",
    "Is the code valid in Canada?",
    "Which trail is this?",
    "Are these the same as last year's model?",
    "Where did you buy them?",
    "How do they compare to the Trail Runner 1?",
)
NEGATIVE_COMMENTS = (
    "Mine fell apart after two months, disappointed",
    "Way too expensive, really bad value",
    "The sizing is terrible, had to return them",
    "Another boring paid ad, so fake",
    "Shipping took forever and support was awful",
    "They leak in heavy rain, not waterproof at all. Sad",
)
ANSWERS = {
    1: "Not for me",
    2: "Probably not",
    3: "Maybe, need to see them in a store",
    4: "Likely, the post was convincing",
    5: "Already bought a pair",
}


@dataclass
class FeedbackCounts:
    live_post_comments: int = 0
    survey_answers: int = 0


class Feedback:
    def __init__(self, *, workspace: Workspace, rng: np.random.Generator, end: dt.datetime):
        self.ws = workspace
        self.rng = rng
        self.end = end
        self.counts = FeedbackCounts()

    def generate(self) -> FeedbackCounts:
        live = list(
            DealPost.objects.filter(workspace=self.ws)
            .select_related("post", "deal__campaign")
            .order_by("pk")
        )
        by_campaign: dict[int, list[DealPost]] = {}
        for row in live:
            by_campaign.setdefault(row.deal.campaign_id, []).append(row)
        comments: list[PostComment] = []
        for rows in by_campaign.values():
            comments += self._comments(rows)
        PostComment.objects.bulk_create(comments, batch_size=2_000)
        self.counts.live_post_comments = len(comments)
        campaign = Campaign.objects.filter(workspace=self.ws, slug=SURVEY_CAMPAIGN).first()
        if campaign is not None:
            self._survey(campaign, by_campaign.get(campaign.pk, []))
        return self.counts

    def _author(self) -> str:
        rng = self.rng
        word = vocab.COMMENTER_WORDS[int(rng.integers(0, len(vocab.COMMENTER_WORDS)))]
        first = COMMENTER_FIRSTS[int(rng.integers(0, len(COMMENTER_FIRSTS)))]
        return f"{first}_{word}{int(rng.integers(1, 999))}"

    def _comments(self, rows: list[DealPost]) -> list[PostComment]:
        rng = self.rng
        mix = np.array(MIX.get(rows[0].deal.campaign.slug, DEFAULT_MIX))
        pools = (POSITIVE_COMMENTS, NEUTRAL_COMMENTS, NEGATIVE_COMMENTS)
        at_least = math.ceil(MIN_COMMENTS_PER_CAMPAIGN / len(rows))
        result = []
        for row in rows:
            post = row.post
            count = max(int(rng.integers(*COMMENTS_PER_POST)), at_least)
            for k in range(count):
                pool = pools[int(rng.choice(3, p=mix / mix.sum()))]
                posted = post.posted_at + dt.timedelta(minutes=float(rng.uniform(3, 4_000)))
                result.append(
                    PostComment(
                        workspace=self.ws,
                        post=post,
                        external_id=f"{post.platform_post_id}_c{k}",
                        author_handle=self._author(),
                        text=pool[int(rng.integers(0, len(pool)))],
                        posted_at=min(posted, self.end),
                        likes=int(rng.poisson(2.0)),
                    )
                )
        return result

    def _survey(self, campaign: Campaign, live: list[DealPost]) -> None:
        """Two answers from each respondent, linked to the deal whose post they saw."""
        rng = self.rng
        ends = campaign.ends_on or self.end.date()
        closed = min(self.end, dt.datetime.combine(ends, dt.time(), dt.UTC))
        answers = []
        for n in range(SURVEY_RESPONDENTS):
            deal = live[int(rng.integers(0, len(live)))].deal if live else None
            answered = closed - dt.timedelta(hours=float(rng.uniform(1, 10 * 24)))
            for question in SURVEY_QUESTIONS:
                score = int(rng.choice(5, p=SCORE_P)) + 1
                answers.append(
                    SurveyResponse(
                        workspace=self.ws,
                        campaign=campaign,
                        deal=deal,
                        creator_id=deal.creator_id if deal else None,
                        question=question,
                        answer=ANSWERS[score],
                        score=Decimal(score),
                        respondent_ref=f"survey-{n + 1:03d}",
                        answered_at=answered,
                        source="csv",
                    )
                )
        SurveyResponse.objects.bulk_create(answers)
        self.counts.survey_answers = len(answers)
