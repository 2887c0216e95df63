"""`infludesk import-follower-sample`: a CSV follower sample lands on the account, classified;
bad files are refused naming line and column, storing nothing; other workspaces are refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from infludesk.core.models import AuditEntry
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
HEADER = "handle,followers,following,posts,has_profile_pic,is_private,bio_length\n"


def _write(tmp_path, text):
    path = tmp_path / "sample.csv"
    path.write_text(text)
    return str(path)


def test_given_a_mostly_fake_sample_when_imported_then_classified_and_strong_warning(
    tmp_path, workspace
):
    account = SocialAccountFactory(creator__workspace=workspace, handle="maya")
    rows = [f"xq{9_000_000 + i},3,4000,0,0,0,0" for i in range(60)]
    rows += [f"hiker.sam{i},450,380,140,1,0," for i in range(40)]  # empty bio_length: unknown
    out = io.StringIO()
    call_command(
        "import_follower_sample",
        _write(tmp_path, HEADER + "\n".join(rows) + "\n"),
        "--workspace", workspace.slug, "--account", str(account.pk),
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert text.startswith("@maya: 100 added, 0 updated, 0 removed; sample of 100, ")
    assert text.rstrip().endswith("- strong warning: under 75% real")
    assert account.follower_sample.filter(fake_probability__isnull=False).count() == 100
    assert account.follower_sample.get(handle="hiker.sam0").bio_length is None
    assert AuditEntry.objects.get(action="follower_sample.import").actor is None


def test_given_bad_values_when_imported_then_every_one_named_and_nothing_stored(
    tmp_path, workspace
):
    account = SocialAccountFactory(creator__workspace=workspace)
    text = HEADER + "a,1,2,3,1,0,\n,1,2,3,1,0,\nb,-4,2,3,yes,maybe,\n"
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_follower_sample", _write(tmp_path, text),
            "--workspace", workspace.slug, "--account", str(account.pk),
        )  # fmt: skip
    assert str(caught.value) == (
        "3 bad values:\n"
        "line 3, column handle: empty\n"
        "line 4, column followers: '-4' is not a whole number >= 0\n"
        "line 4, column is_private: 'maybe' is not 0 or 1 (or true/false)"
    )
    assert account.follower_sample.count() == 0


def test_given_a_missing_column_when_imported_then_named(tmp_path, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    path = _write(tmp_path, "handle,followers,following,has_profile_pic\n")
    with pytest.raises(CommandError, match="missing columns: posts, is_private"):
        call_command(
            "import_follower_sample", path,
            "--workspace", workspace.slug, "--account", str(account.pk),
        )  # fmt: skip


def test_given_another_workspaces_account_when_imported_then_refused(
    tmp_path, workspace, other_workspace
):
    stranger = SocialAccountFactory(creator__workspace=other_workspace)
    with pytest.raises(CommandError, match=f"no account {stranger.pk} in acme"):
        call_command(
            "import_follower_sample", _write(tmp_path, HEADER + "a,1,2,3,1,0,\n"),
            "--workspace", workspace.slug, "--account", str(stranger.pk),
        )  # fmt: skip
    assert stranger.follower_sample.count() == 0
