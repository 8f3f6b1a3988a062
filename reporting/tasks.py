"""Background work of reporting, on Django's task framework (the django-tasks backport on 5.2,
with the database backend: no other server needed). ``manage.py db_worker`` runs it."""

from datetime import datetime

from django.db import transaction
from django_tasks import task

from reporting.models import Export
from reporting.scope import scope_for
from reporting.services import (
    export_build,
    option_tallies_add,
    reporting_refresh,
    statements_deliver,
    statements_write,
)


@task()
def build_export(export_id: int) -> None:
    """Write an organisation-wide export to a file, with its progress, for its requester."""
    export_build(export_id=export_id)


@task()
def refresh_after_grading(
    trainee_id: int, module_id: int, source: str, record: int, graded_at: str
) -> None:
    """Recount the rollups one graded result changes, and count its options picked: off the
    request that graded it, so a submit answers as soon as its grade and certificate are
    written. Idempotent: a retry changes nothing."""
    reporting_refresh(
        trainee_id=trainee_id, module_id=module_id, at=datetime.fromisoformat(graded_at)
    )
    if source == "quiz":
        option_tallies_add(attempt_id=record)
    if statements_write(source=source, record=record):
        deliver_statements.enqueue()


@task()
def deliver_statements() -> None:
    """Send the xAPI statements due to the LRS (``manage.py send_statements`` does the same,
    for a scheduler to retry those that failed)."""
    statements_deliver()


def export_request(*, user, kind: str, file_format: str, team_id: int | None) -> Export:
    """Ask for an export of ``kind`` for ``user``'s scope (a team, or every team they may
    see), written by the task worker; the task is queued once this transaction commits."""
    scope = scope_for(user, team_id)
    export = Export.objects.create(
        requested_by=user,
        kind=kind,
        format=file_format,
        team_id=scope.team.pk if scope.team else None,
    )
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export
