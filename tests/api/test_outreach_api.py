"""Outreach API: templates, preview, send through a real SMTP server (aiosmtpd), the thread,
pasted replies, do-not-contact, due follow-ups and the contract by email. Exact values, the
services' 4xx, 404 for another workspace's rows, 403 for viewers, pinned query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from infludesk.campaigns.models import Contract
from infludesk.core.models import AuditEntry
from infludesk.outreach import services
from infludesk.outreach.models import EmailMessage, EmailTemplate, EmailThread
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, DiscountCodeFactory

pytestmark = pytest.mark.django_db

SUBJECT = "{{campaign.product}} x {{creator.first_name}}"
BODY = "Hi {{creator.first_name}},\nyour code: {{deal.code}}\n"


@pytest.fixture
def deal(workspace):
    campaign = CampaignFactory(workspace=workspace, name="Spring Trails", product="Trail shoes")
    creator = CreatorFactory(
        workspace=workspace, name="Anna Berg", first_name="Anna", email="anna@creators.test"
    )
    deal = DealFactory(workspace=workspace, campaign=campaign, creator=creator)
    DiscountCodeFactory(workspace=workspace, creator=creator, deal=deal, code="ANNA15")
    return deal


@pytest.fixture
def template(workspace):
    return EmailTemplate.objects.create(
        workspace=workspace, name="Intro", subject=SUBJECT, body=BODY, follow_up_after_days=4
    )


def plain_body(mime) -> str:
    return mime.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


# --- templates -----------------------------------------------------------------------------


def test_when_creating_a_template_then_201_listed_and_audited(owner_api):
    response = owner_api.post(
        "/email-templates",
        {"name": "Intro", "subject": SUBJECT, "body": BODY, "follow_up_after_days": 3},
    )
    assert response.status_code == 201
    assert owner_api.get("/email-templates").json() == [
        {
            "id": response.json()["id"],
            "name": "Intro",
            "subject": SUBJECT,
            "body": BODY,
            "follow_up_after_days": 3,
        }
    ]
    assert AuditEntry.objects.filter(action="email_template.create").count() == 1


def test_given_an_unknown_variable_when_creating_a_template_then_422_naming_it(owner_api):
    response = owner_api.post(
        "/email-templates", {"name": "Intro", "subject": "Hi {{creator.nam}}", "body": "x"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "subject", "message": "Unknown variable(s): creator.nam"}
    ]
    assert EmailTemplate.objects.count() == 0


def test_given_a_taken_name_when_creating_a_template_then_422_on_name(owner_api, template):
    response = owner_api.post("/email-templates", {"name": "Intro", "subject": "s", "body": "b"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "A template named 'Intro' exists already."}
    ]


def test_when_patching_a_template_then_only_sent_fields_change(owner_api, template):
    response = owner_api.patch(
        f"/email-templates/{template.pk}", {"subject": "Hello", "follow_up_after_days": None}
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": template.pk,
        "name": "Intro",
        "subject": "Hello",
        "body": BODY,
        "follow_up_after_days": None,
    }


def test_given_a_typo_when_patching_a_template_then_422_and_unchanged(owner_api, template):
    response = owner_api.patch(f"/email-templates/{template.pk}", {"body": "{{deal.cod}}"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "message": "Unknown variable(s): deal.cod"}
    ]
    template.refresh_from_db()
    assert template.body == BODY


def test_when_deleting_a_template_then_204_gone_and_audited(owner_api, template):
    response = owner_api.delete(f"/email-templates/{template.pk}")
    assert response.status_code == 204
    assert EmailTemplate.objects.count() == 0
    assert AuditEntry.objects.filter(action="email_template.delete").count() == 1


# --- preview and send ----------------------------------------------------------------------


def test_when_previewing_a_template_for_a_deal_then_filled_and_nothing_sent(
    owner_api, deal, template, smtp_server
):
    response = owner_api.post(f"/deals/{deal.pk}/emails/preview", {"template_id": template.pk})
    assert response.status_code == 200
    assert response.json() == {
        "subject": "Trail shoes x Anna",
        "body": "Hi Anna,\nyour code: ANNA15\n",
        "missing": [],
    }
    assert smtp_server.messages == []
    assert EmailMessage.objects.count() == 0


def test_given_an_unknown_variable_when_previewing_then_422_naming_it(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/emails/preview", {"subject": "Hi {{creator.age}}", "body": "x"}
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "subject"
    assert error["message"].startswith("Unknown variable(s) {{creator.age}}; use one of ")


def test_given_a_value_the_deal_lacks_when_previewing_then_it_is_listed_missing(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/emails/preview", {"subject": "Hi", "body": "{{deal.link}}"}
    )
    assert (response.status_code, response.json()["missing"]) == (200, ["deal.link"])


def test_given_neither_template_nor_text_when_previewing_then_422(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/emails/preview", {"subject": "Hi"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "message": "Give a template_id, or both subject and body."}
    ]


def test_given_another_workspaces_template_when_previewing_then_422_on_template_id(
    owner_api, deal, other_workspace
):
    theirs = EmailTemplate.objects.create(
        workspace=other_workspace, name="T", subject="s", body="b"
    )
    response = owner_api.post(f"/deals/{deal.pk}/emails/preview", {"template_id": theirs.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "template_id", "message": f"No template with id {theirs.pk}."}
    ]


def test_when_sending_a_template_then_smtp_gets_headers_body_and_the_thread_is_kept(
    owner_api, deal, template, smtp_server
):
    response = owner_api.post(f"/deals/{deal.pk}/emails", {"template_id": template.pk})

    assert response.status_code == 201
    (mime,) = smtp_server.messages
    sent = EmailMessage.objects.get()
    assert (mime["Subject"], mime["To"], mime["From"]) == (
        "Trail shoes x Anna",
        "anna@creators.test",
        "Acme Outdoor <partners@acme.test>",
    )
    assert mime["Message-ID"] == sent.message_id
    assert mime["Reply-To"] is None  # no INBOUND_DOMAIN configured
    assert plain_body(mime).startswith("Hi Anna,\nyour code: ANNA15\n\n\n--\nNo more emails")
    assert response.json() == {
        "id": sent.pk,
        "direction": "out",
        "status": "sent",
        "message_id": sent.message_id,
        "in_reply_to": "",
        "from_address": "Acme Outdoor <partners@acme.test>",
        "to_address": "anna@creators.test",
        "subject": "Trail shoes x Anna",
        "body": "Hi Anna,\nyour code: ANNA15\n",
        "attachments": [],
        "is_follow_up": False,
        "error": "",
        "at": response.json()["at"],
    }
    assert EmailThread.objects.get(deal=deal).follow_up_after_days == 4


def test_given_a_second_mail_when_sent_then_it_replies_in_the_thread_and_both_are_listed(
    owner_api, deal, smtp_server
):
    first = owner_api.post(f"/deals/{deal.pk}/emails", {"subject": "Hello", "body": "One"}).json()
    owner_api.post(f"/deals/{deal.pk}/emails", {"subject": "Re: Hello", "body": "Two"})
    owner_api.post(f"/deals/{deal.pk}/replies", {"body": "Count me in"})

    assert smtp_server.messages[1]["In-Reply-To"] == first["message_id"]
    assert smtp_server.messages[1]["References"] == first["message_id"]
    thread = owner_api.get(f"/deals/{deal.pk}/thread").json()
    assert (thread["deal_id"], thread["subject"], thread["awaiting_reply"]) == (
        deal.pk,
        "Hello",
        False,
    )
    assert [(m["direction"], m["body"]) for m in thread["messages"]] == [
        ("out", "One"),
        ("out", "Two"),
        ("in", "Count me in"),
    ]
    assert thread["inbound_url"] == services.deal_inbound_url(deal)


def test_given_an_inbound_domain_when_sending_then_reply_to_is_the_deals_signed_address(
    owner_api, deal, smtp_server, settings
):
    settings.INBOUND_DOMAIN = "in.acme.test"
    owner_api.post(f"/deals/{deal.pk}/emails", {"subject": "Hello", "body": "One"})
    token = services.deal_inbound_token(deal)
    assert smtp_server.messages[0]["Reply-To"] == f"replies+{token}@in.acme.test"
    assert owner_api.get(f"/deals/{deal.pk}/thread").json()["reply_to"] == (
        f"replies+{token}@in.acme.test"
    )


def test_given_do_not_contact_when_sending_then_409_with_the_reason_and_nothing_sent(
    owner_api, deal, smtp_server
):
    deal.creator.do_not_contact = True
    deal.creator.save()
    response = owner_api.post(f"/deals/{deal.pk}/emails", {"subject": "Hi", "body": "x"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Anna Berg asked not to be contacted; nothing was sent.",
        "errors": [],
    }
    assert (smtp_server.messages, EmailMessage.objects.count()) == ([], 0)


def test_given_no_email_address_when_sending_then_422_on_to(owner_api, workspace, smtp_server):
    deal = DealFactory(workspace=workspace, creator__email="", creator__name="Bo")
    response = owner_api.post(f"/deals/{deal.pk}/emails", {"subject": "Hi", "body": "x"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "to", "message": "Bo has no email address."}]


def test_given_a_value_the_deal_lacks_when_sending_then_422_and_nothing_sent(
    owner_api, deal, smtp_server
):
    response = owner_api.post(
        f"/deals/{deal.pk}/emails", {"subject": "Hi", "body": "{{deal.link}}"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "message": "This deal has no value yet for: deal.link."}
    ]
    assert smtp_server.messages == []


def test_given_the_mail_server_down_when_sending_then_422_and_the_failure_is_on_the_thread(
    owner_api, deal, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    response = owner_api.post(f"/deals/{deal.pk}/emails", {"subject": "Hi", "body": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith(
        "The mail server refused the message: ConnectionRefusedError"
    )
    assert list(EmailMessage.objects.values_list("status", flat=True)) == ["failed"]


def test_given_a_blank_reply_when_logging_then_422_on_body(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/replies", {"body": "   "})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body", "message": "Paste the reply's text."}]


def test_given_no_mail_yet_when_reading_the_thread_then_an_empty_thread(owner_api, deal):
    body = owner_api.get(f"/deals/{deal.pk}/thread").json()
    assert (body["thread_id"], body["messages"], body["reply_to"]) == (None, [], "")


# --- do-not-contact and follow-ups ---------------------------------------------------------


def test_when_setting_and_clearing_do_not_contact_then_the_flag_follows_and_is_audited(
    owner_api, deal
):
    path = f"/creators/{deal.creator_id}/do-not-contact"
    on = owner_api.raw("put", path, json.dumps({"do_not_contact": True}))
    assert (on.status_code, on.json()) == (
        200,
        {"creator_id": deal.creator_id, "do_not_contact": True},
    )
    off = owner_api.raw("put", path, json.dumps({"do_not_contact": False}))
    assert off.json()["do_not_contact"] is False
    assert list(
        AuditEntry.objects.filter(target_type="creators.creator")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["creator.do_not_contact", "creator.contact_allowed"]


def test_given_threads_past_their_delay_when_listing_due_follow_ups_then_only_those(
    owner_api, deal, workspace, other_workspace
):
    long_ago = timezone.now().replace(microsecond=0) - dt.timedelta(days=5)
    due = EmailThread.objects.create(
        workspace=workspace,
        deal=deal,
        subject="Hello",
        follow_up_after_days=3,
        last_outbound_at=long_ago,
    )
    EmailThread.objects.create(  # not yet due
        workspace=workspace,
        deal=DealFactory(workspace=workspace),
        subject="Later",
        follow_up_after_days=10,
        last_outbound_at=long_ago,
    )
    EmailThread.objects.create(  # another workspace's
        workspace=other_workspace,
        deal=DealFactory(workspace=other_workspace),
        subject="Theirs",
        follow_up_after_days=1,
        last_outbound_at=long_ago,
    )
    body = owner_api.get("/follow-ups/due").json()
    assert [(r["thread_id"], r["deal_id"], r["creator_name"]) for r in body] == [
        (due.pk, deal.pk, "Anna Berg")
    ]
    assert body[0]["follow_up_after_days"] == 3
    assert dt.datetime.fromisoformat(body[0]["due_at"]) == long_ago + dt.timedelta(days=3)


# --- contract by email ---------------------------------------------------------------------


def test_when_sending_the_contract_then_a_pdf_is_mailed_on_the_thread_and_it_is_sent(
    owner_api, deal, smtp_server
):
    response = owner_api.post(f"/deals/{deal.pk}/contract/send", {})

    assert response.status_code == 200
    (mime,) = smtp_server.messages
    (attachment,) = list(mime.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"contract-{deal.pk}.pdf"
    assert attachment.get_content()[:5] == b"%PDF-"
    assert mime["Subject"] == "Contract: Spring Trails with Acme Outdoor"
    contract = Contract.objects.get(deal=deal)
    assert (response.json()["contract_status"], contract.status) == ("sent", "sent")
    assert response.json()["message"]["attachments"] == [f"contract-{deal.pk}.pdf"]
    thread = owner_api.get(f"/deals/{deal.pk}/thread").json()
    assert [m["subject"] for m in thread["messages"]] == [mime["Subject"]]


def test_given_do_not_contact_when_sending_the_contract_then_409_and_it_stays_a_draft(
    owner_api, deal, smtp_server
):
    deal.creator.do_not_contact = True
    deal.creator.save()
    response = owner_api.post(f"/deals/{deal.pk}/contract/send", {})
    assert response.status_code == 409
    assert smtp_server.messages == []
    assert Contract.objects.filter(deal=deal, status="sent").count() == 0


def test_given_no_fee_when_sending_the_contract_then_422_and_nothing_is_sent(
    owner_api, workspace, smtp_server
):
    deal = DealFactory(workspace=workspace, fee_cash=0)
    response = owner_api.post(f"/deals/{deal.pk}/contract/send", {})
    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == [
        "Agree a fee, product value or commission before sending.",
        "The contract was not marked sent.",
    ]
    assert (smtp_server.messages, Contract.objects.filter(status="sent").count()) == ([], 0)


# --- isolation, roles, 4xx, query counts ---------------------------------------------------


@pytest.fixture
def rows(deal, template):
    return {"d": deal.pk, "t": template.pk, "c": deal.creator_id}


READS = ["/email-templates/{t}", "/deals/{d}/thread"]
WRITES = [
    ("patch", "/email-templates/{t}", {"subject": "Hi"}),
    ("delete", "/email-templates/{t}", None),
    ("post", "/deals/{d}/emails/preview", {"subject": "Hi", "body": "x"}),
    ("post", "/deals/{d}/emails", {"subject": "Hi", "body": "x"}),
    ("post", "/deals/{d}/replies", {"body": "sneaky"}),
    ("post", "/deals/{d}/contract/send", {}),
    ("put", "/creators/{c}/do-not-contact", {"do_not_contact": True}),
]


def _call(api, method, path, body):
    if method == "delete":
        return api.delete(path)
    return api.raw(method, path, json.dumps(body))


@pytest.mark.parametrize("path", READS)
def test_given_another_workspaces_rows_when_reading_then_404(other_api, rows, path):
    response = other_api.get(path.format(**rows))
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_given_another_workspaces_rows_when_writing_then_404_and_nothing_changes(
    other_api, rows, method, path, body, smtp_server, deal
):
    response = _call(other_api, method, path.format(**rows), body)
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")
    deal.creator.refresh_from_db()
    assert (smtp_server.messages, EmailMessage.objects.count()) == ([], 0)
    assert (EmailTemplate.objects.get().subject, deal.creator.do_not_contact) == (SUBJECT, False)


def test_given_the_other_workspace_when_listing_then_it_sees_none_of_ours(other_api, rows):
    assert other_api.get("/email-templates").json() == []
    assert other_api.get("/follow-ups/due").json() == []


WRITE_ONLY = [w for w in WRITES if not w[1].endswith("/preview")] + [
    ("post", "/email-templates", {"name": "New", "subject": "s", "body": "b"})
]


@pytest.mark.parametrize(("method", "path", "body"), WRITE_ONLY)
def test_given_a_viewer_when_writing_then_403_and_nothing_changes(
    viewer_api, rows, method, path, body, smtp_server
):
    response = _call(viewer_api, method, path.format(**rows), body)
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role in this workspace is read-only."
    assert (smtp_server.messages, EmailMessage.objects.count()) == ([], 0)
    assert EmailTemplate.objects.count() == 1


def test_given_a_viewer_when_reading_and_previewing_then_200(viewer_api, rows):
    assert viewer_api.get(f"/deals/{rows['d']}/thread").status_code == 200
    preview = viewer_api.post(f"/deals/{rows['d']}/emails/preview", {"template_id": rows["t"]})
    assert preview.status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/deals/{d}/emails", {"subject": "Hi", "body": "x", "cc": "me"}),
        ("/deals/{d}/emails", {"subject": "", "body": "x"}),
        ("/deals/{d}/emails", {"subject": "Hi", "body": "x", "follow_up_after_days": 0}),
        ("/deals/{d}/emails", {"template_id": 0}),
        ("/deals/{d}/replies", {"body": "a\u0000b"}),
        ("/email-templates", {"name": "x" * 121, "subject": "s", "body": "b"}),
        ("/creators/{c}/do-not-contact", {"do_not_contact": "maybe"}),
    ],
)
def test_given_bad_input_then_422_never_500(owner_api, rows, path, body, smtp_server):
    method = "put" if path.endswith("do-not-contact") else "post"
    response = owner_api.raw(method, path.format(**rows), json.dumps(body))
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."
    assert smtp_server.messages == []


def test_given_not_json_when_sending_then_422_on_body(owner_api, rows):
    response = owner_api.raw("post", f"/deals/{rows['d']}/emails", b"{nope")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


@pytest.fixture
def busy_deal(deal, workspace):
    """Ten templates, ten mails on the thread, ten due threads: a per-row query would show."""
    long_ago = timezone.now() - dt.timedelta(days=9)
    thread = EmailThread.objects.create(
        workspace=workspace,
        deal=deal,
        subject="Hello",
        follow_up_after_days=2,
        last_outbound_at=long_ago,
    )
    for n in range(10):
        EmailTemplate.objects.create(workspace=workspace, name=f"T{n}", subject="s", body="b")
        EmailMessage.objects.create(
            workspace=workspace,
            thread=thread,
            direction="out",
            status="sent",
            message_id=f"<m{n}@acme.test>",
            from_address="a@acme.test",
            to_address="anna@creators.test",
            subject="Hello",
            body="x",
            at=long_ago,
        )
        EmailThread.objects.create(
            workspace=workspace,
            deal=DealFactory(workspace=workspace),
            subject=f"S{n}",
            follow_up_after_days=1,
            last_outbound_at=long_ago,
        )
    return deal


@pytest.mark.parametrize(
    ("path", "queries", "rows_listed"),
    [
        # token + templates
        ("/email-templates", 2, 10),
        # token + deal + thread + messages
        ("/deals/{d}/thread", 4, 10),
        # token + due threads with deal and creator
        ("/follow-ups/due", 2, 11),
    ],
)
def test_given_10_rows_when_listing_then_queries_are_pinned(
    owner_api, busy_deal, path, queries, rows_listed, django_assert_num_queries
):
    owner_api.get("/email-templates")  # the first use of a token also stamps last_used_at
    with django_assert_num_queries(queries):
        response = owner_api.get(path.format(d=busy_deal.pk))
    body = response.json()
    listed = body["messages"] if isinstance(body, dict) else body
    assert len(listed) == rows_listed
