"""The API describes itself: OpenAPI document and Swagger UI served without a network."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_when_fetching_the_openapi_document_then_every_resource_is_described(client: Client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert sorted(document["paths"]) == [
        "/api/v1/attribution/journeys",
        "/api/v1/calendar",
        "/api/v1/calendar/today",
        "/api/v1/campaigns",
        "/api/v1/campaigns/{campaign_id}",
        "/api/v1/campaigns/{campaign_id}/attribution",
        "/api/v1/campaigns/{campaign_id}/brief",
        "/api/v1/campaigns/{campaign_id}/deals/bulk",
        "/api/v1/campaigns/{campaign_id}/goals",
        "/api/v1/campaigns/{campaign_id}/proposal",
        "/api/v1/campaigns/{campaign_id}/proposal.pdf",
        "/api/v1/campaigns/{campaign_id}/survey-responses",
        "/api/v1/campaigns/{campaign_id}/survey-responses/import",
        "/api/v1/campaigns/{campaign_id}/survey-summary",
        "/api/v1/campaigns/{campaign_id}/waves",
        "/api/v1/classify-accounts",
        "/api/v1/codes",
        "/api/v1/codes/batches",
        "/api/v1/codes/batches/export",
        "/api/v1/codes/batches/push",
        "/api/v1/codes/{code_id}/push",
        "/api/v1/cost-table",
        "/api/v1/cost-table/{tier}/{fmt}",
        "/api/v1/creators",
        "/api/v1/creators/compare",
        "/api/v1/creators/saved-searches",
        "/api/v1/creators/saved-searches/{saved_id}",
        "/api/v1/creators/search",
        "/api/v1/creators/{creator_id}",
        "/api/v1/creators/{creator_id}/do-not-contact",
        "/api/v1/creators/{creator_id}/fit",
        "/api/v1/deal-posts/metrics/import",
        "/api/v1/deal-posts/{deal_post_id}/metrics",
        "/api/v1/deals",
        "/api/v1/deals/{deal_id}",
        "/api/v1/deals/{deal_id}/codes",
        "/api/v1/deals/{deal_id}/contract",
        "/api/v1/deals/{deal_id}/contract.pdf",
        "/api/v1/deals/{deal_id}/contract/mark-sent",
        "/api/v1/deals/{deal_id}/contract/send",
        "/api/v1/deals/{deal_id}/contract/sign",
        "/api/v1/deals/{deal_id}/deliverables",
        "/api/v1/deals/{deal_id}/drafts",
        "/api/v1/deals/{deal_id}/emails",
        "/api/v1/deals/{deal_id}/emails/preview",
        "/api/v1/deals/{deal_id}/files",
        "/api/v1/deals/{deal_id}/files/{file_id}",
        "/api/v1/deals/{deal_id}/move",
        "/api/v1/deals/{deal_id}/payments",
        "/api/v1/deals/{deal_id}/posts",
        "/api/v1/deals/{deal_id}/replies",
        "/api/v1/deals/{deal_id}/shipments",
        "/api/v1/deals/{deal_id}/thread",
        "/api/v1/deliverables/{deliverable_id}",
        "/api/v1/disclosure/check",
        "/api/v1/drafts/{draft_id}/review",
        "/api/v1/email-templates",
        "/api/v1/email-templates/{template_id}",
        "/api/v1/er-benchmarks",
        "/api/v1/er-benchmarks/{platform}/{tier}",
        "/api/v1/exchange-rates",
        "/api/v1/exchange-rates/{rate_id}",
        "/api/v1/exports/creators",
        "/api/v1/follow-ups/due",
        "/api/v1/goals/{goal_id}",
        "/api/v1/imports",
        "/api/v1/imports/{job_id}",
        "/api/v1/imports/{job_id}/errors.csv",
        "/api/v1/kpis",
        "/api/v1/leaks",
        "/api/v1/links",
        "/api/v1/links/{link_id}",
        "/api/v1/links/{link_id}/clicks",
        "/api/v1/links/{link_id}/qr",
        "/api/v1/orders",
        "/api/v1/payments/{payment_id}",
        "/api/v1/payments/{payment_id}/paid",
        "/api/v1/payments/{payment_id}/unpay",
        "/api/v1/posts/{post_id}/comments",
        "/api/v1/shipments/{shipment_id}",
        "/api/v1/shortlists",
        "/api/v1/shortlists/{shortlist_id}",
        "/api/v1/shortlists/{shortlist_id}/entries",
        "/api/v1/shortlists/{shortlist_id}/entries/{entry_id}",
        "/api/v1/shortlists/{shortlist_id}/to-campaign",
        "/api/v1/social-accounts",
        "/api/v1/social-accounts/{account_id}",
        "/api/v1/social-accounts/{account_id}/authenticity",
        "/api/v1/social-accounts/{account_id}/comments/bulk",
        "/api/v1/social-accounts/{account_id}/cost-estimate",
        "/api/v1/social-accounts/{account_id}/follower-sample",
        "/api/v1/social-accounts/{account_id}/posts",
        "/api/v1/social-accounts/{account_id}/posts/bulk",
        "/api/v1/social-accounts/{account_id}/snapshots",
        "/api/v1/social-accounts/{account_id}/snapshots/bulk",
        "/api/v1/social-accounts/{account_id}/sync",
        "/api/v1/stores",
        "/api/v1/stores/{store_id}",
        "/api/v1/survey-responses/{answer_id}",
        "/api/v1/waves/{wave_id}",
        "/api/v1/waves/{wave_id}/next",
    ]
    assert sorted(document["components"]["securitySchemes"]) == ["BearerToken", "SessionMember"]


def test_when_fetching_the_openapi_document_then_money_is_a_string(client: Client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["CampaignOut"]["properties"]["budget"]["type"] == "string"
    assert schemas["DealOut"]["properties"]["fee_cash"]["type"] == "string"


def test_when_opening_the_docs_then_swagger_ui_loads_from_local_static_files(client: Client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    script = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', page.content.decode())
    assert script is not None
    assert script.group(1).startswith("/static/")
    assert client.get(script.group(1)).status_code == 200
