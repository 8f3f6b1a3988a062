"""Every stored grade replays to itself: the seeded company (graded by the real engines) and a
trainee's submitted quiz; a grade changed by hand is caught."""

import io

import pytest
from django.core.management import CommandError, call_command

from quizzes import services as quiz_services
from quizzes.models import Attempt
from reporting.replay import replay_grades
from scenarios.models import Run
from tests.quizzes.conftest import build_quiz

pytestmark = pytest.mark.django_db


def test_the_demo_company_replays_to_its_stored_grades():
    call_command("load_curriculum", stdout=io.StringIO())
    call_command("seed_demo_data", trainees=12, teams=2, prefix="replay", stdout=io.StringIO())
    replay = replay_grades()
    assert replay.attempts > 0 and replay.runs > 0
    assert replay.differing == []


def test_a_grade_changed_by_hand_does_not_replay(trainee):
    attempt = quiz_services.attempt_start(quiz=build_quiz(count=3), user=trainee)
    quiz_services.attempt_submit(attempt=attempt)
    assert replay_grades().differing == []
    Attempt.objects.filter(pk=attempt.pk).update(score=100, passed=True)
    with pytest.raises(CommandError, match="do not replay"):
        call_command("replay_grades", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Run.objects.exists()
