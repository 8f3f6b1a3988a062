"""The files that run the site past one machine stay in step with the code: every service the
README promises is in compose.yaml, and the image holds every app of the project."""

import tomllib
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_compose_runs_the_database_cache_replicas_proxy_worker_and_migrations():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert {"db", "redis", "app", "worker", "proxy", "migrate"} <= set(compose["services"])
    # The worker yields the cores to the app replicas when both are busy.
    assert compose["services"]["worker"]["command"] == "nice -n 10 python manage.py db_worker"
    app = compose["services"]["app"]
    assert "ports" not in app, "replicas are reached through the proxy only"


def test_the_image_holds_every_package_of_the_project():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert all(f"COPY {package} {package}" in dockerfile for package in packages)
