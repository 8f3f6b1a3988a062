"""Benchmark of the manager's dashboard at contact-centre size (not a timed test).

Builds a throwaway database (SQLite in a temporary folder by default; a separate database on the
PostgreSQL server of ``DATABASE_URL`` when set), loads the content pack, seeds 5,000 trainees in
50 teams with at least 100,000 quiz attempts and 50,000 calls, then renders the dashboard of a
100-trainee team's manager and the organisation-wide (staff) view many times each. Prints the
median render time and the query count of each and writes ``benchmarks/results/dashboard.json``.

    .venv/bin/python benchmarks/dashboard.py
    DATABASE_URL=postgres://user@host:5432/db .venv/bin/python benchmarks/dashboard.py
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
RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
TARGET_MS, TARGET_QUERIES = 300, 20


def configure_database(keep: bool) -> tuple[str, str]:
    """Point DATABASE_URL at a database of the benchmark's own; return (vendor, url)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _name = url.rpartition("/")
        name = "trilha_bench_dashboard"
        with psycopg.connect(url, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists and not keep:
                connection.execute(f'DROP DATABASE "{name}"')
            if not exists or not keep:
                connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        return "postgresql", os.environ["DATABASE_URL"]
    folder = Path(tempfile.gettempdir()) / "trilha-bench"
    folder.mkdir(exist_ok=True)
    path = folder / "dashboard.sqlite3"
    if path.exists() and not keep:
        path.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "sqlite", os.environ["DATABASE_URL"]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def seed(trainees: int, teams: int, attempts_each: int, runs_each: int) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_curriculum", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command(
        "seed_demo_data",
        trainees=trainees,
        teams=teams,
        attempts_per_trainee=attempts_each,
        runs_per_trainee=runs_each,
        prefix="bench",
        fill_missing_content=True,
    )
    return time.perf_counter() - started


def measure(client, url: str, repeat: int) -> dict[str, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, translations, the database's own)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(sorted(timings)[int(0.9 * (len(timings) - 1))], 1),
        "queries": len(queries),
        "runs": repeat,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--attempts-per-trainee", type=int, default=20)
    parser.add_argument("--runs-per-trainee", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument(
        "--keep", action="store_true", help="Reuse the database of the last run (no reseeding)."
    )
    args = parser.parse_args()

    vendor, _url = configure_database(args.keep)
    setup_django()

    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from certification.models import Certification
    from certification.services import certification_policies_ensure
    from quizzes.models import Attempt
    from scenarios.models import Run
    from training.models import Team
    from training.roles import Role

    seconds = 0.0
    if not (args.keep and Attempt.objects.exists()):
        print(f"Seeding {args.trainees} trainees on {vendor}...", file=sys.stderr)
        seconds = seed(args.trainees, args.teams, args.attempts_per_trainee, args.runs_per_trainee)
    certification_policies_ensure()
    # Measure with the planner statistics a production database keeps (autovacuum, ANALYZE).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    User = get_user_model()
    team = (
        Team.objects.annotate(size=Count("members")).filter(size__gte=100).order_by("name").first()
        or Team.objects.annotate(size=Count("members")).order_by("-size").first()
    )
    manager = team.managers.first()
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name=Role.MANAGER.value))

    data = {
        "trainees": User.objects.filter(username__startswith="bench-agente-").count(),
        "teams": Team.objects.count(),
        "attempts": Attempt.objects.count(),
        "runs": Run.objects.count(),
        "certifications": Certification.objects.count(),
        "team_size": team.members.count(),
    }
    print(json.dumps(data), file=sys.stderr)

    url = reverse("reporting:dashboard")
    results = {}
    for label, user in [("team_dashboard", manager), ("organisation_dashboard", staff)]:
        client = Client()
        client.force_login(user)
        results[label] = measure(client, url, args.repeat)

    report = {
        "database": vendor,
        "python": platform.python_version(),
        "seed_seconds": round(seconds, 1),
        "data": data,
        "target": {"median_ms": TARGET_MS, "queries": TARGET_QUERIES},
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(
        f"\nDashboard on {vendor}: {data['trainees']} trainees, {data['attempts']} attempts, "
        f"{data['runs']} calls, {data['certifications']} certificates"
    )
    ok = True
    for label, result in results.items():
        within = result["median_ms"] <= TARGET_MS and result["queries"] <= TARGET_QUERIES
        ok &= within
        print(
            f"  {label:<24} median {result['median_ms']:>7.1f} ms  p90 {result['p90_ms']:>7.1f} ms"
            f"  {result['queries']:>2} queries  {'ok' if within else 'OVER TARGET'}"
        )
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
