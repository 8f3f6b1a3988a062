"""Certification moves out of the curriculum app into its own, keeping its tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("training", "0010_trainers_view_the_ledger"),
        ("quizzes", "0003_outcomes_in_the_ledger"),
        ("scenarios", "0005_outcomes_in_the_ledger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables already exist: only Django's picture of which app holds them moves.
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='Certification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('awarded_at', models.DateTimeField(verbose_name='awarded')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('content_version', models.PositiveIntegerField(verbose_name='content version')),
                ('code', models.CharField(editable=False, max_length=32, unique=True, verbose_name='verification code')),
                ('evidence', models.JSONField(blank=True, default=list, verbose_name='evidence')),
                ('evidence_key', models.CharField(editable=False, max_length=64)),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('revocation_reason', models.TextField(blank=True, verbose_name='reason for revocation')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certifications', to='training.module', verbose_name='module')),
                ('quiz_attempts', models.ManyToManyField(blank=True, related_name='certifications', to='quizzes.attempt', verbose_name='attempts')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ('scenario_runs', models.ManyToManyField(blank=True, related_name='certifications', to='scenarios.run', verbose_name='calls')),
                ('trainee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certifications', to=settings.AUTH_USER_MODEL, verbose_name='trainee')),
            ],
            options={
                'verbose_name': 'certification',
                'verbose_name_plural': 'certifications',
                'db_table': 'training_certification',
                'ordering': ['-awarded_at'],
                'indexes': [models.Index(fields=['trainee', 'module', 'awarded_at'], name='cert_trainee_module'), models.Index(fields=['expires_at'], name='cert_expires')],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('awarded_at'))), name='certification_expires_after_award'), models.CheckConstraint(condition=models.Q(models.Q(('revocation_reason', ''), ('revoked_at__isnull', True)), models.Q(('revoked_at__isnull', False), models.Q(('revocation_reason', ''), _negated=True)), _connector='OR'), name='certification_revocation_has_reason'), models.UniqueConstraint(fields=('trainee', 'module', 'evidence_key'), name='certification_once_per_evidence')],
            },
        ),
        migrations.CreateModel(
            name='CertificationPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('require_all_content', models.BooleanField(default=True, help_text='When on, every quiz and call of the module is required, including ones added later; when off, only the ones chosen below.', verbose_name='require every quiz and call of the module')),
                ('quiz_pass_mark', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to use each quiz's own pass mark.", null=True, verbose_name='quiz pass mark (%)')),
                ('call_pass_mark', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to use each call's own pass mark.", null=True, verbose_name='call pass mark (%)')),
                ('zero_critical_errors', models.BooleanField(default=True, verbose_name='no critical error in required calls')),
                ('validity_days', models.PositiveIntegerField(default=365, verbose_name='validity (days)')),
                ('recertify_on_major_version', models.BooleanField(default=True, verbose_name='a new major content version requires recertification')),
                ('major_version', models.PositiveIntegerField(default=1, help_text='Certificates earned on an earlier content version are superseded when recertification is required.', verbose_name='current major version starts at content version')),
                ('major_version_since', models.DateTimeField(blank=True, help_text='Results from before this moment do not count towards certification.', null=True, verbose_name='major version started')),
                ('module', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='certification_policy', to='training.module', verbose_name='module')),
                ('required_quizzes', models.ManyToManyField(blank=True, related_name='+', to='quizzes.quiz', verbose_name='required quizzes')),
                ('required_scenarios', models.ManyToManyField(blank=True, related_name='+', to='scenarios.scenario', verbose_name='required calls')),
            ],
            options={
                'verbose_name': 'certification policy',
                'verbose_name_plural': 'certification policies',
                'db_table': 'training_certificationpolicy',
                'constraints': [models.CheckConstraint(condition=models.Q(('validity_days__gt', 0)), name='policy_validity_positive'), models.CheckConstraint(condition=models.Q(('quiz_pass_mark__isnull', True), ('quiz_pass_mark__lte', 100), _connector='OR'), name='policy_quiz_pass_mark_percent'), models.CheckConstraint(condition=models.Q(('call_pass_mark__isnull', True), ('call_pass_mark__lte', 100), _connector='OR'), name='policy_call_pass_mark_percent')],
            },
        ),
    ],
        ),
    ]
