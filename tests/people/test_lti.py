"""LTI 1.3 against a fake platform started by the test (keys made here, no network): a launch
signs the person in and opens the call, a tampered or replayed launch is refused, and a graded
call sends its grade back through Assignment and Grade Services."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.urls import reverse

from people import lti
from people.models import LtiLink
from scenarios import services as call_services
from tests.scenarios.calls import ELIGIBLE_FACTS, EXPERT_PATH, make_call, place_of
from training.roles import Role

pytestmark = pytest.mark.django_db

ISSUER = "https://lms.example.test"
CLIENT_ID = "trilha-tool"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key, private: bool) -> bytes:
    if private:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


class FakePlatform:
    """The LMS side: its signing key, a token endpoint and line items that take scores."""

    def __init__(self):
        self.key = _key()
        self.requests: list[tuple[str, dict, object]] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length).decode()
                if self.path == "/token":
                    form = dict(urllib.parse.parse_qsl(body))
                    platform.requests.append(("token", dict(self.headers), form))
                    reply = {"access_token": "platform-token", "token_type": "Bearer"}
                    self.send_response(200)
                else:
                    platform.requests.append((self.path, dict(self.headers), json.loads(body)))
                    reply = {}
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(reply).encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "platform-key", "alg": "RS256", "use": "sig"}]}

    def id_token(self, *, nonce: str, custom: dict, sub: str = "aluno-42", **changes) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "given_name": "Aline",
            "family_name": "Prado",
            "email": "aline@example.test",
            "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deploy-1",
            "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": "http://testserver/lti/launch/",
            "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "link-7"},
            "https://purl.imsglobal.org/spec/lti/claim/roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
            ],
            "https://purl.imsglobal.org/spec/lti/claim/custom": custom,
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [SCORE_SCOPE],
                "lineitem": f"{self.url}/lineitems/9",
            },
        } | changes
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "platform-key"})

    def close(self):
        self.server.shutdown()


@pytest.fixture
def platform(tmp_path, settings):
    fake = FakePlatform()
    tool_key = _key()
    (tmp_path / "tool.key").write_bytes(_pem(tool_key, private=True))
    (tmp_path / "tool.pub").write_bytes(_pem(tool_key, private=False))
    config = {
        ISSUER: [
            {
                "default": True,
                "client_id": CLIENT_ID,
                "auth_login_url": f"{fake.url}/auth",
                "auth_token_url": f"{fake.url}/token",
                "key_set": fake.jwks(),
                "key_set_url": None,
                "deployment_ids": ["deploy-1"],
                "private_key_file": str(tmp_path / "tool.key"),
                "public_key_file": str(tmp_path / "tool.pub"),
            }
        ]
    }
    (tmp_path / "lti.json").write_text(json.dumps(config))
    settings.LTI_CONFIG_FILE = str(tmp_path / "lti.json")
    lti._conf.cache_clear()
    cache.clear()
    yield fake
    fake.close()
    lti._conf.cache_clear()


def login_step(client) -> dict:
    response = client.get(
        reverse("people:lti_login"),
        {
            "iss": ISSUER,
            "client_id": CLIENT_ID,
            "login_hint": "aluno-42",
            "target_link_uri": "http://testserver/lti/launch/",
            "lti_message_hint": "link-7",
        },
    )
    assert response.status_code == 302, response.content
    location = urllib.parse.urlparse(response["Location"])
    assert location.path == "/auth"
    return dict(urllib.parse.parse_qsl(location.query))


def test_a_launch_signs_the_person_in_and_opens_the_call(client, platform):
    call = make_call()
    params = login_step(client)
    token = platform.id_token(nonce=params["nonce"], custom={"call": call.slug})
    response = client.post(
        reverse("people:lti_launch"), {"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    link = LtiLink.objects.get()
    assert (
        link.user.first_name == "Aline"
        and link.user.groups.filter(name=Role.TRAINEE.value).exists()
    )
    assert link.lineitem.endswith("/lineitems/9") and link.scenario == call
    # The person is signed in: the call page opens.
    assert client.get(call.get_absolute_url()).status_code == 200


def test_a_tampered_or_replayed_launch_is_refused(client, platform):
    call = make_call()
    params = login_step(client)
    forged = FakePlatform()
    try:
        token = forged.id_token(nonce=params["nonce"], custom={"call": call.slug})
    finally:
        forged.close()
    launch = reverse("people:lti_launch")
    refused = client.post(launch, {"id_token": token, "state": params["state"]})
    assert refused.status_code == 400
    wrong_nonce = platform.id_token(nonce="not-the-nonce", custom={"call": call.slug})
    assert (
        client.post(launch, {"id_token": wrong_nonce, "state": params["state"]}).status_code == 400
    )
    assert not LtiLink.objects.exists()


def test_a_graded_call_sends_its_grade_back(client, platform, django_capture_on_commit_callbacks):
    call = make_call()
    params = login_step(client)
    token = platform.id_token(nonce=params["nonce"], custom={"call": call.slug})
    client.post(reverse("people:lti_launch"), {"id_token": token, "state": params["state"]})
    user = LtiLink.objects.get().user

    run = call_services.run_start(user=user, scenario=call)
    run.facts = ELIGIBLE_FACTS
    run.save(update_fields=["facts"])
    with django_capture_on_commit_callbacks(execute=True):
        for turn, (step, choice) in enumerate(EXPERT_PATH, start=1):
            call_services.run_choose(run=run, turn=turn, option=place_of(run, step, choice))
    run.refresh_from_db()
    assert run.passed

    kinds = [kind for kind, *_ in platform.requests]
    assert kinds == ["token", "/lineitems/9/scores"]
    _, headers, form = platform.requests[0]
    assert form["grant_type"] == "client_credentials" and form["scope"] == SCORE_SCOPE
    _, headers, score = platform.requests[1]
    assert headers["Authorization"] == "Bearer platform-token"
    assert score["userId"] == "aluno-42" and score["scoreMaximum"] == 100
    assert score["scoreGiven"] == run.score and score["gradingProgress"] == "FullyGraded"
    assert LtiLink.objects.get().score_sent_at is not None


def test_lti_is_off_without_a_configuration(client, settings):
    settings.LTI_CONFIG_FILE = ""
    assert client.get(reverse("people:lti_jwks")).status_code == 404
    assert client.post(reverse("people:lti_launch"), {}).status_code == 404


def test_the_tool_publishes_its_public_key(client, platform):
    keys = client.get(reverse("people:lti_jwks")).json()["keys"]
    assert keys and keys[0]["kty"] == "RSA"
