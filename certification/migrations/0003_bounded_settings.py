"""A certificate's validity is at most ten years."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0002_own_tables'),
        ('quizzes', '0004_kinds_from_the_registry'),
        ('scenarios', '0005_outcomes_in_the_ledger'),
        ('training', '0012_organisation_scope'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificationpolicy',
            name='validity_days',
            field=models.PositiveIntegerField(default=365, help_text='From 1 day to 10 years.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3650)], verbose_name='validity (days)'),
        ),
        migrations.AddConstraint(
            model_name='certificationpolicy',
            constraint=models.CheckConstraint(condition=models.Q(('validity_days__lte', 3650)), name='policy_validity_at_most_ten_years'),
        ),
    ]
