"""`infludesk import-follower-sample` and the upload on the authenticity page: a CSV follower
sample lands on the account, classified; bad files are refused naming line and column, storing
nothing; viewers get 403 and other workspaces 404 / are refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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


# ------------------------------------------------------------ the upload on the page


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("sample.csv", text.encode(), content_type="text/csv")


def test_given_manager_when_uploading_a_sample_then_stored_classified_and_audited(
    manager_client, manager, workspace
):
    account = SocialAccountFactory(creator__workspace=workspace)
    response = manager_client.post(
        f"/authenticity/accounts/{account.pk}/followers/",
        {"file": _csv(HEADER + "a,10,20,30,1,0,\nb,3,4000,0,0,0,0\n")},
    )
    assert response.status_code == 302
    assert account.follower_sample.filter(fake_probability__isnull=False).count() == 2
    assert AuditEntry.objects.get(action="follower_sample.import").actor == manager


def test_given_a_bad_file_when_uploading_then_400_naming_line_and_column(owner_client, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    response = owner_client.post(
        f"/authenticity/accounts/{account.pk}/followers/", {"file": _csv(HEADER + "a,x,1,1,1,0,\n")}
    )
    assert response.status_code == 400
    assert "line 2, column followers: &#x27;x&#x27; is not a whole number &gt;= 0" in (
        response.content.decode()
    )
    assert account.follower_sample.count() == 0


def test_given_viewer_or_other_workspace_when_uploading_then_403_or_404(
    viewer_client, owner_client, workspace, other_workspace
):
    mine = SocialAccountFactory(creator__workspace=workspace)
    stranger = SocialAccountFactory(creator__workspace=other_workspace)
    body = HEADER + "a,10,20,30,1,0,\n"
    url = "/authenticity/accounts/{}/followers/"
    assert viewer_client.post(url.format(mine.pk), {"file": _csv(body)}).status_code == 403
    assert owner_client.post(url.format(stranger.pk), {"file": _csv(body)}).status_code == 404
    assert mine.follower_sample.count() == stranger.follower_sample.count() == 0
