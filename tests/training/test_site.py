from django.apps import apps
from django.contrib import admin
from django.db import OperationalError
from django.urls import reverse


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("training.views.connection", DownConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_every_model_of_the_project_is_in_the_admin():
    # A question's history is read through the question's admin (and the editor's page).
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"training", "quizzes", "scenarios"}
        and not m.__name__.startswith("Historical")
    ]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert not missing


def test_staff_can_open_every_admin_changelist(admin_client):
    for model in admin.site._registry:
        if model._meta.app_label in {"training", "quizzes", "scenarios"}:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client.get(url).status_code == 200, url


def test_the_language_switch_changes_the_interface(trainee_client):
    url = reverse("reporting:my_modules")
    assert 'lang="pt-br"' in trainee_client.get(url).content.decode()
    response = trainee_client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    html = trainee_client.get(url).content.decode()
    assert 'lang="en"' in html
    assert "My modules" in html


def test_portuguese_is_the_default_language(trainee_client):
    html = trainee_client.get(reverse("reporting:my_modules")).content.decode()
    assert "Meus módulos" in html


def test_static_assets_come_from_the_site_not_a_cdn(trainee_client):
    html = trainee_client.get(reverse("reporting:my_modules")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "htmx" in html
    assert "cdn" not in html.lower()
