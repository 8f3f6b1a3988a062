"""The reporting rollups are recounted from results, whatever module judged a behaviour."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from reporting.models import BehaviorDailyTally, ModuleActivity
from reporting.services import behavior_tallies_refresh, module_activity_rebuild, reporting_refresh
from tests.factories import (
    AttemptFactory,
    BehaviorFactory,
    CallJudgementFactory,
    ModuleFactory,
    ProcedureFactory,
    QuizFactory,
    QuizJudgementFactory,
)

pytestmark = pytest.mark.django_db


def tallies():
    return {
        (t.behavior_id, t.source): (t.total, t.missed) for t in BehaviorDailyTally.objects.all()
    }


def test_a_graded_result_recounts_todays_tallies_even_for_another_modules_behaviour(trainee):
    rapport = BehaviorFactory(procedure=ProcedureFactory(module=ModuleFactory()))
    module = ModuleFactory()
    QuizFactory(module=module)
    CallJudgementFactory(trainee=trainee, run__user=trainee, behavior=rapport, hit=False)
    QuizJudgementFactory(trainee=trainee, attempt__user=trainee, behavior=rapport, hit=True)

    reporting_refresh(trainee_id=trainee.pk, module_id=module.pk, at=timezone.now())

    assert tallies() == {(rapport.pk, "call"): (1, 1), (rapport.pk, "quiz"): (1, 0)}
    CallJudgementFactory(trainee=trainee, run__user=trainee, behavior=rapport, hit=True)
    reporting_refresh(trainee_id=trainee.pk, module_id=module.pk, at=timezone.now())
    assert tallies()[(rapport.pk, "call")] == (2, 1)


def test_a_full_rebuild_counts_every_day(trainee, other_trainee):
    behavior = BehaviorFactory()
    for days_ago, hit in [(0, False), (0, True), (3, False)]:
        QuizJudgementFactory(
            trainee=trainee,
            attempt__user=trainee,
            behavior=behavior,
            hit=hit,
            judged_at=timezone.now() - timedelta(days=days_ago),
        )
    assert behavior_tallies_refresh() == 2
    assert sorted(BehaviorDailyTally.objects.values_list("total", "missed")) == [(1, 1), (2, 1)]


def test_module_activity_counts_graded_attempts_only(trainee):
    quiz = QuizFactory()
    for score in (50, 80):
        AttemptFactory(
            quiz=quiz,
            user=trainee,
            status=Attempt.Status.SUBMITTED,
            score=score,
            passed=score >= 70,
            submitted_at=timezone.now(),
        )
    AttemptFactory(quiz=quiz, user=trainee)  # still open
    assert module_activity_rebuild() == 1
    activity = ModuleActivity.objects.get()
    assert (activity.module, activity.quiz_attempts, activity.quiz_passed) == (quiz.module, 2, 1)
    reporting_refresh(trainee_id=trainee.pk, module_id=quiz.module_id, at=timezone.now())
    assert ModuleActivity.objects.get().quiz_attempts == 2
