"""Exports: team-sized ones at once as CSV or Excel; large ones written in the background by
the task worker with their progress, downloadable only by whoever asked, never cut short."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from reporting import services, tasks, views
from reporting.models import Export
from tests.factories import CertificationFactory, ModuleFactory, UserFactory
from training.models import Team
from training.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(team, trainee):
    module = ModuleFactory(slug="promessa")
    for n in range(4):
        member = UserFactory(username=f"agente-{n}", roles=[Role.TRAINEE])
        team.members.add(member)
        CertificationFactory(trainee=member, module=module)
    return module


def test_a_team_matrix_downloads_at_once_as_excel(manager_client, people):
    response = manager_client.get(reverse("reporting:matrix_xlsx"))

    assert response["Content-Disposition"].startswith('attachment; filename="certification')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("username", "name", "promessa status")
    assert len(rows) == 1 + 5  # alice and four agents


def test_a_large_export_is_written_in_the_background_and_never_cut(
    manager_client, manager, people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "DIRECT_EXPORT_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.get(reverse("reporting:matrix_csv"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("reporting:exports")
    export = Export.objects.get()
    assert (export.requested_by, export.status, export.rows_written) == (manager, "done", 5)
    download = manager_client.get(reverse("reporting:export_download", args=[export.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 1 + 5 and rows[0][0] == "username"


def test_only_the_one_who_asked_downloads(client, manager, other_manager, people):
    export = tasks.export_request(user=manager, kind="matrix", file_format="csv", team_id=None)
    services.export_build(export_id=export.pk)

    client.force_login(other_manager)
    assert client.get(reverse("reporting:export_download", args=[export.pk])).status_code == 404
    client.force_login(manager)
    assert client.get(reverse("reporting:export_download", args=[export.pk])).status_code == 200


def test_the_exports_page_asks_for_one_and_shows_progress(
    manager_client, people, django_capture_on_commit_callbacks
):
    url = reverse("reporting:exports")
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(url, {"kind": "attempts", "format": "xlsx", "team": ""})

    page = manager_client.get(url)
    [export] = page.context["exports"]
    assert export.status == "done" and export.format == "xlsx"
    assert reverse("reporting:export_download", args=[export.pk]) in page.text
    assert manager_client.post(url, {"kind": "nada", "format": "pdf"}).status_code == 200
    assert Export.objects.count() == 1


def test_an_export_of_a_team_no_longer_managed_fails_with_a_reason(manager, team, people):
    export = tasks.export_request(user=manager, kind="matrix", file_format="csv", team_id=team.pk)
    team.managers.remove(manager)

    built = services.export_build(export_id=export.pk)

    assert built.status == "failed"
    assert built.error == gettext("You no longer see this team's results.")
    assert not built.file


def test_building_twice_writes_once(manager, people):
    export = tasks.export_request(user=manager, kind="matrix", file_format="csv", team_id=None)
    first = services.export_build(export_id=export.pk)
    second = services.export_build(export_id=export.pk)
    assert first.file.name == second.file.name


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_database_worker_builds_what_was_queued(
    manager, people, django_capture_on_commit_callbacks, monkeypatch
):
    # The worker closes connections it thinks stale between tasks; the test's own connection
    # holds the test transaction, so it must stay open.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = tasks.export_request(
            user=manager, kind="attempts", file_format="csv", team_id=None
        )
    assert Export.objects.get(pk=export.pk).status == "queued"

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert Export.objects.get(pk=export.pk).status == "done"


def test_trainees_cannot_reach_exports(trainee_client, team):
    assert trainee_client.get(reverse("reporting:exports")).status_code == 403
    assert Team.objects.exists()


def test_the_excel_matrix_shows_the_same_expiry_date_as_the_screen(manager_client, team):
    """An expiry just after midnight UTC is the evening before in Brazil: the sheet, read back
    with openpyxl, says the date the dashboard shows."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone
    from django.utils.formats import date_format

    module = ModuleFactory(slug="portabilidade")
    member = UserFactory(username="agente-noite", roles=[Role.TRAINEE])
    team.members.add(member)
    expires = datetime(2027, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    CertificationFactory(
        trainee=member, module=module, awarded_at=expires - timedelta(days=365), expires_at=expires
    )
    sheet = load_workbook(
        io.BytesIO(b"".join(manager_client.get(reverse("reporting:matrix_xlsx")).streaming_content))
    ).active
    row = next(r for r in sheet.values if r[0] == "agente-noite")
    assert "2027-02-28" in row
    screen = manager_client.get(reverse("reporting:dashboard")).content.decode()
    assert date_format(timezone.localdate(expires), "SHORT_DATE_FORMAT") in screen
