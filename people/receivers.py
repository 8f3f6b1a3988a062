"""People listens to the engines for LTI: after a graded call or quiz, the grade goes back to
the LMS the person launched it from (``people.lti``)."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from certification.models import Certification
from people.lti import grade_send
from people.models import LtiLink
from scenarios.models import Run
from training.events import result_graded


@receiver(result_graded, dispatch_uid="people.lti_grades")
def send_lti_grades(sender, *, trainee_id: int, module_id: int, source: str, record: int, at, **kw):
    if not settings.LTI_CONFIG_FILE:
        return  # no platform registered: nobody came through LTI, nothing to look up
    links = LtiLink.objects.filter(user_id=trainee_id).exclude(lineitem="")
    if not links.exists():
        return
    if source == "call":
        run = Run.objects.filter(pk=record).values("scenario_id", "score", "passed").first()
        if run is not None:
            for link in links.filter(scenario_id=run["scenario_id"]):
                grade_send(link, score=run["score"] or 0, passed=bool(run["passed"]), at=at)
    # A module link carries the certificate: 100 once it stands, else 0.
    now = timezone.now()
    certified = Certification.objects.filter(
        trainee_id=trainee_id,
        module_id=module_id,
        is_current=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists()
    for link in links.filter(module_id=module_id):
        grade_send(link, score=100 if certified else 0, passed=certified, at=at)
