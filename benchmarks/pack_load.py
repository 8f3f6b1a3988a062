"""Benchmark: how long validating and loading the shipped content pack takes.

Not a test. It uses a throwaway SQLite database unless DATABASE_URL is set:

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/pack_load.py [--runs 5]

Prints the median of a validation alone, a first load into an empty database and a
second load that changes nothing, and writes them to benchmarks/results/pack_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from training.pack.loader import load_pack, validate_pack  # noqa: E402


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        pack = settings.CONTENT_DIR
        validate = [timed(lambda: validate_pack(pack)) for _ in range(runs)]
        first = timed(lambda: load_pack(pack))
        again = [timed(lambda: load_pack(pack)) for _ in range(runs)]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    figures = {
        "database": connection.vendor,
        "validate_ms_median": round(statistics.median(validate), 1),
        "first_load_ms": round(first, 1),
        "unchanged_load_ms_median": round(statistics.median(again), 1),
    }
    for name, value in figures.items():
        print(f"{name:>26}: {value}")
    out = ROOT / "benchmarks" / "results" / "pack_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
