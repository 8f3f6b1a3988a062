"""Benchmark of simulated calls: the latency of a choice posted through the whole stack (session,
access check, locked run, turn insert) and of the last choice that grades the call, and the
throughput of the pure grading core.

Run from the repository root::

    .venv/bin/python benchmarks/call_choice.py            # throwaway SQLite file
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/call_choice.py   # throwaway test DB

Prints the figures and writes them to benchmarks/results/call_choice.json.
"""

from __future__ import annotations

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
_TMP = tempfile.TemporaryDirectory(prefix="call-bench-")
USE_POSTGRES = bool(os.environ.get("DATABASE_URL"))
if not USE_POSTGRES:
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))
LOOPS_PER_RUN = int(os.environ.get("BENCH_LOOPS", "10"))  # extra turns, so transcripts grow
GRADING_SECONDS = float(os.environ.get("BENCH_GRADING_SECONDS", "2"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "count": len(values_ms),
        "median_ms": round(statistics.median(values_ms), 2),
        "p95_ms": round(percentile(values_ms, 0.95), 2),
        "max_ms": round(max(values_ms), 2),
    }


def bench_choices() -> dict[str, object]:
    from scenarios import services
    from scenarios.models import Run
    from tests.factories import UserFactory
    from tests.scenarios.calls import ELIGIBLE_FACTS, EXPERT_PATH, make_call
    from training.roles import Role

    call = make_call()
    user = UserFactory(username="bench-trainee", roles=[Role.TRAINEE])
    client = Client()
    client.force_login(user)

    def post(run, step, choice, turn):
        started = time.perf_counter()
        response = client.post(
            reverse("scenarios:choose", args=[run.pk]),
            {"step": step, "choice": choice, "turn": turn},
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, response.status_code
        return elapsed

    choice_ms, grading_ms = [], []
    for _ in range(RUNS):
        run = services.run_start(user=user, scenario=call)
        Run.objects.filter(pk=run.pk).update(facts=ELIGIBLE_FACTS)
        turn = 0
        for step, choice in EXPERT_PATH[:3]:
            turn += 1
            choice_ms.append(post(run, step, choice, turn))
        for _ in range(LOOPS_PER_RUN):
            turn += 1
            choice_ms.append(post(run, "registrado", "repetir", turn))
        turn += 1
        grading_ms.append(post(run, "registrado", "informar", turn))
    return {"choice": summary(choice_ms), "last_choice_with_grading": summary(grading_ms)}


def bench_grading() -> dict[str, object]:
    from scenarios.graph import Scenario
    from tests.scenarios.calls import BROKEN_FACTS, call_definition

    # The biggest shipped rubric, graded on a long transcript: a realistic upper bound.
    story = Scenario.from_definition(call_definition())
    shipped = ROOT / "content" / "scenarios" / "promessa-religue-sinal.yaml"
    if shipped.exists():
        import yaml

        from scenarios.pack import ScenarioFile

        data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
        story = Scenario.from_definition(ScenarioFile.model_validate(data).definition())
    from scenarios.grading import TurnRecord, grade

    codes = [code for step in story.steps for c in step.choices for code in c.behaviors]
    turns = [TurnRecord(index=i + 1, behaviors=(code,)) for i, code in enumerate(codes[:12])]
    facts = {**BROKEN_FACTS, "contract_status": "total", "days_open": 6}
    facts.update({"broken_promise": False, "already_paid": False})
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < GRADING_SECONDS:
        for _ in range(200):
            grade(turns, facts, story.rubric)
        done += 200
    elapsed = time.perf_counter() - started
    return {
        "grades_per_second": round(done / elapsed),
        "rubric_items": len(story.rubric.items),
        "transcript_turns": len(turns),
    }


def main() -> None:
    setup_test_environment()
    test_db = None
    if USE_POSTGRES:
        # A throwaway database next to the one DATABASE_URL names, dropped at the end.
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        choices = bench_choices()
        grading = bench_grading()
    finally:
        if test_db is not None:
            connection.creation.destroy_test_db(test_db, verbosity=0)
    result = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "runs": RUNS,
        "turns_per_run": 3 + LOOPS_PER_RUN + 1,
        **choices,
        "pure_grading": grading,
    }
    out = ROOT / "benchmarks" / "results" / "call_choice.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    c, g, p = result["choice"], result["last_choice_with_grading"], grading
    print(f"database: {result['database']}, {RUNS} runs of {result['turns_per_run']} turns")
    print(f"choice latency: median {c['median_ms']} ms, p95 {c['p95_ms']} ms ({c['count']} posts)")
    print(f"last choice with grading: median {g['median_ms']} ms, p95 {g['p95_ms']} ms")
    print(
        f"pure grading: {p['grades_per_second']:,} grades/s "
        f"({p['rubric_items']} rubric items, {p['transcript_turns']} turns)"
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
