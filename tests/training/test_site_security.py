"""The site's defences: a login lockout with a pt-BR message, a Content-Security-Policy no page
needs to loosen (no inline script anywhere), Permissions-Policy, request size limits, and
branded error pages that never show a traceback."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
APP_TEMPLATES = [Path(settings.BASE_DIR) / app / "templates" for app in ("scenarios", "quizzes")]


def login(client: Client, password: str):
    return client.post(reverse("login"), {"username": "alice", "password": password})


def test_five_wrong_passwords_lock_the_username_on_that_address_with_a_pt_br_page(client):
    UserFactory(username="alice", password="senha-certa-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "errada").status_code == 200

    locked = login(client, "errada")

    assert locked.status_code == 429
    assert "Acesso bloqueado por enquanto" in locked.text
    assert "15 minutos" in locked.text
    # Locked means locked: the right password is refused too until the cool-off ends.
    assert login(client, "senha-certa-123").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address_so_colleagues_on_one_address_still_log_in(client):
    UserFactory(username="alice", password="senha-certa-123")
    UserFactory(username="bruno", password="outra-senha-456")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "errada")

    colleague = Client().post(
        reverse("login"), {"username": "bruno", "password": "outra-senha-456"}
    )

    assert colleague.status_code == 302


def test_a_forged_forwarded_address_does_not_dodge_the_lockout(client):
    UserFactory(username="alice", password="senha-certa-123")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "alice", "password": "errada"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    assert login(client, "senha-certa-123").status_code == 429


def test_a_right_password_before_the_limit_resets_the_count(client):
    UserFactory(username="alice", password="senha-certa-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "errada")
    assert login(client, "senha-certa-123").status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "errada").status_code == 200


def test_every_page_carries_a_policy_without_inline_script(trainee_client):
    response = trainee_client.get(reverse("training:home"))
    policy = response.headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def template_files():
    for folder in [TEMPLATES, *APP_TEMPLATES]:
        yield from folder.rglob("*.html")


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_no_template_carries_an_inline_script_or_handler():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in template_files()
        if INLINE_HANDLER.search(path.read_text()) or INLINE_SCRIPT.search(path.read_text())
    ]

    assert not offenders


def test_an_oversized_post_is_refused_with_the_branded_page(trainee_client):
    response = trainee_client.post(
        reverse("set_language"), {"language": "pt-br", "filler": "x" * (2 * 1024 * 1024)}
    )

    assert response.status_code == 400
    assert "Pedido não compreendido" in response.text
    assert "Traceback" not in response.text


def test_too_many_fields_are_refused(trainee_client):
    data = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}

    response = trainee_client.post(reverse("set_language"), data)

    assert response.status_code == 400


def test_a_missing_page_is_branded_in_pt_br(trainee_client):
    response = trainee_client.get("/nada-aqui/\x00")

    assert response.status_code == 404
    assert "Página não encontrada" in response.text
    assert 'href="/"' in response.text or reverse("training:home") in response.text


def test_a_forbidden_page_is_branded_in_pt_br(trainee_client):
    response = trainee_client.get(reverse("reporting:dashboard"))

    assert response.status_code == 403
    assert "Sem permissão" in response.text


def test_an_expired_form_explains_itself():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "alice", "password": "x"})

    assert response.status_code == 403
    assert "O formulário expirou" in response.text


def test_a_server_error_shows_the_branded_page_and_no_traceback(client, settings):
    settings.DEBUG = False
    from django.views.defaults import server_error

    request = client.get("/").wsgi_request
    response = server_error(request)

    assert response.status_code == 500
    assert "Algo deu errado" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_huge_username_at_login_is_refused_cleanly(client, db):
    response = client.post(reverse("login"), {"username": "9" * 5000, "password": "0"})
    assert response.status_code == 200  # the form again, with its error; nothing overflows
