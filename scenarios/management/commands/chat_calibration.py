"""`manage.py chat_calibration [--dir DIR] [--pack [PATH]]`: grade the held-back calibration
replies of every typed step and print the agreement per step; fails when a step is under the
goal (95 %), has fewer than 10 correct and 10 incorrect replies, or has no set at all."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scenarios.calibration import AGREEMENT_GOAL, calibrate
from scenarios.graph import Scenario

DEFAULT_DIR = Path(settings.BASE_DIR) / "tests" / "calibration"


class Command(BaseCommand):
    help = (
        "Grade the calibration replies of every typed (chat) step and report the grader's "
        "agreement with them per step."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="calibration files")
        parser.add_argument(
            "--pack",
            type=Path,
            default=Path(settings.CONTENT_DIR),
            help="the content pack whose calls are graded (default: settings.CONTENT_DIR)",
        )
        parser.add_argument("--verbose-misses", action="store_true", help="print every miss")

    def handle(self, *args, dir: Path, pack: Path, verbose_misses: bool, **options):
        calls = {}
        for path in sorted((pack / "scenarios").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            calls[data["slug"]] = Scenario.from_definition(data)
        typed = {slug for slug, call in calls.items() if any(s.typed for s in call.steps)}
        problems, rows, seen = [], [], set()
        for path in sorted(dir.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            slug = str(data.get("scenario"))
            if slug not in calls:
                problems.append(f"{path.name}: unknown call {slug!r}")
                continue
            seen.add(slug)
            results, found = calibrate(slug, calls[slug], data)
            problems += found
            rows += results
        problems += [
            f"{slug}: a call with typed steps has no calibration file"
            for slug in sorted(typed - seen)
        ]
        for row in rows:
            self.stdout.write(
                f"{row.scenario} / {row.step}: {row.agreed}/{row.total} agree "
                f"({row.agreement:.1%}; {row.correct} correct, {row.incorrect} incorrect)"
            )
            for reply, expected, read in row.disagreements if verbose_misses else []:
                wanted = "accept" if expected else "reject"
                self.stdout.write(f"    should {wanted}: {reply!r} -> {read}")
            problems += [f"{row.scenario} / {row.step}: {p}" for p in row.problems]
        total = sum(r.total for r in rows)
        agreed = sum(r.agreed for r in rows)
        if total:
            self.stdout.write(
                f"Overall: {agreed}/{total} ({agreed / total:.1%}) over {len(rows)} typed steps; "
                f"goal {AGREEMENT_GOAL:.0%} on every step."
            )
        if problems:
            raise CommandError("\n".join(problems))
