"""Bound a quiz's settings: time limit, attempts and wait have upper limits."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0004_kinds_from_the_registry'),
        ('training', '0012_organisation_scope'),
    ]

    operations = [
        migrations.AlterField(
            model_name='quiz',
            name='max_attempts',
            field=models.PositiveIntegerField(blank=True, help_text='Empty: unlimited.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='attempt limit'),
        ),
        migrations.AlterField(
            model_name='quiz',
            name='pass_mark',
            field=models.PositiveSmallIntegerField(default=70, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='pass mark (%)'),
        ),
        migrations.AlterField(
            model_name='quiz',
            name='time_limit_minutes',
            field=models.PositiveIntegerField(blank=True, help_text='Empty: no time limit.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(600)], verbose_name='time limit (minutes)'),
        ),
        migrations.AlterField(
            model_name='quiz',
            name='wait_minutes',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(10080)], verbose_name='wait between attempts (minutes)'),
        ),
        migrations.AddConstraint(
            model_name='quiz',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('time_limit_minutes__isnull', True), ('time_limit_minutes__lte', 600), _connector='OR'), models.Q(('max_attempts__isnull', True), ('max_attempts__lte', 100), _connector='OR'), ('wait_minutes__lte', 10080)), name='quizzes_quiz_settings_bounded'),
        ),
    ]
