"""Reporting listens to the engines: after a result is graded and committed, the rollups it
changes are recounted."""

from django.dispatch import receiver

from reporting.services import option_tallies_add, reporting_refresh
from training.events import result_graded


@receiver(result_graded, dispatch_uid="reporting.refresh")
def refresh_after_grading(
    sender, *, trainee_id: int, module_id: int, source: str, record: int, at, **kwargs
) -> None:
    reporting_refresh(trainee_id=trainee_id, module_id=module_id, at=at)
    if source == "quiz":
        option_tallies_add(attempt_id=record)
