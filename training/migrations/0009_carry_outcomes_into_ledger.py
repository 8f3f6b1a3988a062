"""Carry every behaviour outcome of quizzes and calls into the results ledger, one judgement
per outcome: kept when it was hit, else violated for a violation and missed for the rest."""

from django.db import migrations

BATCH = 5000


def carry(apps, schema_editor):
    Judgement = apps.get_model("training", "Judgement")
    Behavior = apps.get_model("training", "Behavior")
    violations = set(Behavior.objects.filter(kind="violation").values_list("pk", flat=True))
    sources = (
        (
            "quiz",
            apps.get_model("quizzes", "BehaviorOutcome").objects.values_list(
                "user_id",
                "behavior_id",
                "attempt_id",
                "hit",
                "created_at",
                "attempt__quiz__module_id",
                "attempt__quiz_version",
                "attempt__seed",
            ),
        ),
        (
            "call",
            apps.get_model("scenarios", "BehaviorOutcome").objects.values_list(
                "user_id",
                "behavior_id",
                "run_id",
                "hit",
                "created_at",
                "run__scenario__module_id",
                "run__version__number",
                "run__seed",
            ),
        ),
    )
    batch = []
    for source, rows in sources:
        for user, behavior, record, hit, at, module, version, seed in rows.order_by("pk").iterator(
            chunk_size=BATCH
        ):
            verdict = "kept" if hit else "violated" if behavior in violations else "missed"
            batch.append(
                Judgement(
                    trainee_id=user,
                    behavior_id=behavior,
                    module_id=module,
                    source=source,
                    record=record,
                    verdict=verdict,
                    content_version=version,
                    seed=seed,
                    judged_at=at,
                )
            )
            if len(batch) >= BATCH:
                Judgement.objects.bulk_create(batch)
                batch = []
    Judgement.objects.bulk_create(batch)


def carry_back(apps, schema_editor):
    QuizOutcome = apps.get_model("quizzes", "BehaviorOutcome")
    CallOutcome = apps.get_model("scenarios", "BehaviorOutcome")
    Judgement = apps.get_model("training", "Judgement")
    for source, model, key in (("quiz", QuizOutcome, "attempt_id"), ("call", CallOutcome, "run_id")):
        model.objects.bulk_create(
            (
                model(
                    user_id=j.trainee_id,
                    behavior_id=j.behavior_id,
                    hit=j.verdict == "kept",
                    created_at=j.judged_at,
                    **{key: j.record},
                )
                for j in Judgement.objects.filter(source=source).iterator(chunk_size=BATCH)
            ),
            batch_size=BATCH,
        )
    Judgement.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0008_results_ledger"),
        ("quizzes", "0002_outcome_behavior_protect"),
        ("scenarios", "0004_turn_shown_choices"),
    ]

    operations = [migrations.RunPython(carry, carry_back)]
