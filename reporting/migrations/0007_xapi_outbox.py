"""The outbox of xAPI statements."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0006_notifications'),
    ]

    operations = [
        migrations.CreateModel(
            name='Statement',
            fields=[
                ('id', models.UUIDField(editable=False, primary_key=True, serialize=False)),
                ('payload', models.JSONField(verbose_name='statement')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='written')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('tries', models.PositiveSmallIntegerField(default=0, verbose_name='tries')),
                ('next_try_at', models.DateTimeField(blank=True, null=True, verbose_name='next try')),
                ('last_error', models.CharField(blank=True, max_length=500, verbose_name='last error')),
            ],
            options={
                'verbose_name': 'xAPI statement',
                'verbose_name_plural': 'xAPI statements',
                'ordering': ['created_at'],
                'indexes': [models.Index(fields=['sent_at', 'next_try_at'], name='statement_outbox_idx')],
            },
        ),
    ]
