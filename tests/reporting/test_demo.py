from django.contrib.auth import get_user_model
from django.core.management import call_command

from quizzes.models import Attempt
from scenarios.models import Run
from training.models import Module, Team
from training.roles import Role, roles_of


def test_demo_sets_up_users_and_curriculum_and_is_safe_to_rerun(db, capsys):
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    assert "trainee  / trilha-demo" in out
    User = get_user_model()
    trainee = User.objects.get(username="trainee")
    assert roles_of(trainee) == [Role.TRAINEE]
    assert roles_of(User.objects.get(username="manager")) == [Role.MANAGER]
    assert roles_of(User.objects.get(username="trainer")) == [Role.TRAINER]
    team = Team.objects.get(name="Equipe Demonstração")
    assert list(team.members.all()) == [trainee]
    # A company with months of graded history, whose teams the demo manager watches.
    manager = User.objects.get(username="manager")
    company = User.objects.filter(username__startswith="demo-agente-")
    assert company.count() == 120
    assert Attempt.objects.filter(user__in=company).exists()
    assert Run.objects.filter(user__in=company).exists()
    assert manager.managed_teams.filter(name__startswith="Demo ").count() == 4
    modules = Module.objects.count()
    assert modules > 0

    trainee.set_password("changed-by-the-trainee")
    trainee.save()
    call_command("demo", no_serve=True)
    trainee.refresh_from_db()
    assert trainee.check_password("changed-by-the-trainee")
    assert Module.objects.count() == modules
    assert User.objects.filter(username="trainee").count() == 1
    assert company.count() == 120, "the company is seeded once"
    assert "password left as it was" in capsys.readouterr().out
