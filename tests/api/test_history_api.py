"""An account's snapshots, posts and a post's comments over the API: newest first, paged,
three queries, other workspaces 404."""

from __future__ import annotations

import datetime as dt

import pytest

from infludesk.creators.models import PostComment
from tests.api.conftest import ApiClient, token_for
from tests.factories import AccountSnapshotFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def account(workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    for d in range(3):
        AccountSnapshotFactory(
            account=account,
            taken_at=DAY + dt.timedelta(days=d),
            followers=1_000 + d,
            insights={"demographics": {"country": {"FR": 10}}} if d == 2 else {},
        )
    return account


def test_given_snapshots_when_listing_then_newest_first_with_insights(
    viewer, account, django_assert_num_queries
):
    api = ApiClient(token_for(viewer))
    api.get(f"/social-accounts/{account.pk}/snapshots")  # the token's first use stamps it
    with django_assert_num_queries(4):  # token + member, account, COUNT, page
        body = api.get(f"/social-accounts/{account.pk}/snapshots", page_size=2).json()
    assert body["count"] == 3
    assert [s["followers"] for s in body["items"]] == [1_002, 1_001]
    assert body["items"][0]["insights"] == {"demographics": {"country": {"FR": 10}}}
    assert body["next"] is not None


def test_given_posts_and_comments_when_listing_then_newest_posts_and_their_comments(
    viewer, account, django_assert_num_queries
):
    old = PostFactory(account=account, posted_at=DAY, caption="old", likes=5)
    new = PostFactory(account=account, posted_at=DAY + dt.timedelta(days=1), caption="new")
    PostComment.objects.create(
        workspace=account.workspace, post=old, external_id="c1", text="Nice!", likes=2
    )
    api = ApiClient(token_for(viewer))
    posts = api.get(f"/social-accounts/{account.pk}/posts").json()
    assert [p["id"] for p in posts["items"]] == [new.pk, old.pk]
    assert (posts["items"][1]["caption"], posts["items"][1]["likes"]) == ("old", 5)
    with django_assert_num_queries(4):
        comments = api.get(f"/posts/{old.pk}/comments").json()
    assert [(c["external_id"], c["text"], c["likes"]) for c in comments["items"]] == [
        ("c1", "Nice!", 2)
    ]


def test_given_another_workspace_when_listing_then_404(owner, other_workspace):
    theirs = SocialAccountFactory(creator__workspace=other_workspace)
    post = PostFactory(account=theirs, posted_at=DAY)
    api = ApiClient(token_for(owner))
    assert api.get(f"/social-accounts/{theirs.pk}/snapshots").status_code == 404
    assert api.get(f"/social-accounts/{theirs.pk}/posts").status_code == 404
    assert api.get(f"/posts/{post.pk}/comments").status_code == 404
