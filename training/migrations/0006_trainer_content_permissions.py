"""Let trainers author content in the admin: change the curriculum, questions and quizzes, and
look at (never change) the results that trainees produced."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHORING = {
    "training": {"module", "procedure", "behavior"},
    "quizzes": {"question", "quiz", "quizslot"},
}
CHANGE_ONLY = {"training": {"certificationpolicy"}, "scenarios": {"scenario"}}
VIEW_ONLY = {
    "quizzes": {"attempt", "attemptitem", "behavioroutcome"},
    "scenarios": {"scenarioversion", "run", "turn", "behavioroutcome"},
}


def codenames():
    for app_label, models in AUTHORING.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                yield app_label, f"{action}_{model}"
    for app_label, models in CHANGE_ONLY.items():
        for model in models:
            yield app_label, f"change_{model}"
            yield app_label, f"view_{model}"
    for app_label, models in VIEW_ONLY.items():
        for model in models:
            yield app_label, f"view_{model}"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainer, _ = Group.objects.get_or_create(name="Trainer")
    for app_label, codename in codenames():
        trainer.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainer = Group.objects.filter(name="Trainer").first()
    if trainer:
        for app_label, codename in codenames():
            trainer.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0005_reporting_rollups"),
        ("quizzes", "0002_outcome_behavior_protect"),
        ("scenarios", "0003_outcome_behavior_protect"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
