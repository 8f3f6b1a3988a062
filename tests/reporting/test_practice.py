"""What to practise next: a trainee who breaks a rule in a call sees it on their home with where
it happened and the calls and quiz that practise it, until they keep it; a manager assigns a
module or a call to their team by a date, and it shows as done once passed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import practice
from reporting.models import Assignment
from scenarios.models import Run
from tests.reporting.test_coaching import break_the_rule
from tests.scenarios.calls import make_call

pytestmark = pytest.mark.django_db


def test_a_trainee_who_breaks_a_rule_sees_what_to_practise(client, trainee):
    call = make_call()
    break_the_rule(client, trainee, call)
    client.force_login(trainee)
    page = client.get(reverse("reporting:my_modules"))
    items = {item.behavior.code: item for item in page.context["practice"]}
    assert "TESTE.SEM_VERIFICAR" in items
    broken = items["TESTE.SEM_VERIFICAR"]
    assert broken.verdict == "violated" and broken.source == "call" and broken.place == 1
    assert call in broken.calls
    html = page.content.decode()
    assert "Pratique agora" in html and call.get_absolute_url() in html


def test_a_rule_kept_since_drops_off_the_list(client, trainee):
    from training.models import Behavior, Judgement

    call = make_call()
    run = break_the_rule(client, trainee, call)
    behavior = Behavior.objects.get(code="TESTE.SEM_VERIFICAR")
    Judgement.objects.create(
        trainee=trainee,
        behavior=behavior,
        module=call.module,
        source="call",
        record=run.pk + 1,
        verdict="kept",
        content_version=1,
        seed=1,
        judged_at=timezone.now() + timedelta(minutes=1),
    )
    codes = {p.behavior.code for p in practice.practice_for(trainee, timezone.now())}
    assert "TESTE.SEM_VERIFICAR" not in codes


def test_a_manager_assigns_a_call_and_it_shows_done_once_passed(
    client, trainee, team, manager, other_team
):
    call = make_call()
    client.force_login(manager)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        reverse("reporting:assignments"), {"team": team.pk, "scenario": call.pk, "due_on": due}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.assigned_by == manager

    [state] = practice.assignments_for(trainee, timezone.now())
    assert not state.done
    run = break_the_rule(client, trainee, call)
    Run.objects.filter(pk=run.pk).update(passed=True, critical_errors=0)
    [state] = practice.assignments_for(trainee, timezone.now())
    assert state.done


@pytest.mark.parametrize(
    "data",
    [
        {"scenario": "", "module": "", "due_on": "2099-01-01"},
        {"due_on": "2000-01-01"},
        {"due_on": "99999-99-99"},
        {"due_on": "2026-12-31\x00"},
    ],
)
def test_a_bad_assignment_is_refused_and_changes_nothing(client, team, manager, data):
    call = make_call()
    client.force_login(manager)
    payload = {"team": team.pk, "scenario": call.pk, **data}
    response = client.post(reverse("reporting:assignments"), payload)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Assignment.objects.exists()


def test_a_manager_cannot_assign_to_or_withdraw_from_another_team(
    client, team, manager, other_team, other_manager
):
    call = make_call()
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.force_login(other_manager)
    response = client.post(
        reverse("reporting:assignments"), {"team": team.pk, "scenario": call.pk, "due_on": due}
    )
    assert response.status_code == 200 and not Assignment.objects.exists()
    mine = Assignment.objects.create(team=team, scenario=call, due_on=timezone.localdate())
    client.post(reverse("reporting:assignments"), {"withdraw": str(mine.pk)})
    assert Assignment.objects.filter(pk=mine.pk).exists()
    client.force_login(manager)
    client.post(reverse("reporting:assignments"), {"withdraw": str(mine.pk)})
    assert not Assignment.objects.filter(pk=mine.pk).exists()


def test_a_rule_kept_long_ago_comes_due_for_review(trainee):
    from training.models import Behavior, Judgement

    call = make_call()
    behavior = Behavior.objects.get(code="TESTE.INFORMAR")
    long_ago = timezone.now() - timedelta(days=120)
    Judgement.objects.create(
        trainee=trainee,
        behavior=behavior,
        module=call.module,
        source="call",
        record=1,
        verdict="kept",
        content_version=1,
        seed=1,
        judged_at=long_ago,
    )
    [due] = practice.due_for(trainee, timezone.now())
    assert due.behavior == behavior and 0 < due.memory.retrievability < 0.95
    recent = practice.due_for(trainee, long_ago + timedelta(minutes=5))
    assert recent == []  # just kept: not due yet


def test_the_behaviour_page_predicts_how_many_will_forget_it(client, trainee, team, manager):
    from training.models import Behavior, Judgement

    call = make_call()
    behavior = Behavior.objects.get(code="TESTE.INFORMAR")
    Judgement.objects.create(
        trainee=trainee,
        behavior=behavior,
        module=call.module,
        source="call",
        record=1,
        verdict="kept",
        content_version=1,
        seed=1,
        judged_at=timezone.now() - timedelta(days=120),
    )
    client.force_login(manager)
    page = client.get(reverse("reporting:behavior_misses", args=["TESTE.INFORMAR"]))
    assert 0 < page.context["predicted_miss"] < 100
    assert "Previsão" in page.content.decode() or "esquecid" in page.content.decode()
