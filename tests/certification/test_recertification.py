"""Targeted recertification: a publication that changes behaviours assigns exactly the holders
of the module's standing certificates (the number the dry run showed) a recertification on
those behaviours, with a grace period; keeping them in a later result gives the certificate
its expiry back, and not doing it in time lets it lapse."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.impact import impact_of
from certification.models import Certification, CertificationPolicy, Recertification
from certification.rules import Status
from certification.services import recertification_assign, recertification_progress
from tests.factories import CertificationFactory, ModuleFactory
from tests.scenarios.calls import make_call
from training.events import announce_graded
from training.judgements import Judged
from training.models import Judgement, Publication
from training.services import judgements_record

pytestmark = pytest.mark.django_db

CHANGED = {"revised": ["TESTE.INFORMAR"], "removed": ["TESTE.EMPATIA"]}


@pytest.fixture
def module():
    return make_call().module


@pytest.fixture
def holders(module, trainee, other_trainee):
    now = timezone.now()
    standing = CertificationFactory(trainee=trainee, module=module)
    expired = CertificationFactory(
        trainee=other_trainee,
        module=module,
        awarded_at=now - timedelta(days=400),
        expires_at=now - timedelta(days=1),
    )
    revoked = CertificationFactory(
        module=module, revoked_at=now - timedelta(days=1), revocation_reason="Fraude"
    )
    elsewhere = CertificationFactory(module=ModuleFactory())
    return standing, expired, revoked, elsewhere


def publish(module, behaviors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return Publication.objects.create(
            module=module, version=module.version + 1, source="editor", behaviors=behaviors
        )


RECORDS = itertools.count(1)


def keep(trainee, module, codes, *, at, kept=True):
    judgements_record(
        trainee_id=trainee.pk,
        module_id=module.pk,
        source=Judgement.Source.QUIZ,
        record=next(RECORDS),
        content_version=module.version,
        seed=0,
        judged={code: Judged(kept=kept) for code in codes},
        at=at,
    )


def test_the_dry_run_counts_what_publishing_then_assigns(
    module, holders, django_capture_on_commit_callbacks
):
    standing, expired, revoked, elsewhere = holders
    dry_run = impact_of(module, CHANGED)
    publish(module, CHANGED, django_capture_on_commit_callbacks)

    assigned = Recertification.objects.all()
    assert dry_run.certificates == assigned.count() == 1
    recertification = assigned.get()
    assert recertification.certificate == standing
    # Exactly the behaviours changed that can still be asked: the removed one cannot.
    assert recertification.behaviors == ["TESTE.INFORMAR"] == list(dry_run.behaviors)
    standing.refresh_from_db()
    due = recertification.due_at
    assert standing.expires_at == due
    assert timedelta(days=29) < due - timezone.now() <= timedelta(days=30)
    # The certificate still stands during the grace period, shown as expiring soon.
    assert standing.status_at(timezone.now()) == Status.EXPIRING_SOON


def test_a_change_that_only_removes_behaviours_or_touches_none_assigns_nothing(
    module, holders, django_capture_on_commit_callbacks
):
    publish(module, {"removed": ["TESTE.EMPATIA"]}, django_capture_on_commit_callbacks)
    publish(module, {}, django_capture_on_commit_callbacks)
    assert not Recertification.objects.exists()
    assert impact_of(module, {"removed": ["TESTE.EMPATIA"]}).certificates == 0


def test_assigning_twice_for_the_same_publication_adds_nothing(
    module, holders, django_capture_on_commit_callbacks
):
    publication = publish(module, CHANGED, django_capture_on_commit_callbacks)
    assert recertification_assign(publication=publication) == 0
    assert Recertification.objects.count() == 1


def test_keeping_the_changed_behaviours_after_the_change_restores_the_expiry(
    module, holders, trainee, django_capture_on_commit_callbacks
):
    standing = holders[0]
    before = standing.expires_at
    publish(module, CHANGED, django_capture_on_commit_callbacks)
    recertification = Recertification.objects.get()
    # A miss, or a pass from before the change, does not count.
    keep(trainee, module, ["TESTE.INFORMAR"], at=recertification.assigned_at - timedelta(hours=1))
    keep(trainee, module, ["TESTE.INFORMAR"], at=timezone.now(), kept=False)
    assert (
        recertification_progress(trainee_id=trainee.pk, module_id=module.pk, now=timezone.now())
        == 0
    )
    later = timezone.now() + timedelta(minutes=1)
    keep(trainee, module, ["TESTE.INFORMAR"], at=later)
    with django_capture_on_commit_callbacks(execute=True):
        announce_graded(
            trainee_id=trainee.pk, module_id=module.pk, source="quiz", record=1, at=later
        )
    recertification.refresh_from_db()
    standing.refresh_from_db()
    assert recertification.completed_at == later
    assert standing.expires_at == before


def test_a_recertification_not_done_in_time_lets_the_certificate_lapse(
    module, holders, trainee, django_capture_on_commit_callbacks
):
    CertificationPolicy.objects.update_or_create(module=module, defaults={"delta_grace_days": 7})
    standing = holders[0]
    publish(module, CHANGED, django_capture_on_commit_callbacks)
    recertification = Recertification.objects.get()
    assert recertification.due_at - recertification.assigned_at == timedelta(days=7)
    late = recertification.due_at + timedelta(days=1)
    keep(trainee, module, ["TESTE.INFORMAR"], at=late)
    recertification_progress(trainee_id=trainee.pk, module_id=module.pk, now=late)
    standing.refresh_from_db()
    assert standing.status_at(late) == Status.EXPIRED


def test_the_trainee_sees_what_to_pass_again_and_by_when(
    client, module, holders, trainee, django_capture_on_commit_callbacks
):
    publish(module, CHANGED, django_capture_on_commit_callbacks)
    client.force_login(trainee)
    page = client.get(reverse("reporting:my_modules")).content.decode()
    assert "Recertificação" in page
    assert "Informar o religue em até 2 horas" in page
    assert (
        Certification.objects.get(pk=holders[0].pk).expires_at.date().strftime("%d/%m/%Y") in page
    )
