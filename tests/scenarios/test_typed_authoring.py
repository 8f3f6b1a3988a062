"""Authoring typed steps: the draft page shows each sample as the grader reads it, a trainer
tries replies of their own, a sample that flips blocks publishing, and the published chat call
plays and grades in the agent's own words."""

import pytest
import yaml
from django.urls import reverse

from scenarios import authoring, services
from scenarios.models import Scenario, Turn
from tests.e2e.call_source import CHAT_CALL
from training.models import Module

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(small_pack, publisher):
    return authoring.call_draft_save(
        module=Module.objects.get(slug="promessa"),
        slug="chat-religue-teste",
        source=CHAT_CALL,
        author=publisher,
    )


def test_a_chat_call_passes_every_check_of_the_editor(draft):
    content, problems = authoring.call_problems(draft.source)
    assert problems == [] and content is not None


def test_the_draft_page_shows_each_sample_as_the_grader_reads_it(client, publisher, draft):
    client.force_login(publisher)
    page = client.get(reverse("scenarios:draft_detail", args=[draft.pk])).content.decode()
    assert '<mark class="evidence-good" title="Verificar a aptidão antes de registrar">' in page
    assert '<mark class="evidence-bad" title="Registrar sem verificar">registro' in page
    assert "table-danger" not in page  # no sample flips


def test_a_trainer_tries_a_reply_and_sees_the_evidence(client, publisher, draft):
    client.force_login(publisher)
    url = reverse("scenarios:draft_try_reply", args=[draft.pk])
    accepted = client.post(url, {"step": "abertura", "reply": "Deixa eu conferir a sua aptidão."})
    assert "A correção aceita esta resposta." in accepted.content.decode()
    rejected = client.post(
        url, {"step": "abertura", "reply": "Não vou verificar a aptidão, já registro."}
    ).content.decode()
    assert "A correção recusa esta resposta." in rejected
    assert "dito numa negação" in rejected
    wrong_step = client.post(url, {"step": "decisao", "reply": "Olá"}).content.decode()
    assert "não recebe resposta digitada" in wrong_step


def test_a_sample_that_flips_blocks_publishing(publisher, draft):
    def flip(data):
        data["steps"][0]["typed"]["samples"].append(
            {"reply": "Pode deixar comigo, resolvo tudo.", "expect": "accepted"}
        )

    data = yaml.safe_load(draft.source)
    flip(data)
    draft.source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    draft.save()
    with pytest.raises(authoring.Unpublishable) as refused:
        authoring.call_draft_publish(draft.pk, by=publisher)
    assert any("should be accepted" in p for p in refused.value.problems)


def test_the_published_chat_call_grades_the_agents_words(publisher, draft, trainee):
    authoring.call_draft_publish(draft.pk, by=publisher)
    scenario = Scenario.objects.get(slug="chat-religue-teste")
    run = services.run_start(user=trainee, scenario=scenario)
    outcome = services.run_reply(run=run, turn=1, text="Vou conferir se a senhora está apta.")
    assert outcome.turn.choice_id == Turn.TYPED
    assert outcome.turn.behaviors == ["TESTE.APTO"]


def test_trainees_may_not_try_replies(trainee_client, draft):
    url = reverse("scenarios:draft_try_reply", args=[draft.pk])
    assert trainee_client.post(url, {"step": "abertura", "reply": "x"}).status_code == 403
