"""Every URL of the site, requested by every kind of person: the anonymous visitor, Alice and
Bob who train, Tânia who authors, Marta who manages Alice's team, Otto who manages Bob's, a
staff member with no role, and a superuser. Each gets in exactly where the table says, is
refused (403, or 404 for what is not theirs to know about) everywhere else, and nobody ever
gets a 500. The table must name every URL: a new page without a row fails the test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from quizzes import authoring
from quizzes import services as quiz_services
from reporting.services import export_build
from reporting.tasks import export_request
from scenarios import authoring as call_authoring
from scenarios import services as call_services
from scenarios.models import Run
from tests.factories import (
    CertificationFactory,
    ProcedureFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
    UserFactory,
)
from tests.quizzes.conftest import build_quiz
from tests.scenarios.calls import chat_definition, make_call

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "bob", "trainer", "manager", "other_manager", "staff", "superuser"]
ANYONE = set(ROLES)
LOGGED_IN = ANYONE - {"anonymous"}
TRAINEES = {"alice", "bob", "superuser"}
TRAINERS = {"trainer", "superuser"}
MANAGERS = {"manager", "other_manager", "superuser"}


@dataclass(frozen=True)
class Row:
    method: str
    allowed: set[str]
    args: str = ""  # which object of the world the URL names
    data: dict | None = None


# name -> how to request it and who gets in. Alice owns the attempt, the run and the
# certificate; Marta manages Alice's team, Otto manages Bob's.
TABLE = {
    "training:home": Row("get", LOGGED_IN),
    "certification:badge_issuer": Row("get", ANYONE),
    "certification:impact": Row("get", TRAINERS, "module"),
    "certification:badge_class": Row("get", ANYONE, "module"),
    "certification:badge_image": Row("get", ANYONE, "module"),
    "certification:badge_assertion": Row("get", ANYONE, "certificate"),
    "certification:badge_baked": Row("get", ANYONE, "certificate"),
    "password_reset": Row("get", ANYONE),
    # Single sign-on is off unless configured: its pages are 404 for everyone.
    "oidc_authentication_init": Row("get", set()),
    "oidc_authentication_callback": Row("get", set()),
    "password_reset_done": Row("get", ANYONE),
    "password_reset_confirm": Row("get", ANYONE, "reset_link"),
    "password_reset_complete": Row("get", ANYONE),
    "training:module_list": Row("get", LOGGED_IN),
    "training:module_detail": Row("get", LOGGED_IN, "module"),
    "training:procedure_detail": Row("get", LOGGED_IN, "procedure"),
    "training:procedure_read": Row("post", TRAINEES, "procedure"),
    "reporting:my_modules": Row("get", TRAINEES),
    "reporting:notifications_read": Row("post", TRAINEES),
    "reporting:drill": Row("post", TRAINEES),
    "reporting:authoring": Row("get", TRAINERS),
    "reporting:coverage": Row("get", TRAINERS),
    "reporting:item_analysis": Row("get", TRAINERS),
    "reporting:item_analysis_quiz": Row("get", TRAINERS, "quiz"),
    "reporting:item_analysis_call": Row("get", TRAINERS, "call"),
    "reporting:dashboard": Row("get", MANAGERS),
    "reporting:trainee": Row("get", {"manager", "superuser"}, "alice"),
    "reporting:trainee_review": Row("get", {"manager", "superuser"}, "alice_run"),
    "reporting:behavior_misses": Row("get", MANAGERS, "behavior"),
    "reporting:matrix_csv": Row("get", MANAGERS),
    "reporting:attempts_csv": Row("get", MANAGERS),
    "reporting:matrix_xlsx": Row("get", MANAGERS),
    "reporting:attempts_xlsx": Row("get", MANAGERS),
    "reporting:exports": Row("get", MANAGERS),
    "reporting:assignments": Row("get", MANAGERS),
    "reporting:export_download": Row("get", {"manager"}, "export"),
    "certification:certificate": Row("get", {"alice", "manager", "superuser"}, "certificate"),
    "certification:revoke": Row(
        "post", {"manager", "superuser"}, "certificate", {"reason": "Fraude comprovada"}
    ),
    "certification:verify": Row("get", ANYONE, "certificate"),
    "quizzes:quiz_list": Row("get", TRAINEES),
    "quizzes:checks": Row("get", TRAINERS),
    "quizzes:module_quiz": Row("get", TRAINEES, "module"),
    "quizzes:question_list": Row("get", TRAINERS, "procedure"),
    "quizzes:question_new": Row("get", TRAINERS, "procedure"),
    "quizzes:bank_import": Row("get", TRAINERS, "procedure"),
    "quizzes:bank_export": Row("get", TRAINERS, "procedure"),
    "quizzes:editor_check": Row("post", TRAINERS, "procedure", {"kind_chosen": "single"}),
    "quizzes:question_edit": Row("post", TRAINERS, "question"),
    "quizzes:question_history": Row("get", TRAINERS, "question"),
    "quizzes:question_revert": Row("post", TRAINERS, "question", {"history_id": "0"}),
    "quizzes:question_regrade": Row("get", TRAINERS, "question"),
    "quizzes:draft_detail": Row("get", TRAINERS, "draft"),
    "quizzes:draft_edit": Row("get", TRAINERS, "draft"),
    "quizzes:draft_publish": Row("post", {"superuser"}, "draft"),
    "quizzes:draft_discard": Row("post", TRAINERS, "draft"),
    "reporting:publications": Row("get", TRAINERS),
    "reporting:pack_upload": Row("get", TRAINERS),
    "scenarios:call_new": Row("get", TRAINERS),
    "scenarios:editor_check": Row("post", TRAINERS, "", {"source": "slug: x"}),
    "scenarios:call_edit": Row("post", TRAINERS, "call"),
    "scenarios:call_history": Row("get", TRAINERS, "call"),
    "scenarios:call_revert": Row("post", TRAINERS, "call", {"number": "1"}),
    "scenarios:call_regrade": Row("get", TRAINERS, "call"),
    "scenarios:preview_case": Row("post", TRAINERS, "call", {"case": "0"}),
    "scenarios:draft_detail": Row("get", TRAINERS, "call_draft"),
    "scenarios:draft_edit": Row("get", TRAINERS, "call_draft"),
    "scenarios:draft_publish": Row("post", {"superuser"}, "call_draft"),
    "scenarios:draft_discard": Row("post", TRAINERS, "call_draft"),
    "scenarios:draft_try_reply": Row(
        "post", TRAINERS, "call_draft", {"step": "abertura", "reply": "Olá"}
    ),
    "quizzes:attempt_detail": Row("get", {"alice"}, "attempt"),
    "quizzes:answer_save": Row("post", {"alice"}, "attempt"),
    "quizzes:attempt_submit": Row("post", {"alice"}, "attempt"),
    "quizzes:attempt_review": Row("get", {"alice"}, "attempt"),
    "quizzes:quiz_detail": Row("get", TRAINEES, "quiz"),
    "quizzes:attempt_start": Row("post", TRAINEES, "quiz"),
    "scenarios:list": Row("get", TRAINEES),
    "scenarios:module_list": Row("get", TRAINEES, "module"),
    "scenarios:checks": Row("get", TRAINERS),
    "scenarios:run": Row("get", {"alice"}, "run"),
    "scenarios:choose": Row("post", {"alice"}, "run", {"turn": "1", "option": "1"}),
    "scenarios:hang_up": Row("post", {"alice"}, "run"),
    "scenarios:reply": Row("post", {"alice"}, "chat_run", {"turn": "1", "reply": "Duas horas."}),
    "scenarios:review": Row("get", {"alice"}, "run"),
    "scenarios:detail": Row("get", LOGGED_IN, "call"),
    "scenarios:start": Row("post", TRAINEES, "call"),
    "scenarios:preview": Row("post", TRAINERS, "call"),
    "people:audit": Row("get", {"superuser"}),
    "people:provisioning": Row("get", {"superuser"}),
    "people:provisioning_preview": Row("get", {"superuser"}, "sheet"),
    "people:person_list": Row("get", {"superuser"}),
    "people:person_data": Row("get", {"superuser"}, "alice"),
    "people:person_export": Row("get", {"superuser"}, "alice"),
    "people:person_erase": Row("post", {"superuser"}, "alice", {"confirm": "alice"}),
    # LTI answers nobody while no platform is registered (LTI_CONFIG_FILE unset).
    "people:lti_login": Row("get", set()),
    "people:lti_launch": Row("post", set()),
    "people:lti_jwks": Row("get", set()),
    "login": Row("get", ANYONE),
    "logout": Row("post", LOGGED_IN),
    "password_change": Row("get", LOGGED_IN),
    "password_change_done": Row("get", LOGGED_IN),
    "set_language": Row("post", ANYONE, data={"language": "en"}),
    "healthz": Row("get", ANYONE),
}


def named_urls(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own test below
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_the_table_names_every_url():
    assert named_urls() - set(TABLE) == set()
    assert set(TABLE) - named_urls() == set()


@pytest.fixture
def world(trainee, other_trainee, trainer, manager, other_manager):
    """Alice with an open attempt, an open call and a certificate; everyone else."""
    quiz = build_quiz(count=3)
    call = make_call()
    ProcedureFactory(module=quiz.module)
    question = quiz.slots.exclude(question=None).first().question
    return {
        "people": {
            "anonymous": None,
            "alice": trainee,
            "bob": other_trainee,
            "trainer": trainer,
            "manager": manager,
            "other_manager": other_manager,
            "staff": UserFactory(username="staff", is_staff=True),
            "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
        },
        "args": {
            "module": [quiz.module.slug],
            "procedure": None,  # filled below: a procedure of the quiz's module
            "quiz": [quiz.slug],
            "call": [call.slug],
            "alice": [trainee.pk],
            "attempt": [quiz_services.attempt_start(quiz=quiz, user=trainee).pk],
            "run": [call_services.run_start(user=trainee, scenario=call).pk],
            "chat_run": [_chat_run(trainee, call)],
            "certificate": [CertificationFactory(trainee=trainee, module=quiz.module).code],
            "export": [_export_for(manager)],
            "question": [question.key],
            "behavior": ["TESTE.PRAZO"],
            "reset_link": ["MQ", "set-password"],
            "sheet": [_sheet_of(UserFactory(username="root"))],
            "alice_run": [trainee.pk, "quiz", _submitted_attempt(trainee)],
            "draft": [authoring.question_draft_open(question, author=trainer).pk],
            "call_draft": [call_authoring.call_draft_open(call, author=trainer).pk],
        },
        "procedure": quiz.module.procedures.first(),
    }


def _chat_run(trainee, call) -> int:
    """Alice's run of a chat call, waiting at its typed step."""
    chat = ScenarioFactory(module=call.module, slug="chat-teste")
    ScenarioVersionFactory(scenario=chat, definition=chat_definition())
    run = call_services.run_start(user=trainee, scenario=chat)
    Run.objects.filter(pk=run.pk).update(current_step="registrado")
    return run.pk


def _sheet_of(superuser) -> str:
    from people.models import SheetUpload

    data = b"nome;e-mail;matricula;equipe;papel\nAna;ana@example.com;A1;Norte;treinando\n"
    upload = SheetUpload.objects.create(
        uploaded_by=superuser, filename="p.csv", data=data, deactivate_missing=False
    )
    return str(upload.pk)


def _submitted_attempt(trainee) -> int:
    attempt = quiz_services.attempt_start(quiz=build_quiz(count=1), user=trainee)
    quiz_services.attempt_submit(attempt=attempt)
    return attempt.pk


def _export_for(manager) -> int:
    export = export_request(user=manager, kind="matrix", file_format="csv", team_id=None)
    return export_build(export_id=export.pk).pk


def url_of(name: str, row: Row, world) -> str:
    if row.args == "procedure":
        procedure = world["procedure"]
        args = (
            [procedure.module.slug, procedure.slug]
            if name.startswith("training:")
            else [procedure.slug]
        )
    else:
        args = world["args"].get(row.args) if row.args else None
    return reverse(name, args=args)


def got_in(response, role: str) -> bool:
    if response.status_code in {200, 204}:
        return True
    if response.status_code == 302:
        # Sent to the login page means refused; anywhere else means it worked.
        return (
            role == "anonymous"
            and "/accounts/login/" not in response["Location"]
            or (role != "anonymous")
        )
    return False


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_person_gets_in_exactly_where_the_table_says(name, world):
    row = TABLE[name]
    url = url_of(name, row, world)
    wrong = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        person = world["people"][role]
        if person is not None:
            client.force_login(person)
        with transaction.atomic():
            # Each person meets the world as it was: nothing one request does leaks to the next.
            response = getattr(client, row.method)(url, row.data or {})
            transaction.set_rollback(True)
        assert response.status_code != 500, (name, role)
        if got_in(response, role) != (role in row.allowed):
            wrong.append((role, response.status_code))
        elif role not in row.allowed and role != "anonymous":
            assert response.status_code in {403, 404, 405}, (name, role, response.status_code)
    assert not wrong, f"{name}: {wrong}"


def test_the_wrong_method_is_refused_politely(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["people"]["alice"])
    wrong = []
    for name, row in TABLE.items():
        if name in {
            "login",
            "password_change",
            "logout",
            "set_language",
            "password_reset",
            "password_reset_confirm",
        }:
            continue  # Django's own views accept both
        url = url_of(name, row, world)
        other = client.post if row.method == "get" else client.get
        response = other(url)
        if response.status_code not in {302, 403, 404, 405}:
            wrong.append((name, response.status_code))
    assert not wrong


ADMIN_MODELS = [
    "auth/user",
    "auth/group",
    "training/team",
    "training/module",
    "training/procedure",
    "training/behavior",
    "training/judgement",
    "training/procedureread",
    "training/auditevent",
    "quizzes/question",
    "quizzes/quiz",
    "quizzes/quizslot",
    "quizzes/attempt",
    "scenarios/scenario",
    "scenarios/scenarioversion",
    "scenarios/run",
    "scenarios/turn",
    "certification/certificationpolicy",
    "certification/certification",
    "reporting/moduleactivity",
    "reporting/behaviordailytally",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_the_admin_lets_in_only_staff_with_permission_and_never_fails(model, world):
    for role in ROLES:
        client = Client(raise_request_exception=False)
        person = world["people"][role]
        if person is not None:
            client.force_login(person)
        for suffix in ["", "add/"]:
            response = client.get(f"/admin/{model}/{suffix}")
            assert response.status_code != 500, (model, role, suffix)
            if role == "superuser" and suffix == "":
                assert response.status_code == 200, (model, response.status_code)
            elif role in {"anonymous", "alice", "bob", "manager", "other_manager"}:
                # Not staff: the admin sends them to its login page.
                assert response.status_code == 302, (model, role, response.status_code)
