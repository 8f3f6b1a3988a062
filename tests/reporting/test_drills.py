"""Drills: what the memory model says the trainee is forgetting becomes one call that judges
it, on a case of its facts the trainee has not played; posting starts that run."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.services import fact_cases_of
from reporting import practice
from scenarios.models import Run
from tests.scenarios.calls import ELIGIBLE_FACTS, make_call
from training.judgements import Judged
from training.models import Judgement
from training.services import judgements_record

pytestmark = pytest.mark.django_db

RECORDS = itertools.count(1000)


def kept_long_ago(trainee, module, code, days=60):
    judgements_record(
        trainee_id=trainee.pk,
        module_id=module.pk,
        source=Judgement.Source.QUIZ,
        record=next(RECORDS),
        content_version=1,
        seed=0,
        judged={code: Judged(kept=True)},
        at=timezone.now() - timedelta(days=days),
    )


def case_of(run_or_facts, call):
    version = call.versions.get()
    facts = run_or_facts if isinstance(run_or_facts, dict) else run_or_facts.facts
    return fact_cases_of([(0, version.pk, facts)])[0]


def test_nothing_due_makes_no_drill(trainee):
    make_call()
    assert practice.drill_for(trainee, timezone.now()) is None


def test_a_due_behaviour_makes_a_drill_on_a_case_not_played(client, trainee):
    call = make_call()
    kept_long_ago(trainee, call.module, "TESTE.INFORMAR")
    now = timezone.now()
    drill = practice.drill_for(trainee, now)
    assert drill.scenario == call and drill.fresh
    assert [b.code for b in drill.behaviors] == ["TESTE.INFORMAR"]

    # The trainee plays the case the drill chose; the next drill picks another one.
    first_case = case_of(_facts(call, drill.seed), call)
    Run.objects.create(
        user=trainee,
        scenario=call,
        version=call.versions.get(),
        seed=drill.seed,
        facts=_facts(call, drill.seed),
        current_step="fim",
        status=Run.Status.COMPLETED,
        finished_at=now,
        passed=False,
    )
    again = practice.drill_for(trainee, now)
    assert case_of(_facts(call, again.seed), call) != first_case

    client.force_login(trainee)
    page = client.get(reverse("reporting:my_modules")).content.decode()
    assert reverse("reporting:drill") in page
    response = client.post(reverse("reporting:drill"))
    run = Run.objects.filter(user=trainee).latest("pk")
    assert response["Location"] == run.get_absolute_url() and run.seed == again.seed


def _facts(call, seed):
    from scenarios.selectors import graph_of

    return graph_of(call.versions.get()).draw(seed)


def test_every_case_played_still_drills_on_any_case(trainee):
    call = make_call()
    kept_long_ago(trainee, call.module, "TESTE.INFORMAR")
    for attempt in range(40):
        facts = _facts(call, attempt)
        Run.objects.create(
            user=trainee,
            scenario=call,
            version=call.versions.get(),
            seed=attempt,
            facts={**facts, **(ELIGIBLE_FACTS if attempt % 2 else {})},
            current_step="fim",
            status=Run.Status.COMPLETED,
            finished_at=timezone.now(),
            passed=False,
        )
    drill = practice.drill_for(trainee, timezone.now())
    assert drill is not None and drill.scenario == call


def test_only_trainees_drill(client, trainer):
    client.force_login(trainer)
    assert client.post(reverse("reporting:drill")).status_code == 403
