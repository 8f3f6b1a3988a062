"""Behaviours the manual forbids become their own kind, ``violation``, instead of a flag on an
action; a behaviour can carry the pack's interpretation of an ambiguous rule."""

from django.db import migrations, models


def flags_to_kind(apps, schema_editor):
    Behavior = apps.get_model("training", "Behavior")
    Behavior.objects.filter(prohibited=True).update(kind="violation")


def kind_to_flags(apps, schema_editor):
    Behavior = apps.get_model("training", "Behavior")
    Behavior.objects.filter(kind="violation").update(kind="action", prohibited=True)


class Migration(migrations.Migration):
    dependencies = [("training", "0006_trainer_content_permissions")]

    operations = [
        migrations.AlterField(
            model_name="behavior",
            name="kind",
            field=models.CharField(
                choices=[
                    ("disclosure", "Disclosure"),
                    ("probe", "Probe"),
                    ("action", "Action"),
                    ("rapport", "Rapport"),
                    ("violation", "Violation"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(flags_to_kind, kind_to_flags),
        migrations.RemoveField(model_name="behavior", name="prohibited"),
        migrations.AddField(
            model_name="behavior",
            name="interpretation",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Where the manual can be read in more than one way: the reading every "
                    "question and call follows, and why."
                ),
                verbose_name="interpretation",
            ),
        ),
    ]
