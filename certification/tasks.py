"""Background work of certification, on the task worker (``manage.py db_worker``)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django_tasks import task

from certification.services import certification_evaluate
from training.models import Module


@task()
def evaluate_certification(trainee_id: int, module_id: int, graded_at: str) -> None:
    """Evaluate the module's policy for the trainee after a result that did not pass (it
    cannot earn a certificate, so nobody waits for it): a certificate that an earlier pass
    should have awarded, had its evaluation failed, is awarded now. Idempotent."""
    certification_evaluate(
        user=get_user_model().objects.get(pk=trainee_id),
        module=Module.objects.get(pk=module_id),
        now=datetime.fromisoformat(graded_at),
    )
