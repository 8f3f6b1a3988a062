"""xAPI statements: one per behaviour judged in a graded result, written to the outbox when an
LRS is configured (never otherwise), sent in batches with the version header and basic auth,
retried with a growing wait when the LRS fails, never recorded twice."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quizzes import services as quiz_services
from reporting.models import Statement
from reporting.services import statements_deliver, statements_write
from reporting.xapi import FAILED, PASSED, statement_id
from tests.quizzes.conftest import build_quiz
from training.models import Judgement

pytestmark = pytest.mark.django_db


class FakeLRS:
    """An LRS on a local port that fails the first ``failures`` requests, then takes them."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.received: list[tuple[dict, list]] = []
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                lrs.received.append((self.headers, body))
                if lrs.failures:
                    lrs.failures -= 1
                    self.send_response(503)
                    self.end_headers()
                    self.wfile.write(b"busy")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps([s["id"] for s in body]).encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def lrs(settings):
    fake = FakeLRS(failures=1)
    settings.XAPI_ENDPOINT = fake.url
    settings.XAPI_USERNAME, settings.XAPI_PASSWORD = "trilha", "segredo"
    yield fake
    fake.close()


@pytest.fixture
def graded(trainee, django_capture_on_commit_callbacks):
    attempt = quiz_services.attempt_start(quiz=build_quiz(count=3), user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.attempt_submit(attempt=attempt)
    return attempt


def test_nothing_is_written_without_an_lrs(graded):
    assert statements_write(source="quiz", record=graded.pk) == 0
    assert not Statement.objects.exists()


def test_each_behaviour_judged_becomes_one_statement_and_is_sent_after_a_retry(
    graded, lrs, trainee
):
    judged = Judgement.objects.filter(source="quiz", record=graded.pk)
    assert statements_write(source="quiz", record=graded.pk) == judged.count() > 0
    statements_write(source="quiz", record=graded.pk)  # twice: nothing more
    assert Statement.objects.count() == judged.count()

    now = timezone.now()
    assert statements_deliver(now=now) == (0, judged.count())
    waiting = Statement.objects.first()
    assert waiting.tries == 1 and "HTTP 503" in waiting.last_error
    assert waiting.next_try_at == now + timedelta(minutes=2)
    # Not due yet: nothing is sent.
    assert statements_deliver(now=now + timedelta(minutes=1)) == (0, 0)
    assert statements_deliver(now=now + timedelta(minutes=3)) == (judged.count(), 0)
    assert not Statement.objects.filter(sent_at__isnull=True).exists()

    headers, body = lrs.received[-1]
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"].startswith("Basic ")
    row = judged.select_related("behavior").first()
    sent = next(s for s in body if s["id"] == statement_id("quiz", graded.pk, row.behavior.code))
    assert sent["actor"]["account"]["name"] == trainee.username
    assert sent["verb"]["id"] == (PASSED if row.verdict == "kept" else FAILED)
    assert sent["object"]["id"].endswith(f"/behaviours/{row.behavior.code}")
    assert sent["result"]["success"] is (row.verdict == "kept")
    assert sent["context"]["contextActivities"]["parent"][0]["id"].endswith(
        f"/quizzes/attempts/{graded.pk}"
    )


def test_grading_with_an_lrs_queues_the_statements(
    lrs, trainee, django_capture_on_commit_callbacks
):
    attempt = quiz_services.attempt_start(quiz=build_quiz(count=2), user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.attempt_submit(attempt=attempt)
    assert Statement.objects.count() == Judgement.objects.filter(record=attempt.pk).count()


def test_the_command_reports_what_it_could_not_send(graded, lrs):
    statements_write(source="quiz", record=graded.pk)
    with pytest.raises(CommandError, match="will be retried"):
        call_command("send_statements")
    Statement.objects.update(next_try_at=None)
    call_command("send_statements")
    assert not Statement.objects.filter(sent_at__isnull=True).exists()
