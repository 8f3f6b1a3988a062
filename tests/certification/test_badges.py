"""Every certificate is an Open Badges 2.0 hosted assertion: the issuer, the module's badge
class and the assertion carry the fields the specification requires, the recipient's e-mail
is never in clear, a revoked certificate answers 410 with ``revoked``, and the image carries
the assertion's address baked in."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.badges import baked_url
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

REQUIRED = {
    "Issuer": {"@context", "type", "id", "name", "url"},
    "BadgeClass": {"@context", "type", "id", "name", "description", "image", "criteria", "issuer"},
    "Assertion": {"@context", "type", "id", "recipient", "badge", "verification", "issuedOn"},
}


def test_issuer_badge_class_and_assertion_hold_the_required_fields(client, trainee):
    trainee.email = "Alice@Example.com"
    trainee.save()
    certificate = CertificationFactory(trainee=trainee)
    assertion = client.get(reverse("certification:badge_assertion", args=[certificate.code])).json()
    assert REQUIRED["Assertion"] <= set(assertion)
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["id"].endswith(f"/badges/assertions/{certificate.code}.json")
    recipient = assertion["recipient"]
    assert recipient["hashed"] and recipient["identity"].startswith("sha256$")
    assert "alice" not in str(recipient).lower()

    badge = client.get(assertion["badge"]).json()
    assert REQUIRED["BadgeClass"] <= set(badge)
    assert badge["criteria"]["narrative"]
    issuer = client.get(badge["issuer"]).json()
    assert REQUIRED["Issuer"] <= set(issuer) and issuer["type"] == "Issuer"
    image = client.get(badge["image"])
    assert image["Content-Type"] == "image/png"


def test_the_badge_image_carries_its_assertion(client, trainee):
    certificate = CertificationFactory(trainee=trainee)
    png = client.get(reverse("certification:badge_baked", args=[certificate.code])).content
    assert png.startswith(b"\x89PNG")
    assert baked_url(png).endswith(f"/badges/assertions/{certificate.code}.json")


def test_a_revoked_certificate_answers_as_revoked(client, trainee, manager):
    certificate = CertificationFactory(
        trainee=trainee, revoked_at=timezone.now(), revoked_by=manager, revocation_reason="Fraude"
    )
    response = client.get(reverse("certification:badge_assertion", args=[certificate.code]))
    assert response.status_code == 410
    assert response.json()["revoked"] is True and response.json()["revocationReason"] == "Fraude"
    baked = client.get(reverse("certification:badge_baked", args=[certificate.code]))
    assert baked.status_code == 404


def test_unknown_codes_and_modules_are_404(client):
    assert client.get("/badges/assertions/nao0existe.json").status_code == 404
    assert client.get("/badges/modules/nao-existe.json").status_code == 404
