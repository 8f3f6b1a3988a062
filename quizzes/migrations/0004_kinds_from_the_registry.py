"""A question's kind is one of the registered kinds (quizzes.kinds)."""

import quizzes.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0003_outcomes_in_the_ledger'),
    ]

    operations = [
        migrations.AlterField(
            model_name='question',
            name='kind',
            field=models.CharField(choices=quizzes.models.kind_choices, max_length=20, verbose_name='kind'),
        ),
    ]
