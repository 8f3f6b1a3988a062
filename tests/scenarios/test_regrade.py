"""Regrading the runs of a call after its rubric or choices were fixed: the dry run says who
changes, applying it moves exactly those runs to the published version with their new
grade and ledger rows (and they still replay), a run that met other words is left alone,
and a stale apply changes nothing."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from reporting.replay import replay_grades
from scenarios import regrade, services
from scenarios.models import Run
from scenarios.selectors import graph_of
from tests.factories import ScenarioVersionFactory, UserFactory
from tests.scenarios.calls import ELIGIBLE_FACTS, EXPERT_PATH, call_definition, make_call, place_of
from training.models import AuditEvent, Judgement, Regrade
from training.roles import Role

pytestmark = pytest.mark.django_db


def broken_definition():
    """The call as first published, with a mistake: saying the 2-hour deadline was tagged
    with nothing, so the mandatory disclosure could never be made."""
    definition = call_definition()
    for step in definition["steps"]:
        for choice in step.get("choices", ()):
            if choice["id"] == "informar":
                choice["behaviors"] = []
                choice["neutral"] = "(erro de cadastro)"
    return definition


def eligible_seed(scenario) -> int:
    """A seed whose drawn facts let the customer make a promise (the expert path's case)."""
    story = graph_of(scenario.versions.get(number=scenario.version))
    return next(
        seed
        for seed in range(1000)
        if all(story.draw(seed)[k] == v for k, v in ELIGIBLE_FACTS.items() if k != "customer_name")
    )


def play(scenario, user, path) -> Run:
    run = services.run_start(user=user, scenario=scenario, seed=eligible_seed(scenario))
    for turn, (step, choice) in enumerate(path, start=1):
        services.run_choose(run=run, turn=turn, option=place_of(run, step, choice))
        run.refresh_from_db()
    return run


def publish(scenario, definition):
    scenario.version += 1
    scenario.save()
    ScenarioVersionFactory(scenario=scenario, definition=definition)


@pytest.fixture
def runs(db):
    scenario = make_call()
    version = scenario.versions.get()
    version.definition = broken_definition()
    version.save()
    expert = play(scenario, UserFactory(username="ana", roles=[Role.TRAINEE]), EXPERT_PATH)
    wrong = [*EXPERT_PATH[:3], ("registrado", "prazo-errado")]
    careless = play(scenario, UserFactory(username="bia", roles=[Role.TRAINEE]), wrong)
    return scenario, expert, careless


def test_the_dry_run_and_the_apply_regrade_exactly_the_runs_that_change(runs, publisher):
    scenario, expert, careless = runs
    assert expert.passed is False  # the mistake failed the agent who said the right thing
    assert careless.passed is False
    publish(scenario, call_definition())  # the fix

    plan = regrade.regrade_plan(scenario)
    assert (plan.examined, plan.rekeyed) == (2, 2)
    (change,) = plan.changes  # the careless run fails either way, with the same verdicts
    assert change.record == expert.pk and change.verdict == "passes"
    assert change.flipped == (("TESTE.INFORMAR", True),)
    assert change.place == 4  # the turn whose judging changed

    done, applied = regrade.regrade_apply(
        scenario=scenario, by=publisher, reason="Faltava a tag", fingerprint=plan.fingerprint
    )
    expert.refresh_from_db()
    careless.refresh_from_db()
    assert expert.passed is True and expert.version.number == 2
    assert careless.version.number == 1  # unchanged: left on the version it was graded on
    assert expert.turns.get(index=4).behaviors == ["TESTE.INFORMAR"]
    informed = Judgement.objects.get(record=expert.pk, behavior__code="TESTE.INFORMAR")
    assert informed.verdict == Judgement.Verdict.KEPT and informed.written_by == done
    assert Judgement.with_retired.filter(retired_by=done, record=expert.pk).exists()
    assert done.changes[0]["version"] == [1, 2]
    assert AuditEvent.objects.get(action=AuditEvent.Action.REGRADED).details["changed"] == 1
    assert replay_grades().differing == []


def test_a_run_that_met_other_words_is_left_as_it_was(runs):
    scenario, expert, careless = runs
    fixed = call_definition()
    for step in fixed["steps"]:
        for choice in step.get("choices", ()):
            if choice["id"] == "informar":
                choice["say"] = "Seu sinal volta em até 2 horas."
    publish(scenario, fixed)
    plan = regrade.regrade_plan(scenario)
    # The expert said the old words; the careless agent never met that choice.
    assert (plan.examined, plan.rekeyed, plan.changes) == (2, 1, [])


def test_a_stale_call_regrade_changes_nothing(runs, publisher):
    scenario, expert, careless = runs
    publish(scenario, call_definition())
    plan = regrade.regrade_plan(scenario)
    again = call_definition()
    again["rubric"]["pass_mark"] = 100
    publish(scenario, copy.deepcopy(again))
    with pytest.raises(regrade.StaleRegrade):
        regrade.regrade_apply(
            scenario=scenario, by=publisher, reason="x", fingerprint=plan.fingerprint
        )
    expert.refresh_from_db()
    assert expert.passed is False and expert.version.number == 1
    assert not Regrade.objects.exists()
    assert not Judgement.with_retired.filter(retired_by__isnull=False).exists()


def test_the_call_regrade_page(runs, client, publisher):
    scenario, expert, careless = runs
    publish(scenario, call_definition())
    client.force_login(publisher)
    url = reverse("scenarios:call_regrade", args=[scenario.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "passam a ser aprovados: 1" in page.content.decode()
    fingerprint = page.context["plan"].fingerprint
    response = client.post(url, {"reason": "Faltava a tag", "fingerprint": fingerprint})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.passed is True
