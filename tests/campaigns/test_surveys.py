"""Survey answers: the entry form, the CSV import (line and column errors, good rows land,
re-import does not duplicate), audit, roles and workspace isolation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from infludesk.campaigns import surveys
from infludesk.campaigns.models import SurveyResponse
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory

CSV = (
    "Question,Respondent_Ref,Answer,Score,Answered_At,Deal_ID\n"
    "Rate the grip,r1,Great on mud,9,2026-11-20,{deal}\n"
    "Rate the grip,r2,,7,2026-11-21T10:00:00Z,\n"
    "Rate the grip,r3,,lots,2026-11-21,\n"
    ",r4,No question,5,,\n"
    "Would you buy again?,r1,Yes,,,\n"
    "Rate the grip,,Anonymous,8,,\n"
    "Rate the grip,r5,Fine,6,21/11/2026,\n"
    "Rate the grip,r6,Fine,6,,999999\n"
)


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, objective="insight")


@pytest.fixture
def deal(campaign):
    return DealFactory(workspace=campaign.workspace, campaign=campaign)


def rows(campaign) -> list[tuple[str, str, str, Decimal | None]]:
    return list(
        SurveyResponse.objects.filter(campaign=campaign)
        .order_by("respondent_ref", "question")
        .values_list("respondent_ref", "question", "answer", "score")
    )


# --- one answer ----------------------------------------------------------------------------


def test_given_an_answer_when_saved_then_stored_and_audited(campaign, deal, manager):
    row, outcome = surveys.survey_answer_save(
        campaign=campaign,
        by=manager,
        question=" Rate the grip ",
        answer="Great",
        score="8,5",
        respondent_ref="r1",
        deal_id=str(deal.pk),
    )
    assert outcome == "created"
    assert (row.question, row.score, row.deal, row.creator, row.source) == (
        "Rate the grip",
        Decimal("8.500"),
        deal,
        deal.creator,
        "form",
    )
    entry = AuditEntry.objects.get(action="survey.answer_create")
    assert (entry.actor, entry.target_id, entry.changes["score"]) == (
        manager,
        str(row.pk),
        [None, "8.500"],
    )


def test_given_the_same_respondent_and_question_then_updated_not_duplicated(campaign, manager):
    surveys.survey_answer_save(
        campaign=campaign, by=manager, question="Q", score=5, respondent_ref="r1"
    )
    _, again = surveys.survey_answer_save(
        campaign=campaign, by=manager, question="Q", score=5, respondent_ref="r1"
    )
    _, changed = surveys.survey_answer_save(
        campaign=campaign, by=manager, question="Q", score=6, respondent_ref="r1"
    )
    assert (again, changed) == ("unchanged", "updated")
    assert rows(campaign) == [("r1", "Q", "", Decimal("6.000"))]
    entry = AuditEntry.objects.get(action="survey.answer_update")
    assert entry.changes == {"score": ["5.000", "6.000"]}


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"question": "", "answer": "x"}, {"question": ["Give the question this answers."]}),
        ({"question": "Q"}, {"answer": ["Give the answer text, a score, or both."]}),
        ({"question": "Q", "score": "ten"}, {"score": ["'ten' is not a number."]}),
        (
            {"question": "Q", "score": "1e9"},
            {"score": ["Scores must be numbers between -999999 and 999999."]},
        ),
        (
            {"question": "Q", "answer": "x", "answered_at": "yesterday"},
            {"answered_at": ["'yesterday' is not an ISO 8601 date or date-time."]},
        ),
        (
            {"question": "Q", "answer": "x", "deal_id": "77"},
            {"deal_id": ["No deal 77 in this campaign."]},
        ),
        (
            {"question": "Q\x00", "answer": "x"},
            {"question": ["Text cannot contain NUL characters."]},
        ),
    ],
)
def test_given_bad_input_then_field_errors_and_nothing_saved(campaign, manager, fields, errors):
    with pytest.raises(ValidationError) as err:
        surveys.survey_answer_save(campaign=campaign, by=manager, **fields)
    assert err.value.message_dict == errors
    assert SurveyResponse.objects.count() == 0


def test_given_a_deal_of_another_campaign_then_refused(workspace, campaign, manager):
    elsewhere = DealFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        surveys.survey_answer_save(
            campaign=campaign, by=manager, question="Q", answer="x", deal_id=elsewhere.pk
        )
    assert err.value.message_dict == {"deal_id": [f"No deal {elsewhere.pk} in this campaign."]}


# --- CSV import ----------------------------------------------------------------------------


def test_given_a_csv_then_good_rows_land_and_bad_rows_are_reported_by_line_and_column(
    campaign, deal, manager
):
    # when
    result = surveys.survey_import_csv(
        campaign=campaign, by=manager, text=CSV.format(deal=deal.pk), filename="survey.csv"
    )
    # then
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.errors == [
        (4, "score", "'lots' is not a number."),
        (5, "question", "Give the question this answers."),
        (7, "respondent_ref", "Needed, so importing the file again does not duplicate."),
        (8, "answered_at", "'21/11/2026' is not an ISO 8601 date or date-time."),
        (9, "deal_id", "No deal 999999 in this campaign."),
    ]
    assert rows(campaign) == [
        ("r1", "Rate the grip", "Great on mud", Decimal("9.000")),
        ("r1", "Would you buy again?", "Yes", None),
        ("r2", "Rate the grip", "", Decimal("7.000")),
    ]
    first = SurveyResponse.objects.get(respondent_ref="r1", question="Rate the grip")
    assert (first.deal, first.answered_at.isoformat(), first.source) == (
        deal,
        "2026-11-20T00:00:00+00:00",
        "csv",
    )
    entry = AuditEntry.objects.get(action="survey.import")
    assert (entry.actor, entry.target_id, entry.changes) == (
        manager,
        str(campaign.pk),
        {
            "file": [None, "survey.csv"],
            "created": [None, 3],
            "updated": [None, 0],
            "errors": [None, 5],
        },
    )


def test_given_the_same_csv_twice_then_nothing_is_duplicated(campaign, deal, manager):
    text = CSV.format(deal=deal.pk)
    surveys.survey_import_csv(campaign=campaign, by=manager, text=text)
    # when
    again = surveys.survey_import_csv(campaign=campaign, by=manager, text=text)
    changed = surveys.survey_import_csv(
        campaign=campaign,
        by=manager,
        text="question,respondent_ref,score\nRate the grip,r2,8\n",
    )
    # then
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (changed.created, changed.updated) == (0, 1)
    assert SurveyResponse.objects.count() == 3
    assert SurveyResponse.objects.get(respondent_ref="r2").score == Decimal("8.000")
    assert AuditEntry.objects.filter(action="survey.import").count() == 2  # not the no-op


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("question,answer\n", "missing column(s): respondent_ref"),
        ("respondent_ref,question\n", "missing column(s): answer or score"),
        ("", "missing column(s): question, respondent_ref, answer or score"),
    ],
)
def test_given_a_bad_header_then_one_error_on_line_1(campaign, manager, header, message):
    result = surveys.survey_import_csv(campaign=campaign, by=manager, text=header + "a,b\n")
    assert result.errors == [(1, "header", message)]
    assert SurveyResponse.objects.count() == 0


# --- page ----------------------------------------------------------------------------------


def test_given_a_manager_when_adding_an_answer_on_the_page_then_listed(manager_client, campaign):
    url = f"/campaigns/{campaign.pk}/survey/"
    response = manager_client.post(
        url, {"action": "answer", "question": "Rate it", "answer": "Comfy", "score": "8"}
    )
    assert (response.status_code, response["Location"]) == (302, url)
    page = manager_client.get(url).content.decode()
    assert "<td>Rate it</td><td>Comfy</td>" in page
    assert 'Survey answers <span class="muted">(1)</span>' in page


def test_given_a_bad_answer_on_the_page_then_400_with_the_message(manager_client, campaign):
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/survey/", {"action": "answer", "question": "Q"}
    )
    assert response.status_code == 400
    assert "answer: Give the answer text, a score, or both." in response.content.decode()


def test_given_a_csv_on_the_page_then_the_result_and_row_errors_are_shown(
    manager_client, campaign, deal
):
    upload = SimpleUploadedFile("s.csv", CSV.format(deal=deal.pk).encode("utf-8-sig"))
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/survey/", {"action": "import", "csv": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Imported: 3 new, 0 updated, 0 unchanged, 5 row problem(s)." in page
    assert "<td>4</td><td>score</td><td>&#x27;lots&#x27; is not a number.</td>" in page
    assert SurveyResponse.objects.count() == 3


def test_given_a_viewer_then_writes_are_403_and_reads_work(viewer_client, campaign):
    url = f"/campaigns/{campaign.pk}/survey/"
    assert viewer_client.get(url).status_code == 200
    response = viewer_client.post(url, {"action": "answer", "question": "Q", "answer": "x"})
    assert response.status_code == 403
    assert SurveyResponse.objects.count() == 0


def test_given_another_workspace_then_404_and_nothing_changes(
    owner_client, other_workspace, other_owner
):
    theirs = CampaignFactory(workspace=other_workspace)
    surveys.survey_answer_save(campaign=theirs, by=other_owner, question="Q", answer="x")
    url = f"/campaigns/{theirs.pk}/survey/"
    assert owner_client.get(url).status_code == 404
    response = owner_client.post(url, {"action": "answer", "question": "Q2", "answer": "y"})
    assert response.status_code == 404
    answer = SurveyResponse.objects.get()
    response = owner_client.post(url, {"action": "delete", "answer_id": answer.pk})
    assert response.status_code == 404
    assert SurveyResponse.objects.count() == 1


def test_given_an_answer_when_deleted_on_the_page_then_gone_and_audited(
    manager_client, campaign, manager
):
    row, _ = surveys.survey_answer_save(campaign=campaign, by=manager, question="Q", score=1)
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/survey/", {"action": "delete", "answer_id": row.pk}
    )
    assert response.status_code == 302
    assert SurveyResponse.objects.count() == 0
    assert AuditEntry.objects.get(action="survey.answer_delete").target_id == str(row.pk)
