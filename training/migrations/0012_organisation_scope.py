"""Managers who see every team get it from a permission, not from being staff."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0011_certification_and_rollups_moved_out'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='module',
            options={'ordering': ['order', 'slug'], 'permissions': [('take_training', 'Can take courses, quizzes and simulated calls'), ('author_content', 'Can author procedures, questions and scenarios'), ('view_dashboard', 'Can view certification dashboards of managed teams'), ('view_all_teams', 'Can view the results of every team')], 'verbose_name': 'module', 'verbose_name_plural': 'modules'},
        ),
    ]
