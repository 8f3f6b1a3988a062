"""Password reset by e-mail: the link arrives and sets a new password once; an unknown address
looks the same and sends nothing; a flood of requests is turned away without sending."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from training.roles import Role

pytestmark = pytest.mark.django_db


def test_a_reset_link_arrives_and_sets_a_new_password_once(client):
    person = UserFactory(username="bia", email="bia@example.com", roles=[Role.TRAINEE])
    response = client.post(reverse("password_reset"), {"email": "BIA@example.com"})
    assert response.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["bia@example.com"] and "Trilha" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "outra-senha-forte-42", "new_password2": "outra-senha-forte-42"},
    )
    assert done.url == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password("outra-senha-forte-42")
    assert not client.get(link, follow=True).context["validlink"]  # used once


def test_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "ninguem@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_flood_of_requests_is_turned_away(client):
    UserFactory(username="bia", email="bia@example.com")
    statuses = [
        client.post(reverse("password_reset"), {"email": "bia@example.com"}).status_code
        for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "Esqueceu sua senha?" in page.content.decode()
