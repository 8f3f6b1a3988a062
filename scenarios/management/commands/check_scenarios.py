"""`manage.py check_scenarios [--pack [PATH]]`: run the authoring checks on every published call
(or validate the scenario files of a content pack, with file:line) and fail when any has a
problem."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scenarios.selectors import scenario_checks
from training.pack.loader import validate_pack
from training.pack.source import PackInvalid


class Command(BaseCommand):
    help = (
        "Check every published call for unreachable steps, dead ends, choices leading nowhere, "
        "unknown facts, rubric items no path can satisfy, and a full-marks path for every "
        "combination of facts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pack",
            nargs="?",
            const=settings.CONTENT_DIR,
            type=Path,
            help="check the files of a content pack instead of the database "
            "(default path: settings.CONTENT_DIR)",
        )

    def handle(self, *args, pack: Path | None, **options):
        if pack is not None:
            self.check_pack(Path(pack))
        else:
            self.check_database()

    def check_pack(self, root: Path) -> None:
        try:
            validate_pack(root)
        except PackInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s) in the pack at {root}") from None
        self.stdout.write(self.style.SUCCESS(f"the pack at {root} passes every check"))

    def check_database(self) -> None:
        checks = scenario_checks()
        failing = 0
        for check in checks:
            name = f"{check.scenario.slug} v{check.version.number}"
            if check.report.ok:
                self.stdout.write(
                    f"ok    {name}: full marks reachable in {check.report.cases} case(s)"
                )
                continue
            failing += 1
            self.stdout.write(f"FAIL  {name}")
            for problem in check.report.problems:
                self.stdout.write(f"      {problem}")
        if failing:
            raise CommandError(f"{failing} of {len(checks)} call(s) have problems")
        self.stdout.write(self.style.SUCCESS(f"{len(checks)} call(s) checked, no problems"))
