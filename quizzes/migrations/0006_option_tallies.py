"""Option tallies: how often each option was picked, counted once per graded attempt."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0005_bounded_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='attempt',
            name='options_tallied',
            field=models.BooleanField(default=False, editable=False),
        ),
    ]
