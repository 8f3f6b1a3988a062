"""The public verification page says who, what, when and whether it stands, and nothing more;
the printable certificate is for its holder and their managers only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CertificationFactory, ModuleFactory, UserFactory
from training.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification(trainee):
    trainee.first_name, trainee.last_name, trainee.email = "Alice", "Pereira", "alice@example.com"
    trainee.save()
    return CertificationFactory(
        trainee=trainee,
        module=ModuleFactory(title="Promessa de pagamento"),
        evidence=[{"kind": "quiz", "score": 87.5, "verdict": "met", "record_id": 4242}],
    )


def test_anyone_can_verify_a_certificate_without_logging_in(client, certification):
    response = client.get(reverse("certification:verify", args=[certification.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Pereira" in page
    assert "Promessa de pagamento" in page
    assert certification.awarded_at.strftime("%Y-%m-%d") in page
    assert certification.expires_at.strftime("%Y-%m-%d") in page
    assert 'data-field="status"' in page


def main_of(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_the_page_reveals_no_email_score_username_or_evidence(client, certification):
    main = main_of(client.get(reverse("certification:verify", args=[certification.code])))
    assert "Alice Pereira" in main
    assert "@" not in main
    assert "alice" not in main.replace("Alice Pereira", "")
    assert "87" not in main
    assert "4242" not in main
    assert "evidence" not in main.lower()
    assert certification.code not in main
    # Exactly five facts: holder, module, awarded, expires, status.
    assert main.count("<dt") == 5


def test_the_username_stands_in_only_when_there_is_no_name(client):
    nameless = UserFactory(username="agente42", first_name="", last_name="", roles=[Role.TRAINEE])
    certification = CertificationFactory(trainee=nameless)
    page = client.get(reverse("certification:verify", args=[certification.code])).content.decode()
    assert "agente42" in page


def test_an_unknown_code_is_404(client, db):
    assert client.get(reverse("certification:verify", args=["naoexiste"])).status_code == 404
    for garbage in ["nao-existe", "a%00b", "%3Cscript%3E", "x" * 65]:
        assert client.get(f"/verify/{garbage}/").status_code == 404


def test_a_revoked_certificate_says_so(client, certification, manager):
    certification.revoked_at = timezone.now()
    certification.revocation_reason = "Fraude confirmada pela auditoria"
    certification.save()
    page = client.get(reverse("certification:verify", args=[certification.code])).content.decode()
    assert "Revoked" in page or "Revogado" in page
    assert "Fraude" not in page


def test_an_expired_certificate_says_so(client, trainee):
    old = CertificationFactory(trainee=trainee, awarded_at=timezone.now() - timedelta(days=500))
    response = client.get(
        reverse("certification:verify", args=[old.code]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Expired" in response.content.decode() or "Expirado" in response.content.decode()


def test_the_holder_prints_a_certificate_with_a_qr_code_of_the_verification_address(
    trainee_client, certification
):
    response = trainee_client.get(reverse("certification:certificate", args=[certification.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="segno"' in page
    assert f"http://testserver/verify/{certification.code}/" in page


def test_the_holders_manager_may_open_the_certificate(client, manager, certification):
    client.force_login(manager)
    assert (
        client.get(reverse("certification:certificate", args=[certification.code])).status_code
        == 200
    )


@pytest.mark.parametrize("who", ["other_trainee", "other_manager"])
def test_nobody_else_may_open_the_certificate(client, request, who, certification):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("certification:certificate", args=[certification.code]))
    assert response.status_code == 404


def test_the_certificate_has_print_rules(client, db):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert "@media print" in css and ".certificate" in css
