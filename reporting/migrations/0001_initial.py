"""The reporting rollups move out of the curriculum app into their own, keeping their tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("training", "0010_trainers_view_the_ledger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist: only Django's picture of which app holds them moves.
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='BehaviorDailyTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('source', models.CharField(choices=[('quiz', 'Quiz'), ('call', 'Call')], max_length=8, verbose_name='source')),
                ('total', models.PositiveIntegerField(verbose_name='judged')),
                ('missed', models.PositiveIntegerField(verbose_name='missed')),
                ('behavior', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='daily_tallies', to='training.behavior', verbose_name='behaviour')),
            ],
            options={
                'verbose_name': 'behaviour daily tally',
                'verbose_name_plural': 'behaviour daily tallies',
                'db_table': 'training_behaviordailytally',
                'indexes': [models.Index(fields=['day', 'behavior', 'source', 'total', 'missed'], name='behavior_tally_day')],
                'constraints': [models.UniqueConstraint(fields=('day', 'behavior', 'source'), name='behavior_tally_once_a_day'), models.CheckConstraint(condition=models.Q(('missed__lte', models.F('total'))), name='behavior_tally_missed_within_total')],
            },
        ),
        migrations.CreateModel(
            name='ModuleActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quiz_attempts', models.PositiveIntegerField(default=0, verbose_name='quiz attempts')),
                ('quiz_passed', models.PositiveIntegerField(default=0, verbose_name='quiz attempts passed')),
                ('call_runs', models.PositiveIntegerField(default=0, verbose_name='calls')),
                ('call_passed', models.PositiveIntegerField(default=0, verbose_name='calls passed')),
                ('last_activity_at', models.DateTimeField(blank=True, null=True, verbose_name='last activity')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activity', to='training.module', verbose_name='module')),
                ('trainee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='module_activity', to=settings.AUTH_USER_MODEL, verbose_name='trainee')),
            ],
            options={
                'verbose_name': 'module activity',
                'verbose_name_plural': 'module activity',
                'db_table': 'training_moduleactivity',
                'indexes': [models.Index(fields=['module', 'quiz_attempts', 'quiz_passed', 'call_runs', 'call_passed'], name='activity_module_counts')],
                'constraints': [models.UniqueConstraint(fields=('trainee', 'module'), name='module_activity_once'), models.CheckConstraint(condition=models.Q(('quiz_passed__lte', models.F('quiz_attempts')), ('call_passed__lte', models.F('call_runs'))), name='module_activity_passed_within_total')],
            },
        ),
    ],
        ),
    ]
