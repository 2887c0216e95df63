"""Importing creators and accounts: formats, upsert by (platform, handle), bad rows, audit."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from infludesk.core.models import AuditEntry
from infludesk.creators.models import Creator, ImportJob, SocialAccount
from tests.creators.import_helpers import CREATORS_CSV, counts, run_import
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _accounts(workspace):
    return list(
        SocialAccount.objects.filter(workspace=workspace)
        .order_by("handle")
        .values_list("platform", "handle", "followers", "following", "posts_count", "tier")
    )


def test_csv_creates_creators_and_accounts_with_guessed_columns(workspace, owner):
    # given a CSV whose headers are in the user's words ("Username", "Follower Count")
    # when it is imported with the guessed mapping
    job = run_import(workspace, CREATORS_CSV, by=owner)
    # then both rows land, handles without @, counts parsed, tiers from followers
    assert job.status == ImportJob.Status.DONE
    assert counts(job) == (2, 0, 0, 0)
    assert (job.total, job.processed) == (2, 2)
    assert _accounts(workspace) == [
        ("instagram", "Maya.Trails", 12500, 310, 420, "micro"),
        ("tiktok", "tom_runs", 1_200_000, 15, 88, "mega"),
    ]
    maya = SocialAccount.objects.get(handle="Maya.Trails")
    assert (maya.country, maya.language, maya.categories, maya.verified, maya.bio) == (
        "SE",
        "en",
        ["Travel", "Outdoor"],
        True,
        "Hikes",
    )
    assert (maya.creator.name, maya.creator.email, maya.creator.country) == (
        "Maya Lind",
        "maya@example.com",
        "SE",
    )


def test_reimport_updates_instead_of_duplicating(workspace, owner):
    # given the file was imported once
    run_import(workspace, CREATORS_CSV, by=owner)
    # when the same file is imported again
    job = run_import(workspace, CREATORS_CSV, by=owner)
    # then both rows match existing accounts (updated, without changes), nothing is duplicated
    assert counts(job) == (0, 2, 2, 0)
    assert SocialAccount.objects.filter(workspace=workspace).count() == 2
    assert Creator.objects.filter(workspace=workspace).count() == 2


def test_reimport_matches_handle_case_insensitively_and_updates_changed_fields(workspace, owner):
    # given maya.trails exists with 9,000 followers
    account = SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace, name="Maya"),
        platform="instagram",
        handle="maya.trails",
        followers=9_000,
        tier="nano",
    )
    # when a file names her "@MAYA.TRAILS" with 12,000 followers
    job = run_import(workspace, "handle,platform,followers\n@MAYA.TRAILS,instagram,12000\n")
    # then the existing account is updated (handle kept as stored), tier follows
    account.refresh_from_db()
    assert counts(job) == (0, 1, 0, 0)
    assert (account.handle, account.followers, account.tier) == ("maya.trails", 12_000, "micro")
    assert SocialAccount.objects.filter(workspace=workspace).count() == 1


def test_empty_cells_leave_stored_values_alone(workspace):
    # given an account with a bio and 500 following
    account = SocialAccountFactory(
        creator__workspace=workspace,
        platform="youtube",
        handle="cookwithli",
        bio="Recipes",
        following=500,
    )
    # when a file updates only the followers and has empty bio/following cells
    run_import(workspace, "handle,platform,followers,bio,following\ncookwithli,youtube,2000,,\n")
    # then bio and following are kept
    account.refresh_from_db()
    assert (account.followers, account.bio, account.following) == (2000, "Recipes", 500)


def test_same_email_joins_accounts_to_one_creator(workspace):
    # given two rows with the same email on two platforms
    data = (
        "handle,platform,email,name\nana,instagram,ana@x.test,Ana\nana_tt,tiktok,ANA@x.test,Ana\n"
    )
    # when imported
    run_import(workspace, data)
    # then one creator holds both accounts
    assert Creator.objects.filter(workspace=workspace).count() == 1
    assert Creator.objects.get(workspace=workspace).accounts.count() == 2


def test_bad_rows_are_reported_with_line_column_and_reason_while_good_rows_land(workspace):
    # given a file with a good row between bad ones
    data = (
        "Username,Platform,Followers,Email,Country\n"
        "good_one,instagram,1500,,US\n"
        ",instagram,10,,\n"
        "bad_counts,myspace,lots,not-an-email,Germany\n"
        "neg,tiktok,-5,,\n"
    )
    # when imported
    job = run_import(workspace, data)
    # then the good row is saved and each bad row says what is wrong, where
    assert counts(job) == (1, 0, 0, 3)
    assert list(
        SocialAccount.objects.filter(workspace=workspace).values_list("handle", flat=True)
    ) == ["good_one"]
    assert job.errors == [
        {
            "line": 3,
            "values": ["", "instagram", "10", "", ""],
            "problems": [{"column": "Username", "message": "This value is required."}],
        },
        {
            "line": 4,
            "values": ["bad_counts", "myspace", "lots", "not-an-email", "Germany"],
            "problems": [
                {
                    "column": "Platform",
                    "message": "Unknown platform 'myspace'; "
                    "use one of instagram, tiktok, youtube, other.",
                },
                {"column": "Followers", "message": "'lots' is not a whole number."},
                {"column": "Email", "message": "'not-an-email' is not a valid email address."},
                {
                    "column": "Country",
                    "message": "Use a two-letter country code such as US or DE ('Germany' given).",
                },
            ],
        },
        {
            "line": 5,
            "values": ["neg", "tiktok", "-5", "", ""],
            "problems": [{"column": "Followers", "message": "Counts cannot be negative (got -5)."}],
        },
    ]


def test_service_validation_error_names_the_column(workspace):
    # given a row whose profile URL fails the model's validation
    data = "handle,platform,Profile Link\nlinky,instagram,not a url\n"
    # when imported
    job = run_import(
        workspace, data, mapping={"handle": "handle", "platform": "platform", "url": "Profile Link"}
    )
    # then the error is on the URL column and nothing half-made is left (no creator without account)
    assert job.errors[0]["problems"] == [
        {"column": "Profile Link", "message": "Enter a valid URL."}
    ]
    assert Creator.objects.filter(workspace=workspace).count() == 0


def test_xlsx_import(workspace):
    # given a workbook with typed cells (numbers, booleans)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["handle", "platform", "followers", "verified", "name"])
    sheet.append(["lena.bakes", "Instagram", 45000, True, "Lena"])
    sheet.append(["oops", "instagram", "many", False, "Oops"])
    out = io.BytesIO()
    book.save(out)
    # when imported
    job = run_import(workspace, out.getvalue(), filename="creators.xlsx")
    # then the numbers and booleans arrive, and the bad row has its sheet row number
    assert counts(job) == (1, 0, 0, 1)
    lena = SocialAccount.objects.get(workspace=workspace, handle="lena.bakes")
    assert (lena.followers, lena.verified, lena.tier, lena.creator.name) == (
        45000,
        True,
        "micro",
        "Lena",
    )
    assert job.errors[0]["line"] == 3
    assert job.errors[0]["problems"] == [
        {"column": "followers", "message": "'many' is not a whole number."}
    ]


def test_json_import_with_lists_and_numbers(workspace):
    # given a JSON list of objects with a categories list
    records = [
        {
            "username": "@rio.surf",
            "platform": "tiktok",
            "followers": 2500,
            "categories": ["Surf", "Travel"],
        },
        {"username": "x y", "platform": "tiktok"},
    ]
    # when imported
    job = run_import(workspace, json.dumps(records), filename="creators.json")
    # then the list becomes categories; the second record (line 3) has a bad handle
    rio = SocialAccount.objects.get(workspace=workspace, handle="rio.surf")
    assert (rio.followers, rio.categories, rio.tier) == (2500, ["Surf", "Travel"], "nano")
    assert job.errors[0]["line"] == 3
    assert job.errors[0]["problems"] == [
        {"column": "username", "message": "A handle cannot contain spaces ('x y')."}
    ]


def test_import_is_audited_per_job_and_per_record(workspace, owner):
    # when a file of two new accounts is imported by the owner
    job = run_import(workspace, CREATORS_CSV, by=owner)
    # then the services audit each record and the job has its upload, start and finish entries
    actions = sorted(
        AuditEntry.objects.filter(workspace=workspace).values_list("action", flat=True)
    )
    assert actions == [
        "creator.create",
        "creator.create",
        "import.finish",
        "import.start",
        "import.upload",
        "social_account.create",
        "social_account.create",
    ]
    finish = AuditEntry.objects.get(workspace=workspace, action="import.finish")
    assert finish.target_id == str(job.pk)
    assert finish.changes == {
        "created": [None, 2],
        "updated": [None, 0],
        "unchanged": [None, 0],
        "failed": [None, 0],
    }


def test_import_does_not_touch_another_workspace(workspace, other_workspace):
    # given the rival workspace has the same handle
    theirs = SocialAccountFactory(
        creator__workspace=other_workspace, platform="instagram", handle="maya.trails", followers=5
    )
    # when our workspace imports it
    job = run_import(workspace, "handle,platform,followers\nmaya.trails,instagram,7000\n")
    # then we get our own account; theirs is unchanged
    theirs.refresh_from_db()
    assert counts(job) == (1, 0, 0, 0)
    assert theirs.followers == 5
    assert SocialAccount.objects.get(workspace=workspace).followers == 7000


def test_rejected_update_does_not_leak_into_a_later_row_of_the_same_account(workspace):
    # given an account with a valid URL
    account = SocialAccountFactory(
        creator__workspace=workspace,
        platform="instagram",
        handle="linky",
        url="https://example.com/a",
        followers=10,
    )
    # when one row sets a bad URL and a later row of the same account has the old URL
    data = (
        "handle,platform,url,followers\n"
        "linky,instagram,not a url,20\n"
        "linky,instagram,https://example.com/a,10\n"
    )
    job = run_import(workspace, data)
    # then the first row fails alone and the second finds nothing to change
    account.refresh_from_db()
    assert counts(job) == (0, 1, 1, 1)
    assert (account.url, account.followers) == ("https://example.com/a", 10)
