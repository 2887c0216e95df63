"""Survey answers over the API: list with filters, one answer, change, delete, CSV import and
the summary (count, mean score with its 95% interval); isolation, roles, 422s naming fields,
audit and the query count of the list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from infludesk.campaigns import surveys
from infludesk.campaigns.models import SurveyResponse
from infludesk.core.models import AuditEntry
from tests.api.conftest import API, ApiClient
from tests.factories import CampaignFactory, DealFactory

pytestmark = pytest.mark.django_db

# token lookup + the campaign + COUNT + one page of answers
LIST_QUERIES = 4


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, objective="insight")


@pytest.fixture
def deal(campaign):
    return DealFactory(workspace=campaign.workspace, campaign=campaign)


def answer(campaign, by, **fields) -> SurveyResponse:
    row, _ = surveys.survey_answer_save(campaign=campaign, by=by, **fields)
    return row


def stored(campaign) -> list[tuple[str, str, str, Decimal | None]]:
    return list(
        SurveyResponse.objects.filter(campaign=campaign)
        .order_by("respondent_ref", "question")
        .values_list("respondent_ref", "question", "answer", "score")
    )


def upload(api: ApiClient, campaign_id: int, text: str | bytes, name: str = "answers.csv"):
    data = text.encode() if isinstance(text, str) else text
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return api.client.post(f"{API}/campaigns/{campaign_id}/survey-responses/import", {"file": file})


# --- one answer ----------------------------------------------------------------------------


def test_given_a_manager_when_posting_an_answer_then_201_stored_and_audited(
    manager_api, manager, campaign, deal
):
    # when
    response = manager_api.post(
        f"/campaigns/{campaign.pk}/survey-responses",
        {
            "question": " Rate the grip ",
            "answer": "Great on mud",
            "score": 8.5,
            "respondent_ref": "r1",
            "answered_at": "2026-11-20T10:00:00Z",
            "deal_id": deal.pk,
        },
    )
    # then
    assert response.status_code == 201
    row = SurveyResponse.objects.get()
    assert response.json() == {
        "id": row.pk,
        "campaign_id": campaign.pk,
        "deal_id": deal.pk,
        "creator_id": deal.creator_id,
        "question": "Rate the grip",
        "answer": "Great on mud",
        "score": "8.500",
        "respondent_ref": "r1",
        "answered_at": "2026-11-20T10:00:00Z",
        "source": "form",
    }
    entry = AuditEntry.objects.get(action="survey.answer_create")
    assert (entry.actor, entry.target_id) == (manager, str(row.pk))


def test_given_the_same_respondent_and_question_when_posted_again_then_200_updated(
    owner_api, owner, campaign
):
    first = answer(campaign, owner, question="Q", score=5, respondent_ref="r1")
    # when
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/survey-responses",
        {"question": "Q", "score": 7, "respondent_ref": "r1"},
    )
    # then
    assert (response.status_code, response.json()["id"]) == (200, first.pk)
    assert stored(campaign) == [("r1", "Q", "", Decimal("7.000"))]
    assert AuditEntry.objects.filter(action="survey.answer_update").count() == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"question": "", "answer": ""},
            [
                {"field": "question", "message": "Give the question this answers."},
                {"field": "answer", "message": "Give the answer text, a score, or both."},
            ],
        ),
        ({"answer": "Yes"}, [{"field": "question", "message": "This field is required."}]),
        (
            {"question": "Q", "score": "lots"},
            [{"field": "score", "message": "Input should be a valid decimal"}],
        ),
        (
            {"question": "Q", "score": 10**7},
            [
                {
                    "field": "score",
                    "message": "Scores must be numbers between -999999 and 999999.",
                }
            ],
        ),
        (
            {"question": "Q", "answer": "a\x00b"},
            [{"field": "answer", "message": "Text cannot contain NUL (\\u0000) characters."}],
        ),
        (
            {"question": "Q" * 301, "answer": "x"},
            [{"field": "question", "message": "String should have at most 300 characters"}],
        ),
        (
            {"question": "Q", "answer": "x", "deal_id": 999_999},
            [{"field": "deal_id", "message": "No deal 999999 in this campaign."}],
        ),
        (
            {"question": "Q", "answer": "x", "answered_at": "21/11/2026"},
            [
                {
                    "field": "answered_at",
                    "message": "Input should be a valid datetime or date, "
                    "invalid character in year",
                }
            ],
        ),
        (
            {"question": "Q", "answer": "x", "mood": "happy"},
            [{"field": "mood", "message": "Extra inputs are not permitted"}],
        ),
    ],
)
def test_given_bad_input_when_posting_then_422_naming_the_field_and_nothing_stored(
    owner_api, campaign, body, errors
):
    response = owner_api.post(f"/campaigns/{campaign.pk}/survey-responses", body)
    assert response.status_code == 422
    assert response.json() == {"detail": "Invalid input.", "errors": errors}
    assert SurveyResponse.objects.count() == 0


def test_given_another_campaigns_deal_then_422_on_deal_id(owner_api, owner, campaign, workspace):
    elsewhere = DealFactory(workspace=workspace, campaign=CampaignFactory(workspace=workspace))
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/survey-responses",
        {"question": "Q", "answer": "x", "deal_id": elsewhere.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "deal_id", "message": f"No deal {elsewhere.pk} in this campaign."}
    ]


# --- change and delete ---------------------------------------------------------------------


def test_given_an_answer_when_patched_then_only_the_sent_fields_change_and_audited(
    owner_api, owner, campaign, deal
):
    row = answer(
        campaign, owner, question="Q", answer="Meh", score=4, respondent_ref="r1", deal_id=deal.pk
    )
    # when
    response = owner_api.patch(f"/survey-responses/{row.pk}", {"score": "9", "deal_id": None})
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["answer"], body["score"], body["deal_id"], body["creator_id"]) == (
        "Meh",
        "9.000",
        None,
        None,
    )
    row.refresh_from_db()
    assert (row.question, row.answer, row.score, row.deal_id) == ("Q", "Meh", Decimal("9"), None)
    entry = AuditEntry.objects.get(action="survey.answer_update")
    assert entry.changes["score"] == ["4.000", "9.000"]


def test_given_a_patch_onto_another_answers_respondent_and_question_then_422_and_unchanged(
    owner_api, owner, campaign
):
    kept = answer(campaign, owner, question="Q", answer="A", respondent_ref="r1")
    row = answer(campaign, owner, question="Q", answer="B", respondent_ref="r2")
    # when
    response = owner_api.patch(f"/survey-responses/{row.pk}", {"respondent_ref": "r1"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "respondent_ref",
            "message": f"Answer {kept.pk} already holds this respondent's answer to this question.",
        }
    ]
    assert stored(campaign) == [("r1", "Q", "A", None), ("r2", "Q", "B", None)]


def test_given_a_patch_clearing_the_only_content_then_422_on_answer(owner_api, owner, campaign):
    row = answer(campaign, owner, question="Q", answer="", score=3)
    response = owner_api.patch(f"/survey-responses/{row.pk}", {"score": None})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "answer", "message": "Give the answer text, a score, or both."}
    ]
    row.refresh_from_db()
    assert row.score == Decimal("3")


def test_given_an_answer_when_deleted_then_204_gone_and_audited(owner_api, owner, campaign):
    row = answer(campaign, owner, question="Q", answer="A")
    response = owner_api.delete(f"/survey-responses/{row.pk}")
    assert response.status_code == 204
    assert SurveyResponse.objects.count() == 0
    entry = AuditEntry.objects.get(action="survey.answer_delete")
    assert (entry.actor, entry.target_id) == (owner, str(row.pk))


# --- list ----------------------------------------------------------------------------------


def test_given_answers_when_listing_with_filters_then_newest_first_and_filtered(
    owner_api, owner, campaign, deal
):
    day = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    a = answer(campaign, owner, question="Grip", score=8, answered_at=day, deal_id=deal.pk)
    b = answer(campaign, owner, question="Grip", score=6, answered_at=day + dt.timedelta(days=1))
    c = answer(campaign, owner, question="Buy?", answer="Yes", answered_at=day)
    answer(CampaignFactory(workspace=campaign.workspace), owner, question="Grip", answer="x")
    path = f"/campaigns/{campaign.pk}/survey-responses"
    # when / then
    everything = owner_api.get(path).json()
    assert (everything["count"], [r["id"] for r in everything["items"]]) == (3, [b.pk, c.pk, a.pk])
    assert [r["id"] for r in owner_api.get(path, question="Grip").json()["items"]] == [b.pk, a.pk]
    assert [r["id"] for r in owner_api.get(path, deal_id=deal.pk).json()["items"]] == [a.pk]
    assert [r["id"] for r in owner_api.get(path, question="").json()["items"]] == [b.pk, c.pk, a.pk]
    paged = owner_api.get(path, page=2, page_size=2).json()
    assert (paged["count"], [r["id"] for r in paged["items"]], paged["next"]) == (3, [a.pk], None)


def test_given_a_bad_filter_then_422_naming_it(owner_api, campaign):
    response = owner_api.get(f"/campaigns/{campaign.pk}/survey-responses", deal_id="abc")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["deal_id"]


def test_given_30_answers_when_listing_then_4_queries(
    owner_api, owner, campaign, deal, django_assert_num_queries
):
    for n in range(30):
        answer(
            campaign, owner, question=f"Q{n % 3}", score=n, respondent_ref=f"r{n}", deal_id=deal.pk
        )
    owner_api.get("/kpis")  # the first use of a token also stamps last_used_at
    with django_assert_num_queries(LIST_QUERIES):
        response = owner_api.get(f"/campaigns/{campaign.pk}/survey-responses")
    assert (response.json()["count"], len(response.json()["items"])) == (30, 30)


# --- CSV import ----------------------------------------------------------------------------

CSV = (
    "Question,Respondent_Ref,Answer,Score,Answered_At,Deal_ID\n"
    "Rate the grip,r1,Great on mud,9,2026-11-20,{deal}\n"
    "Rate the grip,r2,,7,2026-11-21T10:00:00Z,\n"
    "Rate the grip,r3,,lots,2026-11-21,\n"
    ",r4,No question,5,,\n"
    "Would you buy again?,r1,Yes,,,\n"
    "Rate the grip,,Anonymous,8,,\n"
)


def test_given_a_csv_when_imported_then_good_rows_land_and_errors_name_line_and_field(
    owner_api, owner, campaign, deal
):
    # when
    response = upload(owner_api, campaign.pk, CSV.format(deal=deal.pk))
    # then
    assert response.status_code == 200
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": [
            {"line": 4, "field": "score", "message": "'lots' is not a number."},
            {"line": 5, "field": "question", "message": "Give the question this answers."},
            {
                "line": 7,
                "field": "respondent_ref",
                "message": "Needed, so importing the file again does not duplicate.",
            },
        ],
    }
    assert stored(campaign) == [
        ("r1", "Rate the grip", "Great on mud", Decimal("9.000")),
        ("r1", "Would you buy again?", "Yes", None),
        ("r2", "Rate the grip", "", Decimal("7.000")),
    ]
    entry = AuditEntry.objects.get(action="survey.import")
    assert (entry.actor, entry.changes["created"]) == (owner, [None, 3])


def test_given_an_imported_csv_when_imported_again_changed_then_updated_not_duplicated(
    owner_api, campaign, deal
):
    upload(owner_api, campaign.pk, CSV.format(deal=deal.pk))
    # when
    again = upload(owner_api, campaign.pk, CSV.format(deal=deal.pk).replace(",r2,,7,", ",r2,,3,"))
    # then
    assert {k: again.json()[k] for k in ("created", "updated", "unchanged")} == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
    }
    assert SurveyResponse.objects.filter(campaign=campaign).count() == 3
    assert SurveyResponse.objects.get(respondent_ref="r2").score == Decimal("3.000")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("question,answer\nQ,A\n", "missing column(s): respondent_ref"),
        ("question,respondent_ref\nQ,r1\n", "missing column(s): answer or score"),
        (b"question,respondent_ref,answer\nQ,r1,\xff\n", "answers.csv is not UTF-8 text."),
    ],
)
def test_given_an_unreadable_csv_then_422_on_file_and_nothing_stored(
    owner_api, campaign, data, message
):
    response = upload(owner_api, campaign.pk, data)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": message}]
    assert SurveyResponse.objects.count() == 0


def test_given_a_field_over_the_csv_limit_then_the_rows_before_land_and_the_line_is_named(
    owner_api, campaign
):
    text = "question,respondent_ref,answer\nQ,r1,fine\nQ,r2," + "x" * 200_000 + "\n"
    response = upload(owner_api, campaign.pk, text)
    assert response.status_code == 200
    assert response.json()["errors"] == [
        {
            "line": 3,
            "field": "file",
            "message": "unreadable CSV: field larger than field limit (131072)",
        }
    ]
    assert stored(campaign) == [("r1", "Q", "fine", None)]


def test_given_no_file_part_then_422_naming_file(owner_api, campaign):
    response = owner_api.client.post(f"{API}/campaigns/{campaign.pk}/survey-responses/import", {})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "This field is required."}]


# --- summary -------------------------------------------------------------------------------


def test_given_scored_and_text_answers_when_summarised_then_counts_means_and_intervals(
    owner_api, owner, campaign
):
    for n, score in enumerate([4, 5, 3, 4, 4]):
        answer(campaign, owner, question="Grip", score=score, respondent_ref=f"r{n}")
    answer(campaign, owner, question="Grip", answer="no idea")
    answer(campaign, owner, question="Fit", score=7, respondent_ref="r1")
    answer(campaign, owner, question="Buy?", answer="Yes")
    answer(campaign, owner, question="Buy?", answer="No")
    # when
    response = owner_api.get(f"/campaigns/{campaign.pk}/survey-summary")
    # then: Grip 4, 5, 3, 4, 4: mean 4, s = 0.7071, t(0.975, 4) = 2.7764, 3.12201 to 4.87799;
    # all six 4, 5, 3, 4, 4, 7: mean 4.5, s = sqrt(9.5 / 5) = 1.3784, SE = 0.5627,
    # t(0.975, 5) = 2.5706, half width 1.44654, 3.05346 to 5.94654
    assert response.status_code == 200
    assert response.json() == {
        "campaign_id": campaign.pk,
        "total": {
            "answers": 9,
            "scored": 6,
            "mean_score": 4.5,
            "ci_low": 3.0535,
            "ci_high": 5.9465,
        },
        "questions": [
            {
                "question": "Grip",
                "answers": 6,
                "scored": 5,
                "mean_score": 4.0,
                "ci_low": 3.122,
                "ci_high": 4.878,
            },
            {
                "question": "Buy?",
                "answers": 2,
                "scored": 0,
                "mean_score": None,
                "ci_low": None,
                "ci_high": None,
            },
            {
                "question": "Fit",
                "answers": 1,
                "scored": 1,
                "mean_score": 7.0,
                "ci_low": None,
                "ci_high": None,
            },
        ],
    }


def test_given_no_answers_when_summarised_then_zero_counts(owner_api, campaign):
    response = owner_api.get(f"/campaigns/{campaign.pk}/survey-summary")
    assert response.json() == {
        "campaign_id": campaign.pk,
        "total": {"answers": 0, "scored": 0, "mean_score": None, "ci_low": None, "ci_high": None},
        "questions": [],
    }


# --- roles and workspaces ------------------------------------------------------------------


def test_given_a_viewer_then_every_write_is_403_and_nothing_changes(viewer_api, owner, campaign):
    row = answer(campaign, owner, question="Q", answer="A", respondent_ref="r1")
    path = f"/campaigns/{campaign.pk}/survey-responses"
    assert viewer_api.post(path, {"question": "Q", "answer": "B"}).status_code == 403
    assert viewer_api.patch(f"/survey-responses/{row.pk}", {"answer": "B"}).status_code == 403
    assert viewer_api.delete(f"/survey-responses/{row.pk}").status_code == 403
    assert (
        upload(viewer_api, campaign.pk, "question,respondent_ref,answer\nQ,r2,B\n").status_code
        == 403
    )
    assert viewer_api.get(path).status_code == 200
    assert viewer_api.get(f"/campaigns/{campaign.pk}/survey-summary").status_code == 200
    assert stored(campaign) == [("r1", "Q", "A", None)]


def test_given_another_workspace_then_every_survey_endpoint_is_404_and_nothing_changes(
    other_api, owner, campaign
):
    row = answer(campaign, owner, question="Q", answer="A", respondent_ref="r1")
    path = f"/campaigns/{campaign.pk}/survey-responses"
    responses = [
        other_api.get(path),
        other_api.post(path, {"question": "Q", "answer": "B"}),
        other_api.patch(f"/survey-responses/{row.pk}", {"answer": "B"}),
        other_api.delete(f"/survey-responses/{row.pk}"),
        upload(other_api, campaign.pk, "question,respondent_ref,answer\nQ,r2,B\n"),
        other_api.get(f"/campaigns/{campaign.pk}/survey-summary"),
    ]
    assert [r.status_code for r in responses] == [404] * 6
    assert responses[0].json() == {"detail": "Not found.", "errors": []}
    assert stored(campaign) == [("r1", "Q", "A", None)]
    assert not AuditEntry.objects.filter(action__startswith="survey.", actor__isnull=True).exists()
    assert AuditEntry.objects.filter(action__startswith="survey.").count() == 1


def test_given_no_credentials_then_401(anonymous_api, campaign):
    assert anonymous_api.get(f"/campaigns/{campaign.pk}/survey-responses").status_code == 401
