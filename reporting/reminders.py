"""Reminders: certificates expiring in 90, 60, 30 and 7 days, and assignments overdue, become a
notification on the site and an e-mail, each exactly once whatever how often this runs (the
notification's unique key is the proof it was sent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from certification.models import Certification
from reporting.models import Assignment, Notification
from reporting.practice import assignments_for

# Days before expiry at which the holder is reminded.
EXPIRY_STEPS = (90, 60, 30, 7)


@dataclass(frozen=True)
class Reminder:
    user: object
    key: str
    message: str
    url: str


def due_reminders(now: datetime) -> list[Reminder]:
    """Every reminder due now, sent or not (sending skips those already sent)."""
    found = []
    horizon = now + timedelta(days=max(EXPIRY_STEPS))
    certificates = (
        Certification.objects.latest_per_module()
        .filter(revoked_at__isnull=True, expires_at__gt=now, expires_at__lte=horizon)
        .select_related("trainee", "module")
    )
    for certificate in certificates.iterator(chunk_size=2000):
        left = (certificate.expires_at - now).days
        step = min(s for s in EXPIRY_STEPS if left < s)
        found.append(
            Reminder(
                user=certificate.trainee,
                key=f"cert:{certificate.pk}:{step}",
                message=_("Your certificate in “%(module)s” expires on %(date)s.")
                % {
                    "module": certificate.module.title,
                    "date": date_format(
                        timezone.localtime(certificate.expires_at), "SHORT_DATE_FORMAT"
                    ),
                },
                url=certificate.get_absolute_url(),
            )
        )
    overdue = Assignment.objects.filter(due_on__lt=timezone.localdate(now)).select_related(
        "team", "module", "scenario"
    )
    for assignment in overdue:
        for member in assignment.team.members.filter(is_active=True):
            states = {s.assignment.pk: s for s in assignments_for(member, now)}
            state = states.get(assignment.pk)
            if state is None or state.done:
                continue
            what = assignment.scenario or assignment.module
            found.append(
                Reminder(
                    user=member,
                    key=f"assignment:{assignment.pk}:overdue",
                    message=_("“%(what)s”, assigned by your manager, was due on %(date)s.")
                    % {
                        "what": what.title,
                        "date": date_format(assignment.due_on, "SHORT_DATE_FORMAT"),
                    },
                    url=reverse("reporting:my_modules"),
                )
            )
    return found


def _short(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def reminders_send(now: datetime | None = None) -> int:
    """Send every due reminder not sent before; return how many were sent."""
    now = now or timezone.now()
    sent = 0
    with override(settings.LANGUAGE_CODE):
        reminders = due_reminders(now)
        subject = _("Trilha: a reminder")
    for reminder in reminders:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=reminder.user, key=reminder.key, message=reminder.message, url=reminder.url
                )
        except IntegrityError:
            continue  # sent before (or by a run at the same moment)
        sent += 1
        if reminder.user.email:
            send_mail(
                subject=subject,
                message=f"{reminder.message}\n\n{settings.SITE_URL}{reminder.url}",
                from_email=None,
                recipient_list=[reminder.user.email],
            )
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent
