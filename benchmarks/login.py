"""Benchmark of logging in: how many logins per second one core does with each password
hasher, as a ratio to a trivial authenticated page, and how many workers a shift start needs
(200 people logging in within 10 seconds). Not a test.

    .venv/bin/python benchmarks/login.py [--logins 40]

Runs in a throwaway SQLite database, through the whole stack (session, CSRF, lockout check,
password check), one process: the figure is per core.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIFT_PEOPLE, SHIFT_SECONDS = 200, 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=40)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="trilha-login-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/login.sqlite3"
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    User = get_user_model()
    trivial = _median(lambda: _trivial(Client, User, reverse), 30)
    print(f"trivial authenticated page: {trivial * 1000:.1f} ms (the unit of every ratio)")
    print(f"{'hasher':<24} {'per login':>10} {'ratio':>7} {'logins/s/core':>14} {'workers':>8}")
    for hasher in settings.PASSWORD_HASHERS:
        with override_settings(PASSWORD_HASHERS=[hasher], SECURE_SSL_REDIRECT=False):
            name = hasher.rsplit(".", 1)[-1]
            User.objects.all().delete()
            password = make_password("senha-de-teste-123")
            users = User.objects.bulk_create(
                [User(username=f"agente{n}", password=password) for n in range(args.logins)]
            )
            timings = []
            for user in users:
                client = Client()
                started = time.perf_counter()
                response = client.post(
                    reverse("login"), {"username": user.username, "password": "senha-de-teste-123"}
                )
                timings.append(time.perf_counter() - started)
                assert response.status_code == 302, response.status_code
            per_login = statistics.median(timings)
            rate = 1 / per_login
            workers = math.ceil(SHIFT_PEOPLE / SHIFT_SECONDS / rate)
            print(
                f"{name:<24} {per_login * 1000:>8.0f}ms {per_login / trivial:>6.0f}x "
                f"{rate:>14.1f} {workers:>8}"
            )
    print(
        f"workers: cores (one gunicorn worker each) for {SHIFT_PEOPLE} people to log in within "
        f"{SHIFT_SECONDS} s"
    )


def _trivial(Client, User, reverse):
    user, _ = User.objects.get_or_create(username="trivial")
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    client.get(reverse("password_change_done"))
    return time.perf_counter() - started


def _median(run, times: int) -> float:
    run()
    return statistics.median(run() for _ in range(times))


if __name__ == "__main__":
    main()
