"""Certification listens to the engines: after a result is graded and committed, the module's
policy is evaluated for that trainee (at once after a pass, in the task worker otherwise) and
their open targeted recertifications progress; after content is published, the certificates
resting on the behaviours it changed are assigned a targeted recertification."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from certification.services import (
    certification_evaluate,
    recertification_assign,
    recertification_progress,
)
from certification.tasks import evaluate_certification
from training.events import result_graded
from training.models import Module, Publication


@receiver(result_graded, dispatch_uid="certification.evaluate")
def evaluate_after_grading(
    sender, *, trainee_id: int, module_id: int, at, passed: bool = True, **kwargs
) -> None:
    """A pass is evaluated at once, so its certificate is on the result page; any other
    result goes to the task worker, off the trainee's request."""
    if not passed:
        evaluate_certification.enqueue(trainee_id, module_id, at.isoformat())
        return
    certification_evaluate(
        user=get_user_model().objects.get(pk=trainee_id),
        module=Module.objects.get(pk=module_id),
        now=at,
    )


@receiver(result_graded, dispatch_uid="certification.recertification_progress")
def progress_after_grading(sender, *, trainee_id: int, module_id: int, at, **kwargs) -> None:
    recertification_progress(trainee_id=trainee_id, module_id=module_id, now=at)


@receiver(post_save, sender=Publication, dispatch_uid="certification.recertification_assign")
def assign_after_publication(sender, instance: Publication, created: bool, **kwargs) -> None:
    if created:
        transaction.on_commit(lambda: recertification_assign(publication=instance))
