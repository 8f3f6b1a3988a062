"""One person's data (LGPD): the export holds everything the platform keeps about them; the
erasure removes who they are and keeps every certificate verifiable and every figure true;
only superusers reach either, and each is written to the audit trail."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from people.personal_data import AlreadyErased, personal_data, personal_data_erase
from quizzes.models import Attempt, AttemptItem
from scenarios.models import Run, Turn
from tests.factories import (
    AttemptFactory,
    AttemptItemFactory,
    CallJudgementFactory,
    CertificationFactory,
    ProcedureReadFactory,
    QuizJudgementFactory,
    RunFactory,
    TeamFactory,
    TurnFactory,
    UserFactory,
)
from training.models import AuditEvent, Erasure, Judgement, ProcedureRead
from training.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(trainee):
    """Alice Pereira with a bit of everything: a team, a procedure read, a quiz answer, a call
    turn, judgements and a certificate."""
    trainee.first_name, trainee.last_name, trainee.email = "Alice", "Pereira", "alice@example.com"
    trainee.save()
    TeamFactory(name="Equipe Gama").members.add(trainee)
    ProcedureReadFactory(trainee=trainee)
    attempt = results(trainee)
    AttemptItem.objects.filter(attempt=attempt).update(response={"choice": 2})
    Turn.objects.filter(run__user=trainee).update(said="Boa tarde, Ana! Vou verificar o contrato.")
    return CertificationFactory(trainee=trainee)


def results(trainee) -> Attempt:
    """A graded attempt with one answer and a call with one turn, each with a judgement."""
    attempt = AttemptFactory(
        user=trainee,
        status=Attempt.Status.SUBMITTED,
        score=50,
        passed=False,
        submitted_at=timezone.now(),
    )
    AttemptItemFactory(attempt=attempt, correct=False)
    QuizJudgementFactory(attempt=attempt)
    run = RunFactory(
        user=trainee, status=Run.Status.COMPLETED, score=80, passed=True, finished_at=timezone.now()
    )
    TurnFactory(run=run)
    CallJudgementFactory(run=run)
    return attempt


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_export_holds_everything_kept_about_the_person(trainee, history):
    document = personal_data(trainee)

    assert document["person"]["email"] == "alice@example.com"
    assert document["person"]["teams"] == ["Equipe Gama"]
    assert document["person"]["roles"] == [Role.TRAINEE.value]
    assert len(document["procedures_read"]) == 1
    [attempt] = document["quiz_attempts"]
    assert attempt["answers"][0]["response"] == {"choice": 2}
    [call] = document["calls"]
    assert call["turns"][0]["said"] == "Boa tarde, Ana! Vou verificar o contrato."
    assert len(document["judgements"]) == 2
    assert document["certificates"][0]["code"] == history.code
    json.dumps(document)  # a JSON document, whatever it holds


def test_the_export_costs_the_same_queries_for_a_long_history(
    trainee, history, django_assert_max_num_queries
):
    for _ in range(5):
        results(trainee)
        CertificationFactory(trainee=trainee)

    with django_assert_max_num_queries(16):
        personal_data(trainee)


def test_erasure_removes_who_the_person_is(trainee, history, superuser):
    AuditEvent.objects.create(
        action=AuditEvent.Action.CERTIFICATE_REVOKED, subject="abc · alice · promessa"
    )
    AuditEvent.objects.create(
        action=AuditEvent.Action.TEAM_CHANGED, subject="Equipe Gama", details={"added": ["alice"]}
    )
    AuditEvent.objects.create(
        action=AuditEvent.Action.TEAM_CHANGED, subject="Equipe Beta", details={"added": ["alicea"]}
    )

    pseudonym = personal_data_erase(trainee, by_id=superuser.pk)

    trainee.refresh_from_db()
    assert trainee.username == pseudonym and pseudonym.startswith("apagado-")
    assert (trainee.first_name, trainee.last_name, trainee.email) == ("", "", "")
    assert not trainee.has_usable_password() and not trainee.is_active
    assert not trainee.groups.exists() and not trainee.teams.exists()
    assert not ProcedureRead.objects.filter(trainee=trainee).exists()
    assert Erasure.objects.filter(person=trainee).exists()
    trail = " ".join(
        f"{e.subject} {json.dumps(e.details)}" for e in AuditEvent.objects.exclude(subject="")
    )
    assert '"alice"' not in trail and "· alice ·" not in trail
    assert "alicea" in trail, "another person's name that contains it is left alone"
    erased = AuditEvent.objects.get(action=AuditEvent.Action.DATA_ERASED)
    assert erased.actor == superuser and erased.subject == pseudonym


def test_erasure_keeps_results_certificates_and_their_verification(
    client, trainee, history, superuser
):
    before = (Attempt.objects.count(), Run.objects.count(), Judgement.objects.count())

    personal_data_erase(trainee, by_id=superuser.pk)

    assert (Attempt.objects.count(), Run.objects.count(), Judgement.objects.count()) == before
    page = client.get(reverse("certification:verify", args=[history.code]))
    assert page.status_code == 200
    assert page.context["status"] == history.status_at(page.context["awarded_at"])
    assert "Alice" not in page.text and "Pereira" not in page.text
    assert "dados foram apagados" in page.text


def test_erasing_twice_is_refused(trainee, superuser):
    personal_data_erase(trainee, by_id=superuser.pk)
    with pytest.raises(AlreadyErased):
        personal_data_erase(trainee, by_id=superuser.pk)


def test_only_superusers_reach_the_pages(client, trainee, trainer, manager, history):
    staff = UserFactory(username="staff-only", is_staff=True)
    urls = [
        reverse("people:audit"),
        reverse("people:person_list"),
        reverse("people:person_data", args=[trainee.pk]),
        reverse("people:person_export", args=[trainee.pk]),
    ]
    for user in [trainee, trainer, manager, staff]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        erase = reverse("people:person_erase", args=[trainee.pk])
        assert client.post(erase, {"confirm": "alice"}).status_code == 403
    client.logout()
    assert client.get(urls[0]).status_code == 302
    trainee.refresh_from_db()
    assert trainee.username == "alice"


def test_the_export_download_is_recorded(superuser_client, superuser, trainee, history):
    response = superuser_client.get(reverse("people:person_export", args=[trainee.pk]))

    assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["person"]["username"] == "alice"
    event = AuditEvent.objects.get(action=AuditEvent.Action.DATA_EXPORTED)
    assert (event.actor, event.subject) == (superuser, "alice")


def test_erasing_asks_for_the_username_typed_again(superuser_client, trainee):
    url = reverse("people:person_erase", args=[trainee.pk])

    wrong = superuser_client.post(url, {"confirm": "alicia"})

    assert wrong.status_code == 400
    trainee.refresh_from_db()
    assert trainee.username == "alice"
    right = superuser_client.post(url, {"confirm": "alice"}, follow=True)
    trainee.refresh_from_db()
    assert trainee.username.startswith("apagado-")
    assert trainee.username in right.text


def test_a_superuser_cannot_erase_themselves(superuser_client, superuser):
    url = reverse("people:person_erase", args=[superuser.pk])

    assert superuser_client.post(url, {"confirm": "root"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "root"


def test_the_command_exports_and_erases(trainee, history, tmp_path):
    out = tmp_path / "alice.json"
    call_command("personal_data", "export", "alice", output=out, stdout=StringIO())
    assert json.loads(out.read_text())["person"]["email"] == "alice@example.com"

    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", "alice")
    trainee.refresh_from_db()
    assert trainee.username == "alice"

    call_command("personal_data", "erase", "alice", yes=True, stdout=StringIO())
    trainee.refresh_from_db()
    assert trainee.username.startswith("apagado-")
    with pytest.raises(CommandError, match="nobody"):
        call_command("personal_data", "export", "alice")
