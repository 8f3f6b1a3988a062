"""Authoring in the browser: drafts, publications, history of questions and the mark of a module edited since the last export."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0013_audit_and_erasure'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='module',
            options={'ordering': ['order', 'slug'], 'permissions': [('take_training', 'Can take courses, quizzes and simulated calls'), ('author_content', 'Can author procedures, questions and scenarios'), ('view_dashboard', 'Can view certification dashboards of managed teams'), ('view_all_teams', 'Can view the results of every team'), ('publish_content', 'Can publish content for trainees')], 'verbose_name': 'module', 'verbose_name_plural': 'modules'},
        ),
        migrations.AddField(
            model_name='module',
            name='edited_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Set when content of the module is published in the browser; cleared when the curriculum is exported. While set, loading a pack may not overwrite the module.', null=True, verbose_name='edited in the browser'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('pack_loaded', 'Content pack loaded'), ('content_changed', 'Changed in the admin'), ('content_published', 'Published in the editor'), ('roles_changed', 'Roles changed'), ('team_changed', 'Team changed'), ('certificate_revoked', 'Certificate revoked'), ('data_exported', 'Personal data exported'), ('data_erased', 'Personal data erased'), ('locked_out', 'Login locked out')], db_index=True, max_length=32, verbose_name='what'),
        ),
        migrations.CreateModel(
            name='Publication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(verbose_name='module version')),
                ('source', models.CharField(choices=[('editor', 'Published in the editor'), ('revert', 'Reverted to an earlier version'), ('pack', 'Loaded from a pack')], max_length=10, verbose_name='source')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                ('items', models.JSONField(default=list, help_text='Keys of what changed.', verbose_name='items')),
                ('behaviors', models.JSONField(default=dict, verbose_name='behaviours changed')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='publications', to='training.module', verbose_name='module')),
            ],
            options={
                'verbose_name': 'publication',
                'verbose_name_plural': 'publications',
                'ordering': ['-at', '-pk'],
            },
        ),
    ]
