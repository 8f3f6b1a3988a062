"""Exports written in the background, with their progress and file."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0003_option_tallies'),
        ('training', '0013_audit_and_erasure'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Export',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('matrix', 'Certification matrix'), ('attempts', 'Every quiz attempt and call')], max_length=16, verbose_name='what')),
                ('format', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'Excel (XLSX)')], max_length=8, verbose_name='format')),
                ('status', models.CharField(choices=[('queued', 'Waiting'), ('running', 'Being written'), ('done', 'Ready'), ('failed', 'Failed')], default='queued', max_length=16, verbose_name='status')),
                ('rows_total', models.PositiveIntegerField(blank=True, null=True, verbose_name='rows to write')),
                ('rows_written', models.PositiveIntegerField(default=0, verbose_name='rows written')),
                ('file', models.FileField(blank=True, upload_to='exports/', verbose_name='file')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exports', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                ('team', models.ForeignKey(blank=True, help_text='Empty: every team the requester may see.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='training.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'export',
                'verbose_name_plural': 'exports',
                'ordering': ['-created_at', '-pk'],
            },
        ),
    ]
