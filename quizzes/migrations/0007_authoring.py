"""Authoring in the browser: drafts, publications, history of questions and the mark of a module edited since the last export."""

import django.db.models.deletion
import quizzes.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0006_option_tallies'),
        ('training', '0014_authoring'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalQuestion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.SlugField(max_length=100, verbose_name='key')),
                ('kind', models.CharField(choices=quizzes.models.kind_choices, max_length=20, verbose_name='kind')),
                ('stem', models.TextField(help_text='May show drawn facts as {fact_name}.', verbose_name='stem')),
                ('spec', models.JSONField(default=dict, verbose_name='content')),
                ('explanation', models.TextField(verbose_name='explanation')),
                ('manual_quote', models.TextField(verbose_name="manual's words")),
                ('is_active', models.BooleanField(default=True, help_text='Retired questions stay for past attempts.', verbose_name='active')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='content version')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('procedure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='training.procedure', verbose_name='procedure')),
            ],
            options={
                'verbose_name': 'historical question',
                'verbose_name_plural': 'historical questions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='QuestionDraft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=100, unique=True, verbose_name='key')),
                ('entry', models.JSONField(verbose_name='content')),
                ('base_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='started from version')),
                ('reverted_from', models.PositiveIntegerField(blank=True, null=True, verbose_name='reverted from history entry')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='question_drafts', to='training.module', verbose_name='module')),
                ('question', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='quizzes.question', verbose_name='question')),
            ],
            options={
                'verbose_name': 'question draft',
                'verbose_name_plural': 'question drafts',
                'ordering': ['-updated_at'],
            },
        ),
    ]
