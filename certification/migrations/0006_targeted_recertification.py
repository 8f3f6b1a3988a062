"""Targeted recertification after a content change, with a grace period per module."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0005_calls_in_a_row'),
        ('training', '0015_provisioning'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificationpolicy',
            name='delta_grace_days',
            field=models.PositiveSmallIntegerField(default=30, help_text='When published content changes behaviours a certificate rests on, its holder keeps the certificate this long to pass exactly those behaviours again.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='grace period of a targeted recertification (days)'),
        ),
        migrations.CreateModel(
            name='Recertification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('behaviors', models.JSONField(default=list, verbose_name='behaviours to pass again')),
                ('assigned_at', models.DateTimeField(verbose_name='assigned')),
                ('due_at', models.DateTimeField(verbose_name='due')),
                ('expires_at_before', models.DateTimeField(verbose_name='expiry before the change')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed')),
                ('certificate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recertifications', to='certification.certification', verbose_name='certificate')),
                ('publication', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recertifications', to='training.publication', verbose_name='publication')),
            ],
            options={
                'verbose_name': 'targeted recertification',
                'verbose_name_plural': 'targeted recertifications',
                'ordering': ['due_at', 'pk'],
                'indexes': [models.Index(fields=['certificate', 'completed_at'], name='recertification_open_idx')],
                'constraints': [models.UniqueConstraint(fields=('certificate', 'publication'), name='recertification_once')],
            },
        ),
    ]
