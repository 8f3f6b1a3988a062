"""Practice a manager assigns to a team: a module or a call, by a date."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_background_exports'),
        ('scenarios', '0006_call_drafts'),
        ('training', '0014_authoring'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(verbose_name='due')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='assigned')),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned by')),
                ('module', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='training.module', verbose_name='module')),
                ('scenario', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='scenarios.scenario', verbose_name='call')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='training.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'assignment',
                'verbose_name_plural': 'assignments',
                'ordering': ['due_on', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('module__isnull', False), ('scenario__isnull', True)), models.Q(('module__isnull', True), ('scenario__isnull', False)), _connector='OR'), name='reporting_assignment_module_or_call')],
            },
        ),
    ]
