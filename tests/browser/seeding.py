"""The workspace the vetting and search journeys start from: one owner, creators with one
account each and three follower snapshots (60, 30 and 1 day ago), and an empty campaign."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from infludesk.core.models import Role
from tests import factories as f


def seed_scouting_workspace(
    creators: list[tuple[str, str, str, int]],
) -> tuple[str, dict[str, int]]:
    """Given (name, handle, platform, followers) rows, return the owner's email and the
    creators' ids by name; followers grow 80% -> 90% -> 100% over the snapshots."""
    member = f.MemberFactory(
        workspace__name="Northwind", role=Role.OWNER, user__email="scout@northwind.test"
    )
    ws = member.workspace
    ids = {}
    now = timezone.now()
    for name, handle, platform, followers in creators:
        creator = f.CreatorFactory(workspace=ws, name=name)
        account = f.SocialAccountFactory(
            creator=creator, handle=handle, platform=platform, followers=followers
        )
        for days, share in ((60, 0.8), (30, 0.9), (1, 1.0)):
            f.AccountSnapshotFactory(
                account=account,
                taken_at=now - dt.timedelta(days=days),
                followers=int(followers * share),
            )
        ids[name] = creator.pk
    f.CampaignFactory(workspace=ws, name="Winter Trails")
    return member.user.email, ids
