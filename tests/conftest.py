"""Personas shared by every test: Alice and Bob train, Tânia authors, Marta manages Alice's team,
Otto manages another team."""

import pytest

from tests.factories import TeamFactory, UserFactory
from training.roles import Role


@pytest.fixture
def trainee(db):
    return UserFactory(username="alice", roles=[Role.TRAINEE])


@pytest.fixture
def other_trainee(db):
    return UserFactory(username="bob", roles=[Role.TRAINEE])


@pytest.fixture
def trainer(db):
    return UserFactory(username="tania", roles=[Role.TRAINER], is_staff=True)


@pytest.fixture
def team(db, trainee):
    team = TeamFactory(name="Equipe Alfa")
    team.members.add(trainee)
    return team


@pytest.fixture
def manager(db, team):
    user = UserFactory(username="marta", roles=[Role.MANAGER])
    team.managers.add(user)
    return user


@pytest.fixture
def other_team(db, other_trainee):
    team = TeamFactory(name="Equipe Beta")
    team.members.add(other_trainee)
    return team


@pytest.fixture
def other_manager(db, other_team):
    user = UserFactory(username="otto", roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


@pytest.fixture
def trainee_client(client, trainee):
    client.force_login(trainee)
    return client


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(f, *args)`` calls ``f`` and then runs what it left for after its transaction
    commits, as a real request does (the test's own transaction never commits)."""

    def call(f, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return f(*args, **kwargs)

    return call


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: ids come back after a rollback, so a figure
    cached by one test could otherwise answer another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def small_pack(tmp_path, settings):
    """A one-module pack loaded (curriculum, quizzes and calls sections): procedure ``regras``
    of module ``promessa`` with one scenario question."""
    from tests.quizzes.test_one_validation_path import GOOD
    from tests.small_pack import write_pack
    from training.pack.loader import load_pack

    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
        "scenarios.pack.ScenarioSection",
    ]
    root = write_pack(tmp_path / "content", [GOOD])
    load_pack(root)
    return root


@pytest.fixture
def publisher(db):
    """Paula, a trainer who may also publish."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="paula", roles=[Role.TRAINER], first_name="Paula")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="publish_content")
    )
    return user
