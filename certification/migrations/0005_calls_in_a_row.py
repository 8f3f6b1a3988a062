"""pass^k: how many times in a row, each on a different fact case, a required call must pass."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0004_current_certificate'),
        ('quizzes', '0007_authoring'),
        ('scenarios', '0006_call_drafts'),
        ('training', '0015_provisioning'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificationpolicy',
            name='calls_in_a_row',
            field=models.PositiveSmallIntegerField(default=1, help_text='pass^k: each required call must pass this many times in a row, each time on a different case of its facts. 1: one pass is enough.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='calls passed in a row'),
        ),
        migrations.AddConstraint(
            model_name='certificationpolicy',
            constraint=models.CheckConstraint(condition=models.Q(('calls_in_a_row__gte', 1), ('calls_in_a_row__lte', 10)), name='policy_calls_in_a_row_bounded'),
        ),
    ]
