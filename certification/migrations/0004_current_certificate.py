"""Each trainee's latest certificate per module is flagged current, so dashboards read one row
per trainee and module; the flag is set on existing rows before the constraint holds it."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def flag_the_latest(apps, schema_editor):
    Certification = apps.get_model("certification", "Certification")
    later = Certification.objects.filter(
        trainee=OuterRef("trainee"), module=OuterRef("module")
    ).filter(
        models.Q(awarded_at__gt=OuterRef("awarded_at"))
        | models.Q(awarded_at=OuterRef("awarded_at"), pk__gt=OuterRef("pk"))
    )
    Certification.objects.filter(Exists(later)).update(is_current=False)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_bounded_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="certification",
            name="is_current",
            field=models.BooleanField(default=True, editable=False, verbose_name="current"),
        ),
        migrations.RunPython(flag_the_latest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("trainee", "module"),
                name="certification_one_current_per_module",
            ),
        ),
    ]
