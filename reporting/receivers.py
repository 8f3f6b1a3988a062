"""Reporting listens to the engines: after a result is graded and committed, the recount of
the rollups it changes is queued for the task worker (``reporting.tasks``)."""

from django.dispatch import receiver

from reporting.tasks import refresh_after_grading
from training.events import result_graded


@receiver(result_graded, dispatch_uid="reporting.refresh")
def queue_the_refresh(
    sender, *, trainee_id: int, module_id: int, source: str, record: int, at, **kwargs
) -> None:
    refresh_after_grading.enqueue(trainee_id, module_id, source, record, at.isoformat())
