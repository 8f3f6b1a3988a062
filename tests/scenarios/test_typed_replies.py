"""Typed steps in a call: the reply graded on its concepts, wrong replies failing the call,
double posts counted once, bad text refused with nothing written, the evidence in the review."""

import pytest
from django.urls import reverse

from reporting.replay import replay_grades
from scenarios import services
from scenarios.checks import check_scenario
from scenarios.graph import Scenario
from scenarios.guessers import call_figures
from scenarios.models import Run, Turn
from tests.scenarios.calls import CODES, ELIGIBLE_FACTS, chat_definition, make_chat_call, place_of
from training.models import Behavior, Judgement

pytestmark = pytest.mark.django_db

TO_THE_TYPED_STEP = [
    ("abertura", "cumprimentar-ajudar"),
    ("pedido", "verificar"),
    ("analise", "registrar"),
]
VIOLATIONS = {code for code, (_, kind) in CODES.items() if kind == Behavior.Kind.VIOLATION}


@pytest.fixture
def run(trainee):
    scenario = make_chat_call()
    run = services.run_start(user=trainee, scenario=scenario)
    Run.objects.filter(pk=run.pk).update(facts={**run.facts, **ELIGIBLE_FACTS})
    run.refresh_from_db()
    for turn, (step, choice) in enumerate(TO_THE_TYPED_STEP, start=1):
        services.run_choose(run=run, turn=turn, option=place_of(run, step, choice))
    run.refresh_from_db()
    assert run.current_step == "registrado"
    return run


def reply(client, run, text, turn=4):
    return client.post(reverse("scenarios:reply", args=[run.pk]), {"turn": turn, "reply": text})


def test_the_typed_call_passes_its_own_checks_and_no_guesser_passes_it():
    definition = chat_definition()
    report = check_scenario(definition, VIOLATIONS)
    assert report.ok, report.problems
    # Where the call reaches the typed step, what a guesser types (the customer's words
    # back, a polite holding line, every phrasing at once) never passes.
    figures = call_figures(Scenario.from_definition(definition), cases=[ELIGIBLE_FACTS])
    assert max(figures.passed.values()) == 0


def test_the_call_page_asks_for_a_typed_reply_and_shows_no_menu(trainee_client, run):
    page = trainee_client.get(run.get_absolute_url()).content.decode()
    assert 'name="reply"' in page
    assert "O sinal volta em até duas horas." not in page  # the samples stay hidden


def test_the_right_reply_in_the_agents_own_words_passes(trainee_client, run):
    response = reply(trainee_client, run, "Pronto! Seu sinal volta em no máximo 2h, tá?")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.is_finished and run.passed
    turn = Turn.objects.get(run=run, index=4)
    assert turn.choice_id == Turn.TYPED and turn.behaviors == ["TESTE.INFORMAR"]
    assert turn.evidence["accepted"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Pronto, o religue acontece em 24 horas.",  # the wrong deadline: a named violation
        "Pronto, está tudo registrado.",  # the mandatory disclosure left out
        "O sinal não volta em 2 horas, viu?",  # said under a negation
        "religue 2 horas, 24 horas, amanhã",  # every phrasing at once
    ],
)
def test_every_wrong_reply_fails_the_call(trainee_client, run, text):
    reply(trainee_client, run, text)
    run.refresh_from_db()
    assert run.is_finished and not run.passed


def test_the_review_highlights_the_evidence_and_names_what_was_missing(trainee_client, run):
    reply(trainee_client, run, "Registrado! O religue sai em 24 horas.")
    page = trainee_client.get(reverse("scenarios:review", args=[run.pk])).content.decode()
    assert '<mark class="evidence-bad" title="Um prazo de religue errado">24 horas' in page
    assert "O religue em até 2 horas" in page  # the missing concept, named


def test_a_double_post_counts_once_and_another_text_for_the_same_turn_is_refused(run):
    first = services.run_reply(run=run, turn=4, text="O sinal volta em até 2 horas.")
    again = services.run_reply(run=run, turn=4, text="O sinal volta em até 2 horas.")
    assert again.duplicate and again.turn.pk == first.turn.pk
    with pytest.raises(services.ChoiceNotOnOffer):
        services.run_reply(run=run, turn=4, text="Outra coisa.")
    assert Turn.objects.filter(run=run).count() == 4


@pytest.mark.parametrize("text", ["", "   ", "a\x00b", "x" * 1501, "linha\x1b[31m"])
def test_text_that_cannot_be_a_reply_is_refused_and_nothing_is_written(trainee_client, run, text):
    response = reply(trainee_client, run, text)
    assert response.status_code == 400
    assert Turn.objects.filter(run=run).count() == 3


def test_a_menu_step_refuses_a_typed_reply_and_a_typed_step_a_menu_choice(trainee, run):
    with pytest.raises(services.ChoiceNotOnOffer):
        services.run_choose(run=run, turn=4, option=1)
    other = services.run_start(user=trainee, scenario=run.scenario, preview=True)
    with pytest.raises(services.ChoiceNotOnOffer):
        services.run_reply(run=other, turn=1, text="Olá!")


def test_someone_elses_run_is_not_found(client, run, other_trainee):
    client.force_login(other_trainee)
    assert reply(client, run, "O sinal volta em 2 horas.").status_code == 404


def test_a_sample_that_flips_is_named_by_the_checks():
    definition = chat_definition()
    step = next(s for s in definition["steps"] if s["id"] == "registrado")
    step["typed"]["samples"].append(
        {"reply": "Volta em breve, pode confiar.", "expect": "accepted"}
    )
    problems = check_scenario(definition, VIOLATIONS).problems
    assert any(
        p.path[:4] == ("steps", 3, "typed", "samples") and "should be accepted" in p.message
        for p in problems
    ), problems


def test_a_typed_reply_replays_from_its_words(run):
    services.run_reply(run=run, turn=4, text="O sinal volta em até 2 horas.")
    assert replay_grades().differing == []
    Turn.objects.filter(run=run, index=4).update(behaviors=[])
    differing = replay_grades().differing
    assert differing and "the reply reads ['TESTE.INFORMAR']" in differing[0]


def test_a_rule_kept_in_a_typed_reply_is_recorded_as_said_in_ones_own_words(run):
    services.run_reply(run=run, turn=4, text="O sinal volta em até 2 horas.")
    ledger = {
        j.behavior.code: j.evidence
        for j in Judgement.objects.filter(record=run.pk).select_related("behavior")
    }
    assert ledger["TESTE.INFORMAR"].get("own_words") is True
    assert "own_words" not in ledger["TESTE.VERIFICAR"]  # picked from a menu
