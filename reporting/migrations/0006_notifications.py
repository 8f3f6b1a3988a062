"""Reminders on the site and by e-mail, each sent once."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0005_assignments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=80, verbose_name='key')),
                ('message', models.CharField(max_length=300, verbose_name='message')),
                ('url', models.CharField(blank=True, max_length=200, verbose_name='link')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['user', 'read_at'], name='reporting_notif_unread')],
                'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='reporting_notification_once')],
            },
        ),
    ]
