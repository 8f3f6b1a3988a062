"""The dry run of a publication: the valid certificates of the module resting on the changed
behaviours, and the questions and calls that judge exactly those; for trainers only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CertificationFactory
from tests.scenarios.calls import make_call

pytestmark = pytest.mark.django_db


def test_the_dry_run_counts_standing_certificates_and_the_practice(client, trainer, trainee):
    call = make_call()
    now = timezone.now()
    CertificationFactory(trainee=trainee, module=call.module)
    CertificationFactory(
        module=call.module, awarded_at=now - timedelta(days=400), expires_at=now - timedelta(days=1)
    )
    client.force_login(trainer)
    url = reverse("certification:impact", args=[call.module.slug])
    page = client.get(url, {"code": ["TESTE.PRAZO_ERRADO"]})
    impact = page.context["impact"]
    assert impact.certificates == 1 and impact.calls == [call.slug]
    assert client.get(url).context["impact"].certificates == 0


def test_the_dry_run_is_for_trainers(client, trainee):
    call = make_call()
    client.force_login(trainee)
    assert client.get(reverse("certification:impact", args=[call.module.slug])).status_code == 403
