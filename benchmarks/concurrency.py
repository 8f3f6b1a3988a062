"""Benchmark of a shift start under load, through a real gunicorn on PostgreSQL (not a test):
200 trainees start a quiz within 10 seconds (each at a random moment), 200 more all at the
same instant (a stress figure), then 16, 32... submit at the same moment (a submit is the
POST and the result page it redirects to, as the browser loads them). Prints errors, median
and p95 latencies, each also as a ratio to a trivial authenticated page measured in the same
run under the same server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/concurrency.py

Uses (or makes) the 500-trainee database of benchmarks/pages.py (``trilha_bench_500``): its
quizzes and company. Goals (issue #14): 200 starts within 10 s with 0 errors and p95 <= 300 ms;
at least 16 concurrent submits at p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """One person's browser: cookies, and the CSRF token read from the pages."""

    def __init__(self, base: str, session_key: str):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        host = urllib.parse.urlparse(base).hostname
        jar.set_cookie(_cookie("sessionid", session_key, host))
        self.csrf = "a" * 32
        jar.set_cookie(_cookie("csrftoken", self.csrf, host))

    def get(self, path: str) -> tuple[int, str, float]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str, float]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True)
        request = urllib.request.Request(self.base + path, data=body.encode(), method="POST")
        request.add_header("Referer", self.base + path)
        return self._open(request)

    def _open(self, request) -> tuple[int, str, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode()
                return response.status, text, time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, "", time.perf_counter() - started


def _cookie(name, value, host):
    return http.cookiejar.Cookie(
        0,
        name,
        value,
        None,
        False,
        host,
        True,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )


def summary(label: str, timings: list[float], errors: int, trivial: float) -> str:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, int(0.95 * (len(ms) - 1)))] if ms else float("nan")
    median = statistics.median(ms) if ms else float("nan")
    ok = errors == 0 and p95 <= GOAL_MS
    return (
        f"{label:<34} errors {errors:>3}  median {median:>6.0f} ms ({median / trivial:>5.1f}x)  "
        f"p95 {p95:>6.0f} ms ({p95 / trivial:>5.1f}x)  {'ok' if ok else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starters", type=int, default=400)
    parser.add_argument("--spread", type=float, default=10.0)
    parser.add_argument("--submitters", type=int, nargs="+", default=[16, 32])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server")
    base_url, _, _ = url.rpartition("/")
    env = {
        **os.environ,
        "DATABASE_URL": f"{base_url}/trilha_bench_500",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        # The test settings: static files served from the apps (no collectstatic needed).
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Work after grading goes to the task queue, as in production, and a worker runs it.
        "TEST_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from quizzes.models import Attempt, Quiz

    call_command("migrate", verbosity=0)
    User = get_user_model()
    trainees = list(
        User.objects.filter(username__startswith="bench-agente-").order_by("pk")[: args.starters]
    )
    if len(trainees) < args.starters:
        raise SystemExit("seed first: benchmarks/pages.py --sizes 500")
    quiz = Quiz.objects.published().order_by("slug").first()
    Attempt.objects.filter(quiz=quiz, user__in=trainees).delete()
    keys = []
    for user in trainees:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    # The task worker runs at a lower priority, as deployed: rollups wait, requests do not.
    worker = subprocess.Popen(
        ["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        sessions = [Session(base, key) for key in keys]
        trivial = statistics.median(
            sessions[0].get("/accounts/password/done/")[2] * 1000 for _ in range(30)
        )
        print(
            f"trivial authenticated page: {trivial:.1f} ms; server: {args.workers} workers "
            f"x {args.threads} threads; quiz {quiz.slug}"
        )

        start_path = f"/quizzes/{quiz.slug}/start/"
        # A shift start: the trainees arrive over ``--spread`` seconds (the goal's 10 s),
        # each at a random moment; then, as a stress figure, the same number all at once.
        rng = random.Random(7)
        half = len(sessions) // 2
        arrivals = sorted(rng.uniform(0, args.spread) for _ in range(half))
        begin = time.perf_counter()

        def arrive(pair):
            session, at = pair
            time.sleep(max(0.0, begin + at - time.perf_counter()))
            return session.post(start_path, {})

        with ThreadPoolExecutor(max_workers=64) as pool:
            results = list(pool.map(arrive, zip(sessions[:half], arrivals, strict=True)))
        wall = time.perf_counter() - begin
        errors = sum(status not in (200, 302) for status, _, _ in results)
        print(
            summary(
                f"{half} start a quiz within {args.spread:.0f} s",
                [t for *_, t in results],
                errors,
                trivial,
            )
            + f"  all done in {wall:.1f} s"
        )
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=64) as pool:
            results = list(pool.map(lambda s: s.post(start_path, {}), sessions[half:]))
        wall = time.perf_counter() - started
        errors = sum(status not in (200, 302) for status, _, _ in results)
        print(
            summary(
                f"{len(sessions) - half} start a quiz at once",
                [t for *_, t in results],
                errors,
                trivial,
            )
            + f"  all done in {wall:.1f} s (stress, not a goal)"
        )

        attempts = {a.user_id: a for a in Attempt.objects.filter(quiz=quiz, user__in=trainees)}
        by_session = [(s, attempts[u.pk]) for s, u in zip(sessions, trainees, strict=True)]
        offset = 0
        for count in args.submitters:
            batch = by_session[offset : offset + count]
            offset += count

            def submit(pair):
                session, attempt = pair
                data = {"shown": [str(q["position"]) for q in attempt.paper["questions"]]}
                for q in attempt.paper["questions"]:
                    if q["kind"] in ("single", "multiple"):
                        data[f"q{q['position']}-answer"] = "0"
                    elif q["kind"] == "true_false":
                        data[f"q{q['position']}-answer"] = "true"
                return session.post(f"/quizzes/attempts/{attempt.pk}/submit/", data)

            with ThreadPoolExecutor(max_workers=count) as pool:
                results = list(pool.map(submit, batch))
            errors = sum(status not in (200, 302) for status, _, _ in results)
            print(summary(f"{count} submit at once", [t for *_, t in results], errors, trivial))
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
