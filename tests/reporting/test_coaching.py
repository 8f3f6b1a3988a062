"""The coaching drill-down: from a behaviour the team keeps missing, to who missed it, to the
exact turn of that trainee's call or question of their quiz, for the manager of their team
only, in a constant number of queries."""

import pytest
from django.urls import reverse

from quizzes import services as quiz_services
from scenarios import services
from scenarios.models import Run
from tests.factories import UserFactory
from tests.quizzes.answers import posted
from tests.quizzes.conftest import build_quiz
from tests.scenarios.calls import TOO_EARLY_FACTS, make_call, place_of
from training.roles import Role

pytestmark = pytest.mark.django_db


def break_the_rule(client, trainee, call):
    """The trainee registers the promise at once, without checking (a violation at turn 1),
    and hangs up."""
    run = services.run_start(user=trainee, scenario=call)
    Run.objects.filter(pk=run.pk).update(facts=TOO_EARLY_FACTS)
    run.refresh_from_db()
    client.force_login(trainee)
    client.post(
        reverse("scenarios:choose", args=[run.pk]),
        {"option": place_of(run, "abertura", "registrar-direto"), "turn": 1},
    )
    client.post(reverse("scenarios:hang_up", args=[run.pk]))
    run.refresh_from_db()
    assert run.passed is False
    return run


def test_a_manager_follows_a_missed_behaviour_to_the_turn(client, trainee, team, manager):
    call = make_call()
    run = break_the_rule(client, trainee, call)

    client.force_login(manager)
    dashboard = client.get(reverse("reporting:dashboard")).content.decode()
    page_url = reverse("reporting:behavior_misses", args=["TESTE.SEM_VERIFICAR"])
    assert page_url in dashboard

    page = client.get(page_url)
    misses = page.context["misses"]
    assert [(m.trainee, m.count, m.source, m.record, m.place) for m in misses] == [
        (trainee, 1, "call", run.pk, 1)
    ]
    review_url = reverse("reporting:trainee_review", args=[trainee.pk, "call", run.pk])
    assert f'href="{review_url}#turn-1"' in page.content.decode()

    review = client.get(review_url)
    assert review.status_code == 200
    assert 'id="turn-1"' in review.content.decode()
    assert "Trecho do manual sobre registrar sem verificar a aptidão." in review.content.decode()


def test_a_manager_opens_the_question_a_trainee_got_wrong(client, trainee, team, manager):
    quiz = build_quiz(count=3)
    attempt = quiz_services.attempt_start(quiz=quiz, user=trainee)
    wrong = posted(attempt.paper, right=False)
    client.force_login(trainee)
    client.post(reverse("quizzes:answer_save", args=[attempt.pk]), wrong)
    client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))

    client.force_login(manager)
    response = client.get(
        reverse("reporting:trainee_review", args=[trainee.pk, "quiz", attempt.pk])
    )
    assert response.status_code == 200
    assert 'id="review-1"' in response.content.decode()


def test_another_teams_manager_sees_neither_the_trainee_nor_the_review(
    client, trainee, team, other_manager
):
    call = make_call()
    run = break_the_rule(client, trainee, call)
    client.force_login(other_manager)
    page = client.get(reverse("reporting:behavior_misses", args=["TESTE.SEM_VERIFICAR"]))
    assert page.context["misses"] == []
    for source, record in (("call", run.pk), ("quiz", run.pk), ("nada", run.pk)):
        url = reverse("reporting:trainee_review", args=[trainee.pk, source, record])
        assert client.get(url).status_code == 404


def test_a_trainee_cannot_open_the_coaching_pages(client, trainee, team):
    call = make_call()
    run = break_the_rule(client, trainee, call)
    client.force_login(trainee)
    assert (
        client.get(reverse("reporting:behavior_misses", args=["TESTE.SEM_VERIFICAR"])).status_code
        == 403
    )
    assert (
        client.get(
            reverse("reporting:trainee_review", args=[trainee.pk, "call", run.pk])
        ).status_code
        == 403
    )


@pytest.mark.parametrize("trainees", [1, 6])
def test_the_list_of_who_missed_it_costs_the_same_for_any_team(
    client, team, manager, trainees, django_assert_num_queries
):
    call = make_call()
    for n in range(trainees):
        person = UserFactory(username=f"agente{n}", roles=[Role.TRAINEE])
        team.members.add(person)
        break_the_rule(client, person, call)
    client.force_login(manager)
    url = reverse("reporting:behavior_misses", args=["TESTE.SEM_VERIFICAR"])
    client.get(url)
    # session, user, permissions (2), teams, behaviour, counts, latest, people, weekly trend,
    # the memory model's histories
    with django_assert_num_queries(11):
        page = client.get(url)
    assert len(page.context["misses"]) == trainees
