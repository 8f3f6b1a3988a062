"""Single sign-on against a fake OpenID Connect provider started by the test (on localhost, no
network): the first login creates the person with the role and team their claims map to, a
later login updates them, a bad token is refused, and with SSO off its pages are 404."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from training.models import Team

pytestmark = pytest.mark.django_db

SECRET = "segredo-do-cliente-de-teste-com-32-bytes"


class Provider:
    """A tiny OpenID Connect provider: the token and user-info endpoints."""

    def __init__(self):
        self.claims = {}
        self.nonce = ""
        self.bad_signature = False
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # the token endpoint
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                now = int(time.time())
                token = jwt.encode(
                    {
                        "iss": "http://fake-idp",
                        "aud": "trilha",
                        "sub": provider.claims["preferred_username"],
                        "iat": now,
                        "exp": now + 300,
                        "nonce": provider.nonce,
                    },
                    "outro-segredo-qualquer-com-32-bytes!" if provider.bad_signature else SECRET,
                    algorithm="HS256",
                )
                self._json({"id_token": token, "access_token": "acesso", "token_type": "Bearer"})

            def do_GET(self):  # the user-info endpoint
                self._json(provider.claims)

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def provider(settings):
    fake = Provider()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "trilha"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{fake.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{fake.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{fake.url}/userinfo"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "people.sso.TrilhaOIDCBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    yield fake
    fake.server.shutdown()


def sign_in(client, provider, claims):
    provider.claims = claims
    start = client.get(reverse("oidc_authentication_init"))
    query = parse_qs(urlparse(start.url).query)
    provider.nonce = query["nonce"][0]
    return client.get(
        reverse("oidc_authentication_callback"), {"code": "codigo", "state": query["state"][0]}
    )


CLAIMS = {
    "preferred_username": "bia.souza",
    "email": "bia@example.com",
    "given_name": "Bia",
    "family_name": "Souza",
    "groups": ["trilha-treinandos", "outra-coisa"],
    "team": "Equipe Sul",
}


def test_the_first_sso_login_creates_the_person_in_their_role_and_team(client, provider):
    response = sign_in(client, provider, CLAIMS)
    assert response.status_code == 302 and "/accounts/login/" not in response.url
    bia = get_user_model().objects.get(username="bia.souza")
    assert bia.get_full_name() == "Bia Souza" and not bia.has_usable_password()
    assert bia.has_perm("training.take_training") and not bia.has_perm("training.view_dashboard")
    assert list(Team.objects.get(name="Equipe Sul").members.all()) == [bia]
    assert client.get(reverse("reporting:my_modules")).status_code == 200


def test_a_later_login_follows_the_claims(client, provider):
    sign_in(client, provider, CLAIMS)
    client.logout()
    sign_in(client, provider, {**CLAIMS, "groups": ["trilha-gestores"], "team": "Equipe Sul"})
    bia = get_user_model().objects.get(username="bia.souza")
    assert bia.has_perm("training.view_dashboard") and not bia.has_perm("training.take_training")
    assert bia in Team.objects.get(name="Equipe Sul").managers.all()
    assert get_user_model().objects.filter(username="bia.souza").count() == 1


def test_a_token_with_a_bad_signature_logs_nobody_in(client, provider):
    provider.bad_signature = True
    response = sign_in(client, provider, CLAIMS)
    assert response.status_code == 400 or "/accounts/login/" in response.url
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username="bia.souza").exists()


def test_with_sso_off_its_pages_are_404(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
