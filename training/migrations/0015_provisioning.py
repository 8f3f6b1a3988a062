"""Bulk provisioning of people from a sheet: the upload kept between preview and confirmation, and its audit action."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0014_authoring'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('pack_loaded', 'Content pack loaded'), ('content_changed', 'Changed in the admin'), ('content_published', 'Published in the editor'), ('roles_changed', 'Roles changed'), ('team_changed', 'Team changed'), ('certificate_revoked', 'Certificate revoked'), ('data_exported', 'Personal data exported'), ('data_erased', 'Personal data erased'), ('people_provisioned', 'People provisioned from a sheet'), ('locked_out', 'Login locked out')], db_index=True, max_length=32, verbose_name='what'),
        ),
    ]
