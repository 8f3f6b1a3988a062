"""The demo seeder: a population whose attempts and calls are graded by the real engines, with
the results ledger, certificates and rollups they imply, written once per prefix."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from certification.models import Certification
from quizzes import grading
from quizzes.models import Attempt, AttemptItem
from reporting.models import BehaviorDailyTally, ModuleActivity, OptionTally
from reporting.services import (
    behavior_tallies_refresh,
    module_activity_rebuild,
    option_tallies_rebuild,
)
from scenarios.models import Run, Turn
from tests.quizzes.conftest import build_quiz
from tests.scenarios.calls import make_call
from training.models import Judgement, Team

pytestmark = pytest.mark.django_db


def seed(**options):
    err = io.StringIO()
    options = {
        "trainees": 12,
        "teams": 3,
        "attempts_per_trainee": 6,
        "runs_per_trainee": 3,
        **options,
    }
    call_command("seed_demo_data", stdout=io.StringIO(), stderr=err, **options)
    return err.getvalue()


@pytest.fixture
def content():
    quiz = build_quiz()
    call = make_call()
    return quiz, call


def test_it_seeds_teams_history_and_rollups_with_a_progress_bar(content):
    progress = seed()
    assert Team.objects.count() == 3
    assert all(t.members.count() == 4 and t.managers.count() == 1 for t in Team.objects.all())
    assert Attempt.objects.count() == 12 * 6
    assert Run.objects.count() == 12 * 3
    assert "100%" in progress
    for certification in Certification.objects.all():
        assert certification.expires_at > certification.awarded_at


def test_the_papers_and_calls_are_the_engines_own_and_their_grades_agree(content):
    seed()
    for attempt in Attempt.objects.prefetch_related("items"):
        items = grading.items_from_paper(attempt.paper)
        responses = {i.position: i.response for i in attempt.items.all()}
        regraded = grading.grade_paper(items, responses, attempt.paper["quiz"]["pass_mark"])
        assert regraded.percent == attempt.score and regraded.passed == attempt.passed
    assert AttemptItem.objects.count() == sum(
        len(a.paper["questions"]) for a in Attempt.objects.all()
    )
    for run in Run.objects.annotate(taken=Count("turns")):
        assert run.taken == run.turn_count > 0
        assert run.result["passed"] == run.passed
    assert Judgement.objects.filter(source="quiz").exists()
    assert Judgement.objects.filter(source="call").exists()
    assert Turn.objects.exclude(offered=[]).exists()


def test_the_rollups_it_writes_equal_a_full_recount(content):
    seed()
    seed(prefix="extra")
    written = {
        (t.day, t.behavior_id, t.source): (t.total, t.missed)
        for t in BehaviorDailyTally.objects.all()
    }
    activity = set(
        ModuleActivity.objects.values_list(
            "trainee_id", "module_id", "quiz_attempts", "quiz_passed", "call_runs", "call_passed"
        )
    )

    options = set(OptionTally.objects.values_list("question_id", "text", "correct", "chosen"))

    behavior_tallies_refresh()
    module_activity_rebuild()
    option_tallies_rebuild()

    assert written == {
        (t.day, t.behavior_id, t.source): (t.total, t.missed)
        for t in BehaviorDailyTally.objects.all()
    }
    assert options == set(
        OptionTally.objects.values_list("question_id", "text", "correct", "chosen")
    )
    assert activity == set(
        ModuleActivity.objects.values_list(
            "trainee_id", "module_id", "quiz_attempts", "quiz_passed", "call_runs", "call_passed"
        )
    )


def test_stronger_trainees_do_better_and_some_pass(content):
    seed(trainees=40, teams=4)
    outcomes = Counter(Attempt.objects.values_list("passed", flat=True))
    assert outcomes[True] and outcomes[False]
    assert Run.objects.filter(Q(passed=True)).exists()


def test_running_it_again_adds_nothing(content):
    seed()
    seed()
    assert Attempt.objects.count() == 12 * 6


def test_another_prefix_adds_another_population(content):
    seed()
    seed(prefix="extra")
    assert Team.objects.count() == 6
    assert Attempt.objects.count() == 2 * 12 * 6


def test_without_content_it_says_what_to_do(db):
    with pytest.raises(CommandError, match="load the pack first"):
        seed()
