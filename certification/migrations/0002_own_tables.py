"""The tables take the names of their new app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='certification',
            table=None,
        ),
        migrations.AlterModelTable(
            name='certificationpolicy',
            table=None,
        ),
    ]
