"""The migration that flags each trainee's latest certificate per module as current: on a
history of renewals only the newest of each trainee and module is current."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_the_latest_certificate_of_each_trainee_and_module_is_current():
    apps = migrate([("certification", "0003_bounded_settings")])
    User = apps.get_model("auth", "User")
    Module = apps.get_model("training", "Module")
    Certification = apps.get_model("certification", "Certification")
    now = timezone.now()
    modules = [Module.objects.create(slug=f"m{n}", title="M", order=n) for n in range(2)]
    people = [User.objects.create(username=f"u{n}") for n in range(2)]
    made = {}
    for person in people:
        for module in modules:
            for age in (400, 30, 200):  # created out of order
                made[(person.pk, module.pk, age)] = Certification.objects.create(
                    trainee=person,
                    module=module,
                    awarded_at=now - timedelta(days=age),
                    expires_at=now + timedelta(days=365 - age),
                    content_version=1,
                    code=f"c{person.pk}{module.pk}{age}",
                    evidence_key=f"k{person.pk}{module.pk}{age}",
                ).pk

    apps = migrate([("certification", "0004_current_certificate")])

    current = set(
        apps.get_model("certification", "Certification")
        .objects.filter(is_current=True)
        .values_list("pk", flat=True)
    )
    assert current == {pk for (_, _, age), pk in made.items() if age == 30}
