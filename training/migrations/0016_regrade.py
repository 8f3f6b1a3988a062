"""A regrade retires the ledger rows it corrects and writes new ones; audit names it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0015_provisioning'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Regrade',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('quiz', 'Quiz'), ('call', 'Call')], max_length=8, verbose_name='source')),
                ('item', models.CharField(help_text="The question's key.", max_length=200, verbose_name='item')),
                ('item_version', models.PositiveIntegerField(verbose_name='item version')),
                ('reason', models.TextField(verbose_name='reason')),
                ('at', models.DateTimeField(verbose_name='when')),
                ('changes', models.JSONField(blank=True, default=list, verbose_name='changes')),
            ],
            options={
                'verbose_name': 'regrade',
                'verbose_name_plural': 'regrades',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='judgement',
            name='judgement_once_per_record',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('pack_loaded', 'Content pack loaded'), ('content_changed', 'Changed in the admin'), ('content_published', 'Published in the editor'), ('roles_changed', 'Roles changed'), ('team_changed', 'Team changed'), ('certificate_revoked', 'Certificate revoked'), ('data_exported', 'Personal data exported'), ('data_erased', 'Personal data erased'), ('people_provisioned', 'People provisioned from a sheet'), ('locked_out', 'Login locked out'), ('regraded', 'Results regraded')], db_index=True, max_length=32, verbose_name='what'),
        ),
        migrations.AddField(
            model_name='regrade',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who'),
        ),
        migrations.AddField(
            model_name='judgement',
            name='retired_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='retired', to='training.regrade', verbose_name='retired by regrade'),
        ),
        migrations.AddField(
            model_name='judgement',
            name='written_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='written', to='training.regrade', verbose_name='written by regrade'),
        ),
        migrations.AddConstraint(
            model_name='judgement',
            constraint=models.UniqueConstraint(condition=models.Q(('retired_by__isnull', True)), fields=('source', 'record', 'behavior'), name='judgement_once_per_record'),
        ),
    ]
