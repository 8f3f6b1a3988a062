"""Behaviour outcomes live in the results ledger (training.Judgement) now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scenarios", "0004_turn_shown_choices"),
        ("training", "0009_carry_outcomes_into_ledger"),
    ]

    operations = [migrations.DeleteModel(name="BehaviorOutcome")]
