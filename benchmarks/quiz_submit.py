"""Benchmark: the submit latency of a 20-question attempt and pure grading throughput.

Not a test. Run it with the test settings; it builds its own throwaway SQLite
database unless DATABASE_URL points elsewhere (then it creates and drops a test
database there, as the test runner does):

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/quiz_submit.py [--runs 50]

It prints the median and p95 of ``attempt_submit`` (answers already saved,
grading, outcomes, status change) and of a full plain-form submit through the
view, plus how many papers per second the pure grading core scores, and writes
them to benchmarks/results/quiz_submit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

QUESTIONS = 20


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 2),
        "runs": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--grading-seconds", type=float, default=2.0)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run(args.runs, args.grading_seconds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    results["database"] = connection.vendor
    results["python"] = platform.python_version()
    out = ROOT / "benchmarks" / "results" / "quiz_submit.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


def run(runs: int, grading_seconds: float) -> dict[str, object]:
    from quizzes import grading, services
    from quizzes.models import Attempt
    from tests.factories import UserFactory
    from tests.quizzes.answers import posted
    from tests.quizzes.conftest import build_quiz
    from training.roles import Role

    quiz = build_quiz(count=QUESTIONS, max_attempts=None)
    user = UserFactory(username="bench", roles=[Role.TRAINEE])

    # Service only: the answers are saved first, then attempt_submit is timed.
    service = []
    for _ in range(runs):
        attempt = services.attempt_start(quiz=quiz, user=user)
        responses = _responses(attempt.paper)
        services.answer_save(attempt=attempt, responses=responses)
        started = time.perf_counter()
        services.attempt_submit(attempt=attempt)
        service.append(time.perf_counter() - started)

    # The whole request: a plain form posting every answer with the submit button.
    client = Client()
    client.force_login(user)
    view = []
    for _ in range(runs):
        attempt = services.attempt_start(quiz=quiz, user=user)
        data = posted(attempt.paper)
        url = reverse("quizzes:attempt_submit", args=[attempt.pk])
        started = time.perf_counter()
        response = client.post(url, data)
        view.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    assert not Attempt.objects.in_progress().exists()

    # Pure grading: one frozen 20-question paper scored over and over.
    paper = Attempt.objects.filter(user=user).first().paper
    items = grading.items_from_paper(paper)
    responses = _responses(paper)
    papers = 0
    started = time.perf_counter()
    while time.perf_counter() - started < grading_seconds:
        grading.grade_paper(items, responses, pass_mark=70)
        papers += 1
    elapsed = time.perf_counter() - started

    return {
        "questions_per_attempt": QUESTIONS,
        "attempt_submit_service": summary(service),
        "submit_request_with_answers": summary(view),
        "grading_papers_per_second": round(papers / elapsed),
        "grading_items_per_second": round(papers * QUESTIONS / elapsed),
    }


def _responses(paper: dict) -> dict[int, object]:
    """Right answers for every served question, in the normalised form the sheet saves."""
    responses: dict[int, object] = {}
    for q in paper["questions"]:
        kind = q["kind"]
        if kind == "single":
            responses[q["position"]] = next(i for i, o in enumerate(q["options"]) if o["correct"])
        elif kind == "multiple":
            responses[q["position"]] = [i for i, o in enumerate(q["options"]) if o["correct"]]
        elif kind == "true_false":
            responses[q["position"]] = q["answer"]
        elif kind == "ordering":
            responses[q["position"]] = list(q["correct_order"])
        elif kind == "matching":
            responses[q["position"]] = {str(i): r for i, r in enumerate(q["pairs"])}
        elif kind == "numeric":
            responses[q["position"]] = q["value"]
    return responses


if __name__ == "__main__":
    main()
