"""The tables take the names of their new app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='behaviordailytally',
            table=None,
        ),
        migrations.AlterModelTable(
            name='moduleactivity',
            table=None,
        ),
    ]
