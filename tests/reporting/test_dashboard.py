"""The manager's dashboard: only their teams, the matrix and its CSV, the drill-down, revocation
from it, and query counts that do not grow with the data."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification
from quizzes.models import Attempt
from scenarios.models import Run
from tests.factories import (
    AttemptFactory,
    BehaviorFactory,
    CallJudgementFactory,
    CertificationFactory,
    ModuleFactory,
    ProcedureFactory,
    QuizFactory,
    QuizJudgementFactory,
    RunFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
    TeamFactory,
    UserFactory,
)
from training.events import announce_graded
from training.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return ModuleFactory(title="Promessa de pagamento", slug="promessa")


@pytest.fixture
def quiz(module):
    return QuizFactory(module=module, slug="quiz-promessa")


def attempt(quiz, user, score, *, days_ago=1):
    at = timezone.now() - timedelta(days=days_ago)
    return AttemptFactory(
        quiz=quiz,
        user=user,
        status=Attempt.Status.SUBMITTED,
        score=score,
        passed=score >= 70,
        started_at=at - timedelta(minutes=5),
        submitted_at=at,
    )


def run(scenario, user, score, *, critical=0):
    version = scenario.versions.first() or ScenarioVersionFactory(scenario=scenario)
    return RunFactory(
        scenario=scenario,
        version=version,
        user=user,
        status=Run.Status.COMPLETED,
        finished_at=timezone.now() - timedelta(days=1),
        score=score,
        critical_errors=critical,
        passed=score >= 70 and not critical,
    )


@pytest.fixture
def history(trainee, other_trainee, module, quiz):
    """Alice (Marta's team) is certified and expiring soon; Bob (Otto's team) is certified."""
    trainee.first_name, trainee.last_name = "Alice", "Pereira"
    trainee.save()
    other_trainee.first_name, other_trainee.last_name = "Bob", "Bastos"
    other_trainee.save()
    attempt(quiz, trainee, 90)
    attempt(quiz, other_trainee, 40)
    soon = CertificationFactory(
        trainee=trainee, module=module, awarded_at=timezone.now() - timedelta(days=350)
    )
    CertificationFactory(trainee=other_trainee, module=module)
    return soon


def test_the_manager_sees_their_team_in_the_matrix(manager_client, history, other_team):
    response = manager_client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Pereira" in page
    assert "Bob Bastos" not in page
    assert "Equipe Beta" not in page
    row = response.context["matrix"][0]
    assert row.trainee.username == "alice"
    assert row.cells[0].status == "expiring_soon"
    assert [c.trainee.username for c in response.context["expiring"]] == ["alice"]


def test_module_figures_count_only_the_team(manager_client, history, other_team):
    summary = manager_client.get(reverse("reporting:dashboard")).context["summaries"][0]
    assert summary.trainees == 1
    assert summary.certified == 1 and summary.expiring_soon == 1
    assert summary.quiz_attempts == 1 and summary.quiz_pass_rate == 100


def test_the_matrix_tells_started_from_not_started(manager_client, team, module, quiz):
    started = UserFactory(roles=[Role.TRAINEE], last_name="A")
    idle = UserFactory(roles=[Role.TRAINEE], last_name="B")
    team.members.add(started, idle)
    attempt(quiz, started, 30)
    matrix = manager_client.get(reverse("reporting:dashboard")).context["matrix"]
    statuses = {row.trainee.pk: row.cells[0].status for row in matrix}
    assert statuses[started.pk] == "in_progress"
    assert statuses[idle.pk] == "not_started"


def test_the_behaviours_missed_most_link_to_their_procedure(
    manager_client, trainee, other_trainee, other_team, module
):
    procedure = ProcedureFactory(module=module)
    often = BehaviorFactory(procedure=procedure, label="Informar o valor em aberto")
    rarely = BehaviorFactory(procedure=procedure, label="Chamar pelo nome")
    for _ in range(3):
        QuizJudgementFactory(trainee=trainee, attempt__user=trainee, behavior=often, hit=False)
    CallJudgementFactory(trainee=trainee, run__user=trainee, behavior=often, hit=False)
    QuizJudgementFactory(trainee=trainee, attempt__user=trainee, behavior=rarely, hit=False)
    QuizJudgementFactory(trainee=trainee, attempt__user=trainee, behavior=rarely, hit=True)
    # Another team's misses are not this manager's business.
    for _ in range(9):
        QuizJudgementFactory(
            trainee=other_trainee, attempt__user=other_trainee, behavior=rarely, hit=False
        )

    response = manager_client.get(reverse("reporting:dashboard"))

    missed = response.context["missed"]
    assert [m.behavior for m in missed] == [often, rarely]
    assert (missed[0].quiz_missed, missed[0].call_missed, missed[0].total) == (3, 1, 4)
    assert f"{procedure.get_absolute_url()}#behavior-{often.code}" in response.content.decode()


def test_old_misses_are_left_out(manager_client, trainee, module):
    QuizJudgementFactory(
        trainee=trainee,
        attempt__user=trainee,
        hit=False,
        judged_at=timezone.now() - timedelta(days=200),
    )
    assert manager_client.get(reverse("reporting:dashboard")).context["missed"] == []


def test_another_teams_filter_is_404(manager_client, other_team):
    url = reverse("reporting:dashboard") + f"?team={other_team.pk}"
    assert manager_client.get(url).status_code == 404
    assert manager_client.get(reverse("reporting:dashboard") + "?team=x").status_code == 404


def test_a_manager_of_another_team_gets_404_on_the_drill_down(client, other_manager, history):
    client.force_login(other_manager)
    url = reverse("reporting:trainee", args=[history.trainee_id])
    assert client.get(url).status_code == 404


def test_the_drill_down_lists_attempts_runs_and_certificates(manager_client, trainee, module, quiz):
    scenario = ScenarioFactory(module=module, title="Cliente pede prazo")
    attempt(quiz, trainee, 55)
    run(scenario, trainee, 90, critical=1)
    CertificationFactory(trainee=trainee, module=module)

    response = manager_client.get(reverse("reporting:trainee", args=[trainee.pk]))

    assert response.status_code == 200
    assert len(response.context["attempts"]) == 1
    assert len(response.context["runs"]) == 1
    page = response.content.decode()
    assert "Cliente pede prazo" in page
    assert "Promessa de pagamento" in page


def organisation_manager():
    """A manager granted the organisation-wide scope (a head of operations)."""
    user = UserFactory(roles=[Role.MANAGER])
    user.user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    return user


def test_a_manager_with_organisation_scope_sees_every_team(client, history, other_team):
    client.force_login(organisation_manager())
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Alice Pereira" in page and "Bob Bastos" in page
    url = reverse("reporting:trainee", args=[history.trainee_id])
    assert client.get(url).status_code == 200


def test_organisation_wide_figures_are_read_once_a_minute_however_many_look(
    client, history, other_team
):
    """Every certificate of the company is counted for the head's figures: the first view
    counts, the next within the minute reads the cache and says as of when."""
    client.force_login(organisation_manager())
    url = reverse("reporting:dashboard")
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(url)
    assert "números da organização às" in page
    assert len(second) < len(first)
    assert again.context["summaries"] and again.context["figures_at"]
    # A team's own figures are never kept: its manager sees a change at once.
    assert "figures_at" not in client.get(f"{url}?team={other_team.pk}").context


def test_being_staff_gives_no_scope_of_its_own(client, history, other_team):
    """Admin access is not a role: a staff manager of no team sees no trainee."""
    client.force_login(UserFactory(roles=[Role.MANAGER], is_staff=True))
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Alice Pereira" not in page and "Bob Bastos" not in page
    url = reverse("reporting:trainee", args=[history.trainee_id])
    assert client.get(url).status_code == 404


def test_a_trainee_cannot_open_the_dashboard_or_its_exports(trainee_client):
    for name in ["dashboard", "matrix_csv", "attempts_csv"]:
        assert trainee_client.get(reverse(f"reporting:{name}")).status_code == 403


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_matrix_csv_has_every_trainee_of_the_team_and_no_one_else(
    manager_client, history, module, other_team
):
    rows = read_csv(manager_client.get(reverse("reporting:matrix_csv")))
    assert rows[0] == ["username", "name", "promessa status", "promessa expires"]
    assert rows[1:] == [
        ["alice", "Alice Pereira", "expiring_soon", history.expires_at.date().isoformat()]
    ]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(
    manager_client, trainee, history, name
):
    trainee.first_name, trainee.last_name = name, ""
    trainee.save()

    rows = read_csv(manager_client.get(reverse("reporting:matrix_csv")))

    assert rows[1][1] == f"'{name.strip()}"


def test_the_attempts_csv_lists_quizzes_and_calls(manager_client, trainee, module, quiz):
    scenario = ScenarioFactory(module=module, slug="ligacao-prazo")
    attempt(quiz, trainee, 55, days_ago=2)
    run(scenario, trainee, 90, critical=1)
    rows = read_csv(manager_client.get(reverse("reporting:attempts_csv")))
    assert rows[0][:3] == ["username", "name", "kind"]
    assert [(r[2], r[4], r[8], r[9]) for r in rows[1:]] == [
        ("quiz", "quiz-promessa", "no", ""),
        ("call", "ligacao-prazo", "no", "1"),
    ]


def test_the_manager_revokes_a_certificate_from_the_drill_down(manager_client, manager, history):
    url = reverse("certification:revoke", args=[history.code])
    response = manager_client.post(url, {"reason": "Prova feita por outra pessoa"})
    assert response.status_code == 302
    history.refresh_from_db()
    assert history.revoked_by == manager
    assert history.revocation_reason == "Prova feita por outra pessoa"


def test_a_revocation_without_a_reason_changes_nothing(manager_client, history):
    manager_client.post(reverse("certification:revoke", args=[history.code]), {})
    history.refresh_from_db()
    assert history.revoked_at is None


def test_another_teams_manager_cannot_revoke(client, other_manager, history):
    client.force_login(other_manager)
    url = reverse("certification:revoke", args=[history.code])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Certification.objects.filter(revoked_at__isnull=False).exists()


# --- query budgets ------------------------------------------------------------------------------


def populate(team, modules, trainees: int) -> None:
    """Trainees with attempts, runs, behaviour outcomes and certificates in every module."""
    for n in range(trainees):
        user = UserFactory(roles=[Role.TRAINEE])
        team.members.add(user)
        for module in modules:
            quiz = module.quizzes.first()
            scenario = module.scenarios.first()
            graded = attempt(quiz, user, 50 + n % 50)
            run(scenario, user, 60 + n % 40)
            QuizJudgementFactory(trainee=user, attempt=graded, hit=n % 2 == 0)
            if n % 3:
                CertificationFactory(
                    trainee=user,
                    module=module,
                    awarded_at=timezone.now() - timedelta(days=(n * 37) % 420),
                )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("staff", [False, True], ids=["manager", "staff"])
def test_the_dashboard_query_count_does_not_grow_with_the_data(
    client, django_assert_max_num_queries, staff
):
    modules = [ModuleFactory() for _ in range(3)]
    for module in modules:
        QuizFactory(module=module)
        ScenarioFactory(module=module)
    teams = [TeamFactory(), TeamFactory()]
    viewer = UserFactory(roles=[Role.MANAGER], is_staff=staff)
    for team in teams:
        team.managers.add(viewer)
    client.force_login(viewer)
    urls = [
        reverse("reporting:dashboard"),
        reverse("reporting:dashboard") + f"?team={teams[0].pk}",
        reverse("reporting:matrix_csv"),
    ]

    populate(teams[0], modules, 2)
    small = []
    for url in urls:
        with django_assert_max_num_queries(20):
            small.append(count_queries(client, url))

    populate(teams[0], modules, 25)
    populate(teams[1], modules, 10)
    large = []
    for url in urls:
        with django_assert_max_num_queries(20):
            large.append(count_queries(client, url))

    assert large == small


def test_the_drill_down_query_count_does_not_grow(manager_client, trainee, module, quiz):
    scenario = ScenarioFactory(module=module)
    url = reverse("reporting:trainee", args=[trainee.pk])
    attempt(quiz, trainee, 50)
    small = count_queries(manager_client, url)
    for score in range(60, 100, 5):
        attempt(quiz, trainee, score)
        run(scenario, trainee, score)
        CertificationFactory(trainee=trainee, module=module)
    assert count_queries(manager_client, url) == small <= 20


def test_the_organisation_view_reads_rollups_that_agree_with_the_results(
    client, manager_client, trainee, module, quiz, django_capture_on_commit_callbacks
):
    scenario = ScenarioFactory(module=module)
    behavior = BehaviorFactory(procedure=ProcedureFactory(module=module))
    first = attempt(quiz, trainee, 40)
    attempt(quiz, trainee, 90)
    run(scenario, trainee, 95, critical=1)
    QuizJudgementFactory(trainee=trainee, attempt=first, behavior=behavior, hit=False)
    CallJudgementFactory(trainee=trainee, run__user=trainee, behavior=behavior, hit=False)
    # What grading announces; the roof hears it once the grading commits.
    with django_capture_on_commit_callbacks(execute=True):
        announce_graded(
            trainee_id=trainee.pk,
            module_id=module.pk,
            source="quiz",
            record=first.pk,
            at=timezone.now(),
        )

    team_view = manager_client.get(reverse("reporting:dashboard")).context
    client.force_login(organisation_manager())
    organisation = client.get(reverse("reporting:dashboard")).context

    def figures(context):
        summary = context["summaries"][0]
        missed = [(m.behavior, m.quiz_missed, m.call_missed, m.total) for m in context["missed"]]
        return (
            summary.quiz_attempts,
            summary.quiz_passed,
            summary.call_runs,
            summary.call_passed,
        ), missed

    assert figures(organisation) == figures(team_view) == ((2, 1, 1, 0), [(behavior, 1, 1, 2)])


def test_htmx_pages_through_the_matrix_alone(manager_client, team):
    for n in range(105):
        team.members.add(UserFactory(roles=[Role.TRAINEE], last_name=f"Agente {n:03d}"))
    url = reverse("reporting:dashboard") + "?page=2"
    response = manager_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="matrix")
    assert [t.name for t in response.templates][0] == "reporting/includes/matrix.html"
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="matrix"')
    assert len(response.context["matrix"]) == 6  # 106 trainees, 100 a page
    full = manager_client.get(url)
    assert "<html" in full.content.decode() and 'id="modules-heading"' in full.content.decode()


def test_csv_starts_with_a_byte_order_mark_and_shows_local_dates(manager_client, trainee):
    """Excel reads the file as UTF-8, and an expiry just after midnight UTC shows the local
    date the screen shows."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    expires = datetime(2027, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 22:30 on 28/02 in Brazil
    CertificationFactory(
        trainee=trainee, awarded_at=expires - timedelta(days=365), expires_at=expires
    )
    response = manager_client.get(reverse("reporting:matrix_csv"))
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert timezone.localdate(expires).isoformat() in rows[1]
    assert "2027-02-28" in rows[1]


def test_the_matrix_narrows_to_a_status_and_to_certificates_expiring_soon(
    manager_client, team, trainee
):
    module = ModuleFactory()
    now = timezone.now()
    soon = UserFactory(username="soon", roles=[Role.TRAINEE])
    later = UserFactory(username="later", roles=[Role.TRAINEE])
    team.members.add(soon, later)
    CertificationFactory(
        trainee=soon,
        module=module,
        awarded_at=now - timedelta(days=350),
        expires_at=now + timedelta(days=10),
    )
    CertificationFactory(
        trainee=later,
        module=module,
        awarded_at=now - timedelta(days=10),
        expires_at=now + timedelta(days=200),
    )

    def names(**query):
        page = manager_client.get(reverse("reporting:dashboard"), query)
        assert page.status_code == 200
        return sorted(row.trainee.username for row in page.context["matrix"])

    assert names() == ["alice", "later", "soon"]
    assert names(module=module.pk, status="certified") == ["later", "soon"]
    assert names(module=module.pk, status="not_certified") == ["alice"]
    assert names(expiring=30) == ["soon"]
    assert names(expiring=365, module=module.pk) == ["later", "soon"]
    # A filter that makes no sense is left out, with a message, never a 500.
    for bad in ({"expiring": "9" * 30}, {"expiring": "x\x00"}, {"module": "-1"}, {"status": "z"}):
        page = manager_client.get(reverse("reporting:dashboard"), bad)
        assert page.status_code == 200 and page.context["filters"].errors
        assert len(page.context["matrix"]) == 3


def test_the_matrix_orders_by_certificates_held(manager_client, team, trainee):
    now = timezone.now()
    ahead = UserFactory(username="ahead", roles=[Role.TRAINEE])
    team.members.add(ahead)
    for _ in range(2):
        CertificationFactory(trainee=ahead, module=ModuleFactory())
    CertificationFactory(
        trainee=trainee, awarded_at=now - timedelta(days=400), expires_at=now - timedelta(days=5)
    )

    def order(sort):
        page = manager_client.get(reverse("reporting:dashboard"), {"sort": sort})
        return [row.trainee.username for row in page.context["matrix"]]

    assert order("fewest") == ["alice", "ahead"]  # an expired certificate counts for nothing
    assert order("most") == ["ahead", "alice"]
