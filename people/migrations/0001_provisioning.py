"""Bulk provisioning of people from a sheet: the upload kept between preview and confirmation, and its audit action."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SheetUpload',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('filename', models.CharField(max_length=200, verbose_name='file name')),
                ('data', models.BinaryField(verbose_name='content')),
                ('deactivate_missing', models.BooleanField(verbose_name='deactivate people not in the sheet')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'sheet of people',
                'verbose_name_plural': 'sheets of people',
            },
        ),
    ]
