"""Option tallies: how often each option was picked, counted once per graded attempt."""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def count_existing_attempts(apps, schema_editor):
    """Count the picks of every attempt graded before tallies existed, from its paper."""
    from reporting.services import option_picks  # pure: papers and responses in, counts out

    Attempt = apps.get_model("quizzes", "Attempt")
    AttemptItem = apps.get_model("quizzes", "AttemptItem")
    OptionTally = apps.get_model("reporting", "OptionTally")
    graded = Attempt.objects.exclude(status="in_progress").order_by("pk")
    counts = {}
    for start in range(0, graded.count(), 500):
        ids = list(graded.values_list("pk", flat=True)[start : start + 500])
        papers = dict(Attempt.objects.filter(pk__in=ids).values_list("pk", "paper"))
        answers = {pk: [] for pk in ids}
        for attempt_id, *item in AttemptItem.objects.filter(attempt_id__in=ids).values_list(
            "attempt_id", "position", "question_id", "response"
        ):
            answers[attempt_id].append(item)
        for key, (correct, chosen) in option_picks((papers[pk], answers[pk]) for pk in ids).items():
            found = counts.setdefault(key, [correct, 0])
            found[1] += chosen
    OptionTally.objects.bulk_create(
        [
            OptionTally(
                question_id=question_id,
                text_hash=hashlib.md5(text.encode(), usedforsecurity=False).hexdigest(),
                text=text,
                correct=correct,
                chosen=chosen,
            )
            for (question_id, text), (correct, chosen) in counts.items()
        ],
        batch_size=2000,
    )
    graded.update(options_tallied=True)


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0006_option_tallies'),
        ('reporting', '0002_own_tables'),
    ]

    operations = [
        migrations.CreateModel(
            name='OptionTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text_hash', models.CharField(editable=False, max_length=32)),
                ('text', models.TextField(verbose_name='option')),
                ('correct', models.BooleanField(verbose_name='right option')),
                ('chosen', models.PositiveIntegerField(default=0, verbose_name='times picked')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='option_tallies', to='quizzes.question', verbose_name='question')),
            ],
            options={
                'verbose_name': 'option tally',
                'verbose_name_plural': 'option tallies',
                'constraints': [models.UniqueConstraint(fields=('question', 'text_hash'), name='option_tally_once')],
            },
        ),
        migrations.RunPython(count_existing_attempts, migrations.RunPython.noop),
    ]
