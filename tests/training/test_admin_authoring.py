"""Trainers author content in the admin; what they change is a new version of its module."""

from django.urls import reverse

from tests.factories import BehaviorFactory
from training.models import Module


def procedure_form(procedure, **changes):
    behavior = procedure.behaviors.get()
    data = {
        "module": procedure.module_id,
        "slug": procedure.slug,
        "title": procedure.title,
        "order": procedure.order,
        "guidance": procedure.guidance,
        "behaviors-TOTAL_FORMS": 1,
        "behaviors-INITIAL_FORMS": 1,
        "behaviors-MIN_NUM_FORMS": 0,
        "behaviors-MAX_NUM_FORMS": 1000,
        "behaviors-0-id": behavior.pk,
        "behaviors-0-procedure": procedure.pk,
        "behaviors-0-order": behavior.order,
        "behaviors-0-code": behavior.code,
        "behaviors-0-label": behavior.label,
        "behaviors-0-kind": behavior.kind,
        "behaviors-0-description": behavior.description,
        "behaviors-0-manual_quote": behavior.manual_quote,
    }
    return {**data, **changes}


def test_a_trainer_edits_a_procedure_in_the_admin_and_the_module_gets_a_new_version(
    trainer_client,
):
    procedure = BehaviorFactory().procedure
    url = reverse("admin:training_procedure_change", args=[procedure.pk])
    assert trainer_client.get(url).status_code == 200

    response = trainer_client.post(url, procedure_form(procedure, guidance="Novo texto."))

    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.guidance == "Novo texto."
    assert Module.objects.get(pk=procedure.module_id).version == 2


def test_saving_without_a_change_keeps_the_version(trainer_client):
    procedure = BehaviorFactory().procedure
    url = reverse("admin:training_procedure_change", args=[procedure.pk])
    trainer_client.post(url, procedure_form(procedure))
    assert Module.objects.get(pk=procedure.module_id).version == 1


def test_a_trainer_may_look_at_but_not_change_results(trainer_client):
    assert trainer_client.get(reverse("admin:quizzes_attempt_changelist")).status_code == 200
    assert trainer_client.get(reverse("admin:quizzes_question_add")).status_code == 200
    assert trainer_client.get(reverse("admin:scenarios_run_changelist")).status_code == 200


def test_a_trainee_has_no_admin(trainee_client):
    response = trainee_client.get(reverse("admin:index"))
    assert response.status_code == 302
