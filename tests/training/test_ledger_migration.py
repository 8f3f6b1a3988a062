"""The data migration that carries the two old behaviour-outcome tables into the results
ledger: every row arrives, with its verdict, record, module, version and seed (run on SQLite
and on PostgreSQL like the rest of the suite)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("training", "0008_results_ledger"),
    ("quizzes", "0002_outcome_behavior_protect"),
    ("scenarios", "0004_turn_shown_choices"),
]
AFTER = [("training", "0009_carry_outcomes_into_ledger")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_outcome_arrives_in_the_ledger_with_its_verdict():
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="antiga")
    module = apps.get_model("training", "Module").objects.create(slug="m", title="M", order=1)
    procedure = apps.get_model("training", "Procedure").objects.create(
        module=module, slug="p", title="P", guidance="G"
    )
    Behavior = apps.get_model("training", "Behavior")
    rule = Behavior.objects.create(procedure=procedure, code="M.REGRA", label="R", kind="action")
    lie = Behavior.objects.create(
        procedure=procedure, code="M.MENTIRA", label="L", kind="violation"
    )
    quiz = apps.get_model("quizzes", "Quiz").objects.create(module=module, slug="q", title="Q")
    now = timezone.now()
    attempt = apps.get_model("quizzes", "Attempt").objects.create(
        quiz=quiz,
        user=user,
        number=1,
        status="submitted",
        seed=11,
        quiz_version=3,
        module_version=1,
        paper={},
        started_at=now,
        submitted_at=now,
        score=50,
        passed=False,
    )
    scenario = apps.get_model("scenarios", "Scenario").objects.create(
        module=module, slug="s", title="S"
    )
    version = apps.get_model("scenarios", "ScenarioVersion").objects.create(
        scenario=scenario, number=2, definition={}, content_hash="h"
    )
    run = apps.get_model("scenarios", "Run").objects.create(
        user=user,
        scenario=scenario,
        version=version,
        seed=22,
        status="completed",
        current_step="fim",
        finished_at=now,
        passed=False,
    )
    QuizOutcome = apps.get_model("quizzes", "BehaviorOutcome")
    CallOutcome = apps.get_model("scenarios", "BehaviorOutcome")
    QuizOutcome.objects.create(user=user, behavior=rule, attempt=attempt, hit=True, created_at=now)
    QuizOutcome.objects.create(user=user, behavior=lie, attempt=attempt, hit=False, created_at=now)
    CallOutcome.objects.create(user=user, behavior=rule, run=run, hit=False, created_at=now)
    CallOutcome.objects.create(user=user, behavior=lie, run=run, hit=False, created_at=now)
    before = QuizOutcome.objects.count() + CallOutcome.objects.count()

    apps = migrate(AFTER)

    rows = apps.get_model("training", "Judgement").objects.values_list(
        "source", "record", "behavior__code", "verdict", "module_id", "content_version", "seed"
    )
    assert len(rows) == before == 4
    assert set(rows) == {
        ("quiz", attempt.pk, "M.REGRA", "kept", module.pk, 3, 11),
        ("quiz", attempt.pk, "M.MENTIRA", "violated", module.pk, 3, 11),
        ("call", run.pk, "M.REGRA", "missed", module.pk, 2, 22),
        ("call", run.pk, "M.MENTIRA", "violated", module.pk, 2, 22),
    }
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
