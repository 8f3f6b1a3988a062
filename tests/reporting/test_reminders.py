"""Reminders: a certificate expiring within 90, 60, 30 or 7 days and an overdue assignment each
produce one notification and one e-mail, never two, however often the command runs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting.models import Assignment, Notification
from reporting.reminders import reminders_send
from tests.factories import CertificationFactory
from tests.scenarios.calls import make_call

pytestmark = pytest.mark.django_db


def test_an_expiring_certificate_is_reminded_once_per_step(trainee):
    trainee.email = "alice@example.com"
    trainee.save()
    now = timezone.now()
    certificate = CertificationFactory(
        trainee=trainee, awarded_at=now - timedelta(days=340), expires_at=now + timedelta(days=25)
    )
    assert reminders_send(now) == 1
    assert reminders_send(now) == 0
    call_command("send_reminders", stdout=__import__("io").StringIO())
    [notification] = Notification.objects.all()
    assert notification.key == f"cert:{certificate.pk}:30"
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    assert "expira em" in mail.outbox[0].body
    # Three weeks later it enters the 7-day step: one more, and only one.
    later = now + timedelta(days=19)
    assert reminders_send(later) == 1 and reminders_send(later) == 0
    assert len(mail.outbox) == 2


def test_nothing_is_reminded_far_from_expiry(trainee):
    now = timezone.now()
    CertificationFactory(trainee=trainee, expires_at=now + timedelta(days=200))
    assert reminders_send(now) == 0


def test_an_overdue_assignment_reminds_who_has_not_done_it(client, trainee, team, manager):
    call = make_call()
    Assignment.objects.create(
        team=team, scenario=call, due_on=timezone.localdate() - timedelta(days=1)
    )
    assert reminders_send() == 1
    assert reminders_send() == 0
    client.force_login(trainee)
    page = client.get(reverse("reporting:my_modules")).content.decode()
    assert call.title in page and "Lembretes" in page
    client.post(reverse("reporting:notifications_read"))
    assert Notification.objects.get().read_at is not None
    assert "Lembretes" not in client.get(reverse("reporting:my_modules")).content.decode()
