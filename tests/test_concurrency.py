"""Forty trainees at once, on PostgreSQL: 240 requests (quiz starts clicked twice, answers
saved, papers submitted, calls started and played) fired together. No request fails, no saved
answer is lost, nothing is graded twice, and the after-commit work (certification, rollups)
keeps up: every daily tally equals a full recount."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt
from reporting.models import BehaviorDailyTally
from reporting.services import behavior_tallies_refresh
from scenarios.models import Run, Turn
from tests.factories import UserFactory
from tests.quizzes.answers import posted
from tests.quizzes.conftest import build_quiz
from tests.scenarios.calls import ELIGIBLE_FACTS, EXPERT_PATH, make_call, place_of
from training.models import Judgement
from training.roles import Role

TRAINEES = 40

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# Requests released at the same instant, in waves: each thread holds a database connection,
# and PostgreSQL's default limit is 100 connections for everyone.
WAVE = 45


def fire(requests):
    """Run every (client, method, url, data), WAVE of them at the same instant at a time;
    return the responses' status codes in order."""
    statuses = []
    for start in range(0, len(requests), WAVE):
        wave = requests[start : start + WAVE]
        barrier = threading.Barrier(len(wave))

        def one(request, barrier=barrier):
            client, method, url, data = request
            try:
                barrier.wait()
                return getattr(client, method)(url, data).status_code
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=len(wave)) as pool:
            statuses += list(pool.map(one, wave))
    return statuses


def test_forty_trainees_at_once_lose_nothing_and_count_nothing_twice():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is PostgreSQL's; SQLite serialises writers")
    quiz = build_quiz()
    call = make_call()
    clients = []
    for n in range(TRAINEES):
        client = Client(raise_request_exception=False)
        client.force_login(UserFactory(username=f"agente{n}", roles=[Role.TRAINEE]))
        clients.append(client)
    start_quiz = reverse("quizzes:attempt_start", args=[quiz.slug])
    start_call = reverse("scenarios:start", args=[call.slug])

    # 120 requests: every quiz start double-clicked, every call started.
    statuses = fire(
        [(c, "post", start_quiz, {}) for c in clients]
        + [(c, "post", start_quiz, {}) for c in clients]
        + [(c, "post", start_call, {}) for c in clients]
    )
    assert set(statuses) == {302}
    attempts = {a.user_id: a for a in Attempt.objects.all()}
    runs = {r.user_id: r for r in Run.objects.all()}
    assert len(attempts) == len(runs) == TRAINEES  # one each, whatever the double clicks
    Run.objects.update(facts=ELIGIBLE_FACTS)

    # 80 requests: every answer saved while the call's first turn is taken.
    users = [c.session["_auth_user_id"] for c in clients]
    saves, turns = [], []
    for client, user in zip(clients, users, strict=True):
        attempt, run = attempts[int(user)], runs[int(user)]
        run.refresh_from_db()
        saves.append(
            (
                client,
                "post",
                reverse("quizzes:answer_save", args=[attempt.pk]),
                posted(attempt.paper),
            )
        )
        step, choice = EXPERT_PATH[0]
        turns.append(
            (
                client,
                "post",
                reverse("scenarios:choose", args=[run.pk]),
                {"option": place_of(run, step, choice), "turn": 1},
            )
        )
    statuses = fire(saves + turns)
    assert all(status < 500 for status in statuses), statuses

    # 40 requests: every paper submitted at once (grading, then certification and rollups).
    statuses = fire(
        [
            (client, "post", reverse("quizzes:attempt_submit", args=[attempts[int(user)].pk]), {})
            for client, user in zip(clients, users, strict=True)
        ]
    )
    assert all(status < 500 for status in statuses), statuses

    for attempt in Attempt.objects.prefetch_related("items"):
        # Nothing lost: every saved answer was there when it was graded, and it was graded once.
        assert attempt.status == Attempt.Status.SUBMITTED
        assert attempt.score == 100
        assert all(item.response is not None for item in attempt.items.all())
    assert Judgement.objects.filter(source="quiz").count() == TRAINEES * 2
    assert Turn.objects.count() == TRAINEES
    # The tallies kept by the after-commit work equal a full recount from the ledger.
    kept = set(
        BehaviorDailyTally.objects.values_list("day", "behavior", "source", "total", "missed")
    )
    behavior_tallies_refresh()
    assert kept == set(
        BehaviorDailyTally.objects.values_list("day", "behavior", "source", "total", "missed")
    )
