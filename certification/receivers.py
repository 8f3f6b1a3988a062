"""Certification listens to the engines: after a result is graded and committed, the module's
policy is evaluated for that trainee."""

from django.contrib.auth import get_user_model
from django.dispatch import receiver

from certification.services import certification_evaluate
from training.events import result_graded
from training.models import Module


@receiver(result_graded, dispatch_uid="certification.evaluate")
def evaluate_after_grading(sender, *, trainee_id: int, module_id: int, at, **kwargs) -> None:
    certification_evaluate(
        user=get_user_model().objects.get(pk=trainee_id),
        module=Module.objects.get(pk=module_id),
        now=at,
    )
