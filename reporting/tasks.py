"""Background work of reporting, on Django's task framework (the django-tasks backport on 5.2,
with the database backend: no other server needed). ``manage.py db_worker`` runs it."""

from django_tasks import task

from reporting.services import export_build


@task()
def build_export(export_id: int) -> None:
    """Write an organisation-wide export to a file, with its progress, for its requester."""
    export_build(export_id=export_id)
