"""Trainers look at (never change) the results ledger, as they did the outcome tables it
replaces."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("training")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainer, _ = Group.objects.get_or_create(name="Trainer")
    trainer.permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="view_judgement")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainer = Group.objects.filter(name="Trainer").first()
    if trainer:
        trainer.permissions.remove(
            *Permission.objects.filter(content_type__app_label="training", codename="view_judgement")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0009_carry_outcomes_into_ledger"),
        ("quizzes", "0003_outcomes_in_the_ledger"),
        ("scenarios", "0005_outcomes_in_the_ledger"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
