"""Query counts pinned on every list endpoint: a page of 40 rows costs the same as one row.

With a token: the token lookup, a COUNT and one page of rows. With the browser session: the
session, the user and the member (with its workspace), a COUNT and one page of rows.
"""

from __future__ import annotations

import pytest

from tests.factories import CampaignFactory, CreatorFactory, DealFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

ROWS = 40
TOKEN_QUERIES = 3
SESSION_QUERIES = 5


@pytest.fixture
def many_rows(workspace) -> None:
    """40 of each kind in workspace A (the deals hang off one campaign)."""
    creators = CreatorFactory.create_batch(ROWS, workspace=workspace)
    for creator in creators:
        SocialAccountFactory(creator=creator)
    CampaignFactory.create_batch(ROWS - 1, workspace=workspace)
    campaign = CampaignFactory(workspace=workspace)
    for creator in creators:
        DealFactory(campaign=campaign, creator=creator)


LISTS = ["/creators", "/social-accounts", "/campaigns", "/deals"]


@pytest.mark.parametrize("path", LISTS)
def test_given_40_rows_when_listing_with_a_token_then_3_queries(
    owner_api, many_rows, path, django_assert_max_num_queries
):
    owner_api.get(path)  # the first use of a token also stamps last_used_at
    with django_assert_max_num_queries(TOKEN_QUERIES):
        body = owner_api.get(path, page_size=200).json()
    assert (body["count"], len(body["items"])) == (ROWS, ROWS)


@pytest.mark.parametrize("path", LISTS)
def test_given_40_rows_when_listing_with_the_session_then_5_queries(
    owner_client, many_rows, path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(SESSION_QUERIES):
        body = owner_client.get(f"/api/v1{path}", {"page_size": 200}).json()
    assert (body["count"], len(body["items"])) == (ROWS, ROWS)
