"""Where a person launched from an LMS (LTI 1.3) and where their grade goes back."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_provisioning'),
        ('scenarios', '0007_typed_replies'),
        ('training', '0015_provisioning'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LtiLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issuer', models.CharField(max_length=255, verbose_name='platform')),
                ('client_id', models.CharField(max_length=255, verbose_name='client id')),
                ('subject', models.CharField(max_length=255, verbose_name='person on the platform')),
                ('deployment_id', models.CharField(max_length=255, verbose_name='deployment')),
                ('resource_link', models.CharField(max_length=255, verbose_name='resource link')),
                ('lineitem', models.URLField(blank=True, max_length=500, verbose_name='line item')),
                ('scopes', models.JSONField(blank=True, default=list, verbose_name='grade scopes')),
                ('launched_at', models.DateTimeField(auto_now=True, verbose_name='last launch')),
                ('score_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='grade last sent')),
                ('last_error', models.CharField(blank=True, max_length=500, verbose_name='last error')),
                ('module', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='training.module', verbose_name='module')),
                ('scenario', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scenarios.scenario', verbose_name='call')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lti_links', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'LTI link',
                'verbose_name_plural': 'LTI links',
                'constraints': [models.UniqueConstraint(fields=('issuer', 'resource_link', 'user'), name='lti_link_once')],
            },
        ),
    ]
