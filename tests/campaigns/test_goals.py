"""SMART goals: the catalogue, objective defaults, and clear rejections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns.goals import default_kpis, goal_create, goals_from_objective
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory

DEADLINE = dt.date(2026, 12, 15)


@pytest.mark.parametrize(
    ("objective", "keys"),
    [
        ("awareness", ["reach", "impressions", "follower_growth"]),
        ("engagement", ["engagement_rate", "comments", "shares", "ugc_pieces"]),
        ("conversions", ["clicks", "conversions", "cpa", "roi"]),
        ("insight", ["sentiment", "survey_answers"]),
    ],
)
def test_given_an_objective_then_its_default_kpis_are_proposed(objective, keys):
    assert [k.key for k in default_kpis(objective)] == keys


def test_given_a_full_goal_when_created_then_saved_and_audited(workspace, owner):
    campaign = CampaignFactory(workspace=workspace)
    goal = goal_create(
        campaign=campaign,
        metric="conversions",
        target="250",
        baseline="40",
        deadline=DEADLINE,
        by=owner,
    )
    assert (goal.metric, goal.target, goal.baseline, goal.deadline) == (
        "conversions",
        Decimal("250"),
        Decimal("40"),
        DEADLINE,
    )
    assert AuditEntry.objects.filter(action="goal.create", actor=owner).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"metric": "vibes"}, "metric", "'vibes' is not a measurable KPI"),
        ({"metric": ""}, "metric", "Choose the metric this goal measures."),
        ({"target": None}, "target", "Give a target number"),
        ({"target": "lots"}, "target", "'lots' is not a number."),
        ({"target": "-5"}, "target", "Must not be negative."),
        ({"deadline": None}, "deadline", "Give a deadline date."),
        ({"deadline": dt.date(2026, 10, 1)}, "deadline", "The deadline is before the campaign"),
    ],
)
def test_given_a_goal_missing_a_smart_part_when_created_then_rejected_naming_it(
    workspace, owner, kwargs, field, message
):
    campaign = CampaignFactory(workspace=workspace, starts_on=dt.date(2026, 11, 1))
    values = {"metric": "conversions", "target": "250", "deadline": DEADLINE, **kwargs}
    with pytest.raises(ValidationError) as err:
        goal_create(campaign=campaign, by=owner, **values)
    assert list(err.value.message_dict) == [field]
    assert err.value.message_dict[field][0].startswith(message)


def test_given_a_deal_of_another_campaign_when_a_creator_goal_is_added_then_rejected(workspace):
    campaign = CampaignFactory(workspace=workspace)
    other = DealFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        goal_create(
            campaign=campaign, metric="clicks", target=10, deadline=DEADLINE, deal=other, by=None
        )
    assert err.value.message_dict == {"deal": ["This deal belongs to another campaign."]}


def test_given_the_objective_defaults_when_targets_are_missing_then_named(workspace, owner):
    campaign = CampaignFactory(workspace=workspace, objective="awareness")
    with pytest.raises(ValidationError) as err:
        goals_from_objective(
            campaign=campaign, targets={"reach": 1_000_000}, deadline=DEADLINE, by=owner
        )
    assert err.value.message_dict == {
        "target": ["Give a target for: impressions, follower_growth."]
    }
    goals = goals_from_objective(
        campaign=campaign,
        targets={"reach": 1_000_000, "impressions": 2_500_000, "follower_growth": 5000},
        deadline=DEADLINE,
        by=owner,
    )
    assert [g.metric for g in goals] == ["reach", "impressions", "follower_growth"]
