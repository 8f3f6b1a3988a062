"""The audit trail records who loaded the pack, changed content, roles or teams, revoked a
certificate and which logins were locked out; superusers read it in a constant number of
queries; results and the trail itself cannot be added, changed or deleted in the admin."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from certification.services import certification_revoke
from tests.factories import CertificationFactory, TeamFactory, UserFactory
from training.audit import acting_as
from training.models import AuditEvent, Team
from training.pack.loader import load_pack
from training.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_pack_load_is_recorded_with_what_it_changed_and_a_dry_run_is_not(tmp_path, settings):
    settings.CONTENT_SECTIONS = ["training.pack.curriculum.CurriculumSection"]
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "01-a.yaml").write_text(
        "module: {slug: a, title: A, summary: S., order: 1}\n"
        "procedures:\n"
        "  - slug: p\n"
        "    title: P\n"
        "    guidance: G.\n"
        "    behaviors:\n"
        "      - {code: A.B, label: Fazer, kind: action, manual: m}\n",
        encoding="utf-8",
    )

    load_pack(tmp_path, dry_run=True)
    assert not events(AuditEvent.Action.PACK_LOADED)
    load_pack(tmp_path)

    [event] = events(AuditEvent.Action.PACK_LOADED)
    assert event.actor is None
    assert event.details["modules"] == {"created": 1}


def test_a_revocation_names_who_revoked_and_why(manager, trainee):
    certificate = CertificationFactory(trainee=trainee)

    certification_revoke(certification=certificate, by=manager, reason="Prova feita por outro")

    [event] = events(AuditEvent.Action.CERTIFICATE_REVOKED)
    assert event.actor == manager
    assert event.subject == f"{certificate.code} · alice · {certificate.module.slug}"
    assert event.details == {"reason": "Prova feita por outro"}


def test_an_admin_edit_names_the_editor(superuser_client, superuser):
    team = TeamFactory(name="Equipe Alfa")
    url = reverse("admin:training_team_change", args=[team.pk])

    superuser_client.post(url, {"name": "Equipe Alfa 2", "members": [], "managers": []})

    [event] = events(AuditEvent.Action.CONTENT_CHANGED)
    assert event.actor == superuser
    assert event.subject.endswith("Equipe Alfa 2")
    assert event.details["change"] == "changed"


def test_roles_given_in_the_admin_name_who_gave_them(superuser_client, superuser, trainee):
    trainer_group = Group.objects.get(name=Role.TRAINER.value)
    url = reverse("admin:auth_user_change", args=[trainee.pk])
    page = superuser_client.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "username": "alice",
            "groups": [g.pk for g in trainee.groups.all()] + [trainer_group.pk],
            "date_joined_0": trainee.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": trainee.date_joined.strftime("%H:%M:%S"),
            "user_permissions": [],
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)

    superuser_client.post(url, data)

    roles = events(AuditEvent.Action.ROLES_CHANGED)
    assert roles, "giving a role is recorded"
    assert roles[-1].actor == superuser
    assert roles[-1].details == {"added": [Role.TRAINER.value], "relation": "groups"}


def test_team_changes_outside_a_request_are_recorded_without_an_actor(trainee, other_trainee):
    team = TeamFactory(name="Equipe Gama")

    team.members.add(trainee, other_trainee)
    team.members.remove(other_trainee)
    team.members.clear()

    changes = [e.details for e in events(AuditEvent.Action.TEAM_CHANGED)]
    assert changes == [
        {"added": ["alice", "bob"], "relation": "members"},
        {"removed": ["bob"], "relation": "members"},
        {"removed": ["alice"], "relation": "members"},
    ]
    assert all(e.actor is None for e in events(AuditEvent.Action.TEAM_CHANGED))


def test_acting_as_names_the_actor(superuser, trainee):
    with acting_as(superuser):
        Team.objects.create(name="Equipe Delta").managers.add(trainee)

    [event] = events(AuditEvent.Action.TEAM_CHANGED)
    assert event.actor == superuser


def test_a_lockout_is_recorded(db):
    UserFactory(username="alice")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "errada"})

    [event] = events(AuditEvent.Action.LOCKED_OUT)
    assert event.subject == "alice"


def test_the_trail_page_filters_and_costs_the_same_queries_for_many_events(
    superuser_client, superuser, django_assert_max_num_queries
):
    others = [UserFactory() for _ in range(5)]
    for n in range(60):
        AuditEvent.objects.create(
            action=AuditEvent.Action.TEAM_CHANGED if n % 2 else AuditEvent.Action.PACK_LOADED,
            actor=others[n % 5],
            subject=f"evento {n}",
        )

    with django_assert_max_num_queries(8):
        page = superuser_client.get(reverse("people:audit"))
    assert len(page.context["page"].object_list) == 50
    filtered = superuser_client.get(
        reverse("people:audit"), {"action": "pack_loaded", "who": others[0].username}
    )
    assert {e.action for e in filtered.context["page"].object_list} == {"pack_loaded"}
    assert {e.actor for e in filtered.context["page"].object_list} == {others[0]}
    bad = superuser_client.get(reverse("people:audit"), {"action": "nada", "who": "a\x00b"})
    assert bad.status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "quizzes/attempt",
        "quizzes/attemptitem",
        "scenarios/run",
        "scenarios/turn",
        "certification/certification",
        "training/judgement",
        "training/auditevent",
        "training/erasure",
        "reporting/moduleactivity",
    ],
)
def test_results_and_the_trail_cannot_be_added_by_hand_even_by_a_superuser(superuser_client, model):
    assert superuser_client.get(f"/admin/{model}/add/").status_code == 403
    assert superuser_client.get(f"/admin/{model}/").status_code == 200
