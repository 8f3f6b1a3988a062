"""Regrading after a fixed key: the dry run names who changes and how, applying it changes
exactly that (paper, score, ledger, tallies, certificates heard of it) with an audit entry,
and a stale, tampered, unauthorised or repeated apply changes nothing."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from certification.models import Certification
from quizzes import regrade, services
from quizzes.kinds import kind_of
from quizzes.models import Attempt, Question
from reporting.models import BehaviorDailyTally
from reporting.replay import replay_grades
from reporting.services import behavior_tallies_refresh
from tests.factories import UserFactory
from tests.quizzes.conftest import build_quiz
from training.models import AuditEvent, Judgement, Regrade
from training.roles import Role

pytestmark = pytest.mark.django_db

RIGHT_NOW = "Até 2 dias úteis"  # the key as first published
RIGHT_AFTER_FIX = "Até 3 dias corridos"  # what the trainer's fix makes right


def sit(quiz, user, picked: str | None) -> Attempt:
    """``user`` sits ``quiz`` (its one single-choice question), picking the option ``picked``."""
    attempt = services.attempt_start(quiz=quiz, user=user)
    if picked is not None:
        served = attempt.paper["questions"][0]
        index = next(i for i, o in enumerate(served["options"]) if o["text"] == picked)
        services.answer_save(attempt=attempt, responses={0: index})
    return services.attempt_submit(attempt=attempt).attempt


def fix_the_key(question: Question, right: str = RIGHT_AFTER_FIX) -> Question:
    spec = dict(question.spec)
    spec["options"] = [
        {
            "text": o["text"],
            **({"correct": True, "behaviors": ["TESTE.PRAZO"]} if o["text"] == right else {}),
        }
        for o in spec["options"]
    ]
    question.spec = spec
    question.version += 1
    question.save()
    return question


@pytest.fixture
def sittings(db, django_capture_on_commit_callbacks):
    quiz = build_quiz(count=1, shuffle_options=True)
    people = {
        name: UserFactory(username=name, roles=[Role.TRAINEE]) for name in ("ana", "bia", "caio")
    }
    with django_capture_on_commit_callbacks(execute=True):
        attempts = {
            "ana": sit(quiz, people["ana"], RIGHT_AFTER_FIX),  # wrong under v1
            "bia": sit(quiz, people["bia"], RIGHT_NOW),  # right under v1
            "caio": sit(quiz, people["caio"], None),  # left it blank
        }
    question = quiz.slots.get().question
    return quiz, question, people, attempts


def test_the_dry_run_names_who_changes_and_how(sittings):
    quiz, question, people, attempts = sittings
    assert attempts["ana"].score == 0 and attempts["bia"].score == 100
    plan = regrade.regrade_plan(fix_the_key(question))
    assert (plan.examined, plan.rekeyed) == (3, 3)
    by_attempt = {c.record: c for c in plan.changes}
    assert set(by_attempt) == {attempts["ana"].pk, attempts["bia"].pk}  # caio: blank stays 0
    ana, bia = by_attempt[attempts["ana"].pk], by_attempt[attempts["bia"].pk]
    assert (ana.score_before, ana.score_after, ana.verdict) == (0, 100, "passes")
    assert (bia.score_before, bia.score_after, bia.verdict) == (100, 0, "fails")
    assert ana.flipped == (("TESTE.PRAZO", True),)
    assert bia.flipped == (("TESTE.PRAZO", False),)
    assert (plan.now_pass, plan.now_fail) == (1, 1)
    # A dry run writes nothing.
    assert not Regrade.objects.exists()
    assert Attempt.objects.get(pk=attempts["ana"].pk).score == 0


def test_applying_changes_exactly_what_the_dry_run_said(
    sittings, publisher, django_capture_on_commit_callbacks
):
    quiz, question, people, attempts = sittings
    fix_the_key(question)
    plan = regrade.regrade_plan(question)
    before_rows = Judgement.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        done, applied = regrade.regrade_apply(
            question=question, by=publisher, reason="Chave errada", fingerprint=plan.fingerprint
        )
    assert [c.record for c in applied.changes] == [c.record for c in plan.changes]
    ana = Attempt.objects.get(pk=attempts["ana"].pk)
    bia = Attempt.objects.get(pk=attempts["bia"].pk)
    caio = Attempt.objects.get(pk=attempts["caio"].pk)
    assert (ana.score, ana.passed, bia.score, bia.passed) == (100, True, 0, False)
    assert ana.items.get().correct is True and bia.items.get().correct is False
    # Every attempt that served the question now carries the corrected key, and what it was
    # first served stays beside it.
    for attempt in (ana, bia, caio):
        served = attempt.paper["questions"][0]
        assert served["version"] == question.version
        right = [o["text"] for o in served["options"] if o["correct"]]
        assert right == [RIGHT_AFTER_FIX]
        (first,) = attempt.paper["regraded"]
        assert first["regrade"] == done.pk
        assert [o["text"] for o in first["served"]["options"] if o["correct"]] == [RIGHT_NOW]
        # What the trainee was shown did not move.
        assert [o["text"] for o in served["options"]] == [
            o["text"] for o in first["served"]["options"]
        ]
    # The ledger: the two changed attempts' rows are retired, new ones written; counts stay.
    assert Judgement.objects.count() == before_rows
    assert Judgement.with_retired.filter(retired_by=done).count() == 2
    current = {
        j.record: j for j in Judgement.objects.filter(source="quiz", behavior__code="TESTE.PRAZO")
    }
    assert current[ana.pk].verdict == Judgement.Verdict.KEPT and current[ana.pk].written_by == done
    assert current[bia.pk].verdict == Judgement.Verdict.MISSED
    assert current[ana.pk].judged_at == ana.submitted_at  # dated when it was first judged
    assert current[caio.pk].written_by is None  # unchanged: not rewritten
    # Grades still replay from their papers; the tallies equal a full recount.
    assert replay_grades().differing == []
    tallies = set(
        BehaviorDailyTally.objects.values_list("day", "behavior_id", "source", "total", "missed")
    )
    behavior_tallies_refresh()
    assert tallies == set(
        BehaviorDailyTally.objects.values_list("day", "behavior_id", "source", "total", "missed")
    )
    # The audit trail and the regrade say who, why and what.
    event = AuditEvent.objects.get(action=AuditEvent.Action.REGRADED)
    assert event.actor == publisher and event.details["changed"] == 2
    assert event.details["reason"] == "Chave errada"
    assert {c["record"] for c in done.changes} == {ana.pk, bia.pk}


def test_a_pass_the_regrade_gives_is_heard_by_certification(
    sittings, publisher, django_capture_on_commit_callbacks
):
    quiz, question, people, attempts = sittings
    assert not Certification.objects.filter(trainee=people["ana"]).exists()
    fix_the_key(question)
    plan = regrade.regrade_plan(question)
    with django_capture_on_commit_callbacks(execute=True):
        regrade.regrade_apply(
            question=question, by=publisher, reason="Chave errada", fingerprint=plan.fingerprint
        )
    assert Certification.objects.filter(trainee=people["ana"], module=quiz.module).exists()


def test_a_certificate_resting_on_an_attempt_that_would_fail_is_pointed_out(sittings):
    quiz, question, people, attempts = sittings
    certificate = Certification.objects.get(trainee=people["bia"])
    assert attempts["bia"].pk in certificate.quiz_attempts.values_list("pk", flat=True)
    plan = regrade.regrade_plan(fix_the_key(question))
    bia = next(c for c in plan.changes if c.record == attempts["bia"].pk)
    assert bia.certified and plan.certificates == 1


def test_a_stale_regrade_changes_nothing(sittings, publisher):
    quiz, question, people, attempts = sittings
    fix_the_key(question)
    plan = regrade.regrade_plan(question)
    # Meanwhile somebody sits the old paper... no: the key is fixed, so a fresh attempt is
    # current. Instead the key is fixed once more, which changes what applying would do.
    fix_the_key(question, right="Até 4 dias úteis")
    with pytest.raises(regrade.StaleRegrade):
        regrade.regrade_apply(
            question=question, by=publisher, reason="Chave errada", fingerprint=plan.fingerprint
        )
    assert not Regrade.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REGRADED).exists()
    assert Attempt.objects.get(pk=attempts["ana"].pk).score == 0
    assert "regraded" not in Attempt.objects.get(pk=attempts["ana"].pk).paper
    assert not Judgement.with_retired.filter(retired_by__isnull=False).exists()


def test_applying_twice_regrades_once(sittings, publisher):
    quiz, question, people, attempts = sittings
    fix_the_key(question)
    fingerprint = regrade.regrade_plan(question).fingerprint
    regrade.regrade_apply(question=question, by=publisher, reason="x", fingerprint=fingerprint)
    with pytest.raises(regrade.StaleRegrade):
        regrade.regrade_apply(question=question, by=publisher, reason="x", fingerprint=fingerprint)
    assert Regrade.objects.count() == 1
    assert regrade.regrade_plan(question).examined == 0  # nothing left on an earlier version


def test_an_attempt_shown_other_texts_is_left_as_it_was(sittings, publisher):
    quiz, question, people, attempts = sittings
    spec = dict(question.spec)
    spec["options"] = [{**o, "text": o["text"] + " (revisado)"} for o in spec["options"]]
    question.spec, question.version = spec, question.version + 1
    question.save()
    plan = regrade.regrade_plan(question)
    assert (plan.examined, plan.rekeyed, plan.changes) == (3, 0, [])


# --- each kind keys again what the trainee was shown -------------------------------------


@pytest.mark.parametrize(
    ("kind", "spec", "fixed"),
    [
        (
            "single",
            {"options": [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C"}]},
            {"options": [{"text": "A"}, {"text": "B"}, {"text": "C", "correct": True}]},
        ),
        ("true_false", {"answer": True}, {"answer": False}),
        ("ordering", {"steps": ["um", "dois", "três"]}, {"steps": ["dois", "um", "três"]}),
        (
            "matching",
            {"pairs": [{"left": "x", "right": "1"}, {"left": "y", "right": "2"}]},
            {"pairs": [{"left": "x", "right": "2"}, {"left": "y", "right": "1"}]},
        ),
        ("numeric", {"answer": 24, "unit": "horas"}, {"answer": 48, "unit": "horas"}),
    ],
)
def test_each_kind_lays_the_corrected_key_on_what_was_shown(kind, spec, fixed):
    question_kind = kind_of(kind)
    served = question_kind.serve(spec, {}, random.Random(7), shuffle_options=True)
    rekeyed = question_kind.rekey(served, fixed, {})
    assert question_kind.public(rekeyed) == question_kind.public(served)
    fresh = question_kind.serve(fixed, {}, random.Random(7), shuffle_options=False)
    # The right answer to the shown texts is the fixed question's right answer.
    assert question_kind.grade(rekeyed, question_kind.right(rekeyed)).score == 1
    assert question_kind.grade(rekeyed, question_kind.right(served)).score < 1
    assert question_kind.public(fresh) is not None


def test_a_kind_refuses_to_key_texts_it_did_not_show():
    single = kind_of("single")
    served = single.serve(
        {"options": [{"text": "A", "correct": True}, {"text": "B"}]},
        {},
        random.Random(1),
        shuffle_options=True,
    )
    assert (
        single.rekey(served, {"options": [{"text": "A"}, {"text": "Z", "correct": True}]}, {})
        is None
    )


# --- the page -------------------------------------------------------------------------


def test_the_page_shows_the_dry_run_and_applies_with_a_reason(sittings, client, publisher):
    quiz, question, people, attempts = sittings
    fix_the_key(question)
    client.force_login(publisher)
    url = reverse("quizzes:question_regrade", args=[question.key])
    page = client.get(url)
    assert page.status_code == 200
    plan = page.context["plan"]
    assert len(plan.changes) == 2
    assert "passam a ser aprovados: 1" in page.content.decode()
    # No reason: nothing applied.
    response = client.post(url, {"reason": "", "fingerprint": plan.fingerprint})
    assert response.status_code == 200 and not Regrade.objects.exists()
    # A NUL byte is refused with a message, not a 500.
    response = client.post(url, {"reason": "chave\x00", "fingerprint": plan.fingerprint})
    assert response.status_code == 200 and not Regrade.objects.exists()
    # A tampered fingerprint: nothing applied, the page says why.
    response = client.post(url, {"reason": "Chave errada", "fingerprint": "0" * 64}, follow=True)
    assert not Regrade.objects.exists()
    assert "nada foi recorrigido" in response.content.decode()
    response = client.post(url, {"reason": "Chave errada", "fingerprint": plan.fingerprint})
    assert response.status_code == 302
    assert Regrade.objects.get().reason == "Chave errada"
    assert Attempt.objects.get(pk=attempts["ana"].pk).score == Decimal("100.00")


def test_a_trainer_who_may_not_publish_reads_the_dry_run_but_cannot_apply(sittings, trainer_client):
    quiz, question, people, attempts = sittings
    fix_the_key(question)
    url = reverse("quizzes:question_regrade", args=[question.key])
    page = trainer_client.get(url)
    assert page.status_code == 200
    fingerprint = page.context["plan"].fingerprint
    response = trainer_client.post(url, {"reason": "x", "fingerprint": fingerprint})
    assert response.status_code == 403
    assert not Regrade.objects.exists()


def test_the_trainee_review_says_a_question_was_regraded(sittings, client, publisher):
    quiz, question, people, attempts = sittings
    fix_the_key(question)
    plan = regrade.regrade_plan(question)
    regrade.regrade_apply(question=question, by=publisher, reason="x", fingerprint=plan.fingerprint)
    client.force_login(people["ana"])
    page = client.get(reverse("quizzes:attempt_review", args=[attempts["ana"].pk]))
    assert "A questão 1 foi recorrigida" in page.content.decode()
