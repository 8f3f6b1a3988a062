"""Calls written and revised in the browser: drafts holding the YAML of a call file."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scenarios', '0005_outcomes_in_the_ledger'),
        ('training', '0014_authoring'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CallDraft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('source', models.TextField(verbose_name='call file (YAML)')),
                ('base_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='started from version')),
                ('reverted_from', models.PositiveIntegerField(blank=True, null=True, verbose_name='reverted from version')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='call_drafts', to='training.module', verbose_name='module')),
                ('scenario', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='scenarios.scenario', verbose_name='scenario')),
            ],
            options={
                'verbose_name': 'call draft',
                'verbose_name_plural': 'call drafts',
                'ordering': ['-updated_at'],
            },
        ),
    ]
