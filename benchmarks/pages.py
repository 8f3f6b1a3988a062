"""Benchmark of every manager and trainer page (and the trainee's home) at company size, as
ratios to a trivial authenticated page measured in the same run (not a timed test).

The machine is shared and noisy, so absolute milliseconds say little; the ratio of a page to
the trivial one (``password_change_done``: a logged-in user and a template) says how much work
the page adds, and the growth of that ratio from 500 to 20,000 trainees says whether it scales.

Each size gets a database of its own (SQLite in a temporary folder, or a database on the
PostgreSQL server of ``DATABASE_URL``), with the shipped curriculum and a company seeded by the
real engines (``seed_demo_data``). Seeded databases are kept and reused; ``--fresh`` reseeds.

    .venv/bin/python benchmarks/pages.py --sizes 500 5000 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/pages.py

Prints, per size, each page's queries, median and ratio, then each page's growth factor between
the smallest and the largest size, and writes ``benchmarks/results/pages-<vendor>.json``.
Goals (issue #14): every page at most 15x the trivial one and 30 queries, growth at most 1.5x.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
GOAL_RATIO, GOAL_QUERIES, GOAL_GROWTH = 15, 30, 1.5
# History per trainee: a few months of training, papers of the shipped quizzes (10 to 20
# questions) and calls of real length.
ATTEMPTS, RUNS = 4, 3


def database_url(size: int, fresh: bool) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _ = url.rpartition("/")
        name = f"trilha_bench_{size}"
        with psycopg.connect(url, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists and fresh:
                connection.execute(f'DROP DATABASE "{name}"')
            if not exists or fresh:
                connection.execute(f'CREATE DATABASE "{name}"')
        return f"{base}/{name}"
    folder = Path(tempfile.gettempdir()) / "trilha-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"pages-{size}.sqlite3"
    if fresh and path.exists():
        path.unlink()
    return f"sqlite:///{path}"


def measure_size(size: int, url: str, repeat: int) -> dict:
    """Run this script again for one size, in a process of its own (one database each)."""
    env = {**os.environ, "DATABASE_URL": url, "BENCH_SIZE": str(size), "BENCH_REPEAT": str(repeat)}
    done = subprocess.run(
        [sys.executable, __file__, "--measure"], env=env, capture_output=True, text=True
    )
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"size {size} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure() -> dict:
    """In the child process: seed if needed, then time every page."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from quizzes.models import Attempt, Quiz
    from scenarios.models import Scenario
    from training.models import Team
    from training.roles import Role

    size, repeat = int(os.environ["BENCH_SIZE"]), int(os.environ["BENCH_REPEAT"])
    seeded = 0.0
    call_command("migrate", verbosity=0)
    if not Attempt.objects.exists():
        started = time.perf_counter()
        call_command("load_curriculum", stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command(
            "seed_demo_data",
            trainees=size,
            teams=max(1, size // 100),
            attempts_per_trainee=ATTEMPTS,
            runs_per_trainee=RUNS,
            prefix="bench",
            stdout=sys.stderr,
        )
        seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    User = get_user_model()
    team = Team.objects.annotate(n=Count("members")).order_by("-n").first()
    manager = team.managers.first()
    head, _ = User.objects.get_or_create(username="bench-head")
    head.user_permissions.add(*_permissions("view_dashboard", "view_all_teams"))
    head.groups.add(*_groups(Role.MANAGER))
    trainer, _ = User.objects.get_or_create(username="bench-trainer", defaults={"is_staff": True})
    trainer.groups.add(*_groups(Role.TRAINER))
    trainee = team.members.order_by("pk").first()
    quiz = Quiz.objects.published().order_by("slug").first()
    call = Scenario.objects.filter(is_active=True).order_by("slug").first()

    pages = {
        "trivial (password changed)": (trainee, reverse("password_change_done")),
        "trainee: my modules": (trainee, reverse("reporting:my_modules")),
        "manager: team dashboard": (manager, reverse("reporting:dashboard")),
        "manager: trainee drill-down": (manager, reverse("reporting:trainee", args=[trainee.pk])),
        "manager: team matrix CSV": (manager, reverse("reporting:matrix_csv")),
        "head: organisation dashboard": (head, reverse("reporting:dashboard")),
        "trainer: authoring": (trainer, reverse("reporting:authoring")),
        "trainer: coverage": (trainer, reverse("reporting:coverage")),
        "trainer: item analysis": (trainer, reverse("reporting:item_analysis")),
        "trainer: item analysis of a quiz": (
            trainer,
            reverse("reporting:item_analysis_quiz", args=[quiz.slug]),
        ),
        "trainer: item analysis of a call": (
            trainer,
            reverse("reporting:item_analysis_call", args=[call.slug]),
        ),
    }
    figures = {}
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        _read(client.get(url))  # warm caches (templates, translations, the database's own)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            _read(client.get(url))
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            _read(client.get(url))
        figures[name] = {"median_ms": statistics.median(timings), "queries": len(queries)}
    trivial = figures["trivial (password changed)"]["median_ms"]
    for entry in figures.values():
        entry["ratio"] = entry["median_ms"] / trivial
    return {"size": size, "vendor": connection.vendor, "seeded_s": seeded, "pages": figures}


def _read(response) -> None:
    assert response.status_code == 200, response.status_code
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def _permissions(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="training", codename__in=codenames)


def _groups(role):
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=role.value)


def report(results: list[dict]) -> None:
    for result in results:
        seeded = f", seeded in {result['seeded_s']:.0f}s" if result["seeded_s"] else ""
        print(f"\n{result['size']} trainees on {result['vendor']}{seeded}")
        print(f"  {'page':<36} {'queries':>7} {'ratio':>7}  goal")
        for name, entry in result["pages"].items():
            ok = entry["ratio"] <= GOAL_RATIO and entry["queries"] <= GOAL_QUERIES
            print(
                f"  {name:<36} {entry['queries']:>7} {entry['ratio']:>6.1f}x  "
                f"{'ok' if ok else 'MISSED'}"
            )
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"\ngrowth of each ratio from {small['size']} to {large['size']} trainees")
        for name in small["pages"]:
            growth = large["pages"][name]["ratio"] / small["pages"][name]["ratio"]
            queries = (small["pages"][name]["queries"], large["pages"][name]["queries"])
            ok = growth <= GOAL_GROWTH and queries[0] == queries[1]
            print(
                f"  {name:<36} {growth:>5.2f}x  queries {queries[0]} -> {queries[1]}  "
                f"{'ok' if ok else 'MISSED'}"
            )


def main() -> None:
    if "--measure" in sys.argv:
        print(json.dumps(measure()))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="reseed every size")
    args = parser.parse_args()
    results = [
        measure_size(size, database_url(size, args.fresh), args.repeat) for size in args.sizes
    ]
    report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"pages-{results[0]['vendor']}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
