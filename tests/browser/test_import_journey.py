"""Journey: upload a creators CSV, check the guessed mapping and preview, start the import, watch
the progress page update itself (HTMX polling) when the worker finishes, see the bad row."""

from __future__ import annotations

import os

import pytest

from infludesk.core.models import Role
from infludesk.creators.models import ImportJob, SocialAccount
from infludesk.creators.tasks_import import run_import_job
from tests import factories as f
from tests.browser.seeding import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Username,Platform,Follower Count,Full Name\n"
    "@maya.trails,Instagram,12500,Maya Lind\n"
    "tom_runs,tiktok,lots,Tom Berg\n"
)


def test_import_a_file_and_watch_it_finish(live_server, browser_page, tmp_path):
    member = f.MemberFactory(
        workspace__name="Northwind", role=Role.MANAGER, user__email="lead@northwind.test"
    )
    upload = tmp_path / "creators.csv"
    upload.write_text(CSV)
    page = browser_page
    base = live_server.url

    sign_in(page, base, member.user.email)

    # upload: the mapping page shows the guessed columns and the first rows
    page.goto(f"{base}/creators/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#import-mapping")
    assert page.input_value("#map_handle") == "Username"
    assert page.input_value("#map_followers") == "Follower Count"
    assert page.inner_text("#import-preview tbody tr:first-child td:nth-child(2)") == "@maya.trails"

    # start: the job waits for the worker, the page polls
    page.click("#import-mapping button[type=submit]")
    page.wait_for_selector("#import-progress")
    assert page.inner_text("#import-status") == "Queued"
    job = ImportJob.objects.get(workspace=member.workspace)
    run_import_job.call(job_id=job.pk)  # what the worker would do

    # the progress card updates itself without a reload
    page.wait_for_function("document.querySelector('#import-status').innerText === 'Done'")
    assert page.inner_text("#import-processed") == "2 / 2"
    assert page.inner_text("#import-created") == "1"
    assert page.inner_text("#import-failed") == "1"
    assert (
        page.inner_text("#import-errors")
        == "Line 3, column Follower Count: 'lots' is not a whole number."
    )
    assert SocialAccount.objects.get(workspace=member.workspace).handle == "maya.trails"
