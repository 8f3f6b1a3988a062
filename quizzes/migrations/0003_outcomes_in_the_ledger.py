"""Behaviour outcomes live in the results ledger (training.Judgement) now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_outcome_behavior_protect"),
        ("training", "0009_carry_outcomes_into_ledger"),
    ]

    operations = [migrations.DeleteModel(name="BehaviorOutcome")]
