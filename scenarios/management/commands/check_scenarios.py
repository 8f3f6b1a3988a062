"""`manage.py check_scenarios [--pack [PATH]] [--guessers]`: run the authoring checks on every
published call (or validate the scenario files of a content pack, with file:line) and fail
when any has a problem; with ``--guessers``, also play the guessers through every call and fail
when one passes more than its share."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scenarios.graph import Scenario
from scenarios.guessers import MAX_PASS_SHARE, call_figures, pooled
from scenarios.selectors import scenario_checks
from training.guessing import guessers
from training.pack.loader import validate_pack
from training.pack.source import PackInvalid
from training.selectors import manual_text


class Command(BaseCommand):
    help = (
        "Check every published call for unreachable steps, dead ends, choices leading nowhere, "
        "unknown facts, rubric items no path can satisfy, wrong lines that cost nothing, and a "
        "full-marks path for every combination of facts; --guessers also plays bots that pick "
        "by the look of a line through every call."
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
        parser.add_argument(
            "--guessers",
            action="store_true",
            help="play the guessing bots through every call and print how often each passes",
        )

    def handle(self, *args, pack: Path | None, guessers: bool, **options):
        if pack is not None:
            definitions, manual = self.check_pack(Path(pack))
        else:
            definitions, manual = self.check_database(), manual_text()
        if guessers:
            self.play_guessers(definitions, manual)

    def check_pack(self, root: Path) -> tuple[dict[str, dict], str]:
        try:
            sections, _ = validate_pack(root)
        except PackInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s) in the pack at {root}") from None
        self.stdout.write(self.style.SUCCESS(f"the pack at {root} passes every check"))
        definitions, manual = {}, ""
        for section in sections:
            if hasattr(section, "definitions"):
                definitions.update(section.definitions())
            if hasattr(section, "manual_text"):
                manual = section.manual_text()
        return definitions, manual

    def check_database(self) -> dict[str, dict]:
        checks = scenario_checks()
        failing = 0
        for check in checks:
            name = f"{check.scenario.slug} v{check.version.number}"
            report = check.report
            if report.ok:
                self.stdout.write(
                    f"ok    {name}: {report.cases} case(s), {report.passing_paths} of "
                    f"{report.paths} complete path(s) pass, full marks reachable in each case"
                )
                continue
            failing += 1
            self.stdout.write(f"FAIL  {name}")
            for problem in report.problems:
                self.stdout.write(f"      {problem}")
        if failing:
            raise CommandError(f"{failing} of {len(checks)} call(s) have problems")
        self.stdout.write(self.style.SUCCESS(f"{len(checks)} call(s) checked, no problems"))
        return {c.scenario.slug: c.version.definition for c in checks}

    def play_guessers(self, definitions: dict[str, dict], manual: str) -> None:
        self.stdout.write("\nGuessers: share of fact cases each one passes, per call")
        figures = []
        bots = guessers(manual)
        for slug, definition in definitions.items():
            found = call_figures(Scenario.from_definition(definition), guessers=bots)
            figures.append(found)
            shares = "  ".join(f"{name} {share:4.0%}" for name, share in found.passed.items())
            self.stdout.write(f"  {slug:<32} {found.cases:3} case(s)  {shares}")
        overall = pooled(figures)
        cases = sum(f.cases for f in figures)
        shares = "  ".join(f"{name} {share:.1%}" for name, share in overall.items())
        self.stdout.write(
            f"Over {len(figures)} call(s) and {cases} (call, fact case) pairs: {shares}"
        )
        over = {name: share for name, share in overall.items() if share > MAX_PASS_SHARE}
        if over:
            names = ", ".join(f"{n} ({s:.1%})" for n, s in over.items())
            raise CommandError(
                f"guessers pass more than {MAX_PASS_SHARE:.0%} of the pairs: {names}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"no guesser passes more than {MAX_PASS_SHARE:.0%} of the pairs")
        )
