"""Turns keep the evidence of a typed reply's grading."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scenarios', '0006_call_drafts'),
    ]

    operations = [
        migrations.AddField(
            model_name='turn',
            name='evidence',
            field=models.JSONField(blank=True, default=dict, verbose_name='evidence'),
        ),
    ]
