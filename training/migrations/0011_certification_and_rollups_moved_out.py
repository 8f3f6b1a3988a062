"""Certification and the reporting rollups now live in their own apps (same tables)."""

from django.db import migrations

MOVED = {
    "certification": ["certification", "certificationpolicy"],
    "reporting": ["moduleactivity", "behaviordailytally"],
}


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new apps."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        for model in models:
            if not ContentType.objects.filter(app_label=app_label, model=model).exists():
                ContentType.objects.filter(app_label="training", model=model).update(
                    app_label=app_label
                )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model__in=models).update(
            app_label="training"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0010_trainers_view_the_ledger"),
        ("certification", "0001_initial"),
        ("reporting", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist: only Django's picture of which app holds them moves.
            database_operations=[],
            state_operations=[
        migrations.RemoveField(
            model_name='certification',
            name='module',
        ),
        migrations.RemoveField(
            model_name='certification',
            name='quiz_attempts',
        ),
        migrations.RemoveField(
            model_name='certification',
            name='revoked_by',
        ),
        migrations.RemoveField(
            model_name='certification',
            name='scenario_runs',
        ),
        migrations.RemoveField(
            model_name='certification',
            name='trainee',
        ),
        migrations.RemoveField(
            model_name='certificationpolicy',
            name='module',
        ),
        migrations.RemoveField(
            model_name='certificationpolicy',
            name='required_quizzes',
        ),
        migrations.RemoveField(
            model_name='certificationpolicy',
            name='required_scenarios',
        ),
        migrations.RemoveField(
            model_name='moduleactivity',
            name='module',
        ),
        migrations.RemoveField(
            model_name='moduleactivity',
            name='trainee',
        ),
        migrations.DeleteModel(
            name='BehaviorDailyTally',
        ),
        migrations.DeleteModel(
            name='Certification',
        ),
        migrations.DeleteModel(
            name='CertificationPolicy',
        ),
        migrations.DeleteModel(
            name='ModuleActivity',
        ),
    ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
]
