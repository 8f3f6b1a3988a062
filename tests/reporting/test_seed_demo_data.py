"""The demo seeder: a small population with history and certificates, written once per prefix."""

import io

import pytest
from django.core.management import call_command

from certification.models import Certification
from quizzes.models import Attempt
from reporting.models import BehaviorDailyTally, ModuleActivity
from scenarios.models import Run
from tests.factories import BehaviorFactory, ModuleFactory, ProcedureFactory
from training.models import Team

pytestmark = pytest.mark.django_db


def seed(**options):
    err = io.StringIO()
    call_command(
        "seed_demo_data",
        trainees=12,
        teams=3,
        attempts_per_trainee=6,
        runs_per_trainee=3,
        fill_missing_content=True,
        stdout=io.StringIO(),
        stderr=err,
        **options,
    )
    return err.getvalue()


@pytest.fixture
def curriculum():
    for _ in range(2):
        procedure = ProcedureFactory(module=ModuleFactory())
        BehaviorFactory.create_batch(3, procedure=procedure)


def test_it_seeds_teams_history_and_rollups_with_a_progress_bar(curriculum):
    progress = seed()
    assert Team.objects.count() == 3
    assert all(t.members.count() == 4 and t.managers.count() == 1 for t in Team.objects.all())
    assert Attempt.objects.count() == 12 * 6
    assert Run.objects.count() == 12 * 3
    assert ModuleActivity.objects.exists() and BehaviorDailyTally.objects.exists()
    assert "100%" in progress
    for certification in Certification.objects.all():
        assert certification.expires_at > certification.awarded_at


def test_running_it_again_adds_nothing(curriculum):
    seed()
    seed()
    assert Attempt.objects.count() == 12 * 6


def test_another_prefix_adds_another_population(curriculum):
    seed()
    seed(prefix="extra")
    assert Team.objects.count() == 6
    assert Attempt.objects.count() == 2 * 12 * 6
