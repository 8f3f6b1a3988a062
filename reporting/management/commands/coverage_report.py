"""`manage.py coverage_report [--pack [PATH]] [--all]`: for every behaviour of the curriculum,
the questions and the calls (with fact cases) that exercise it; fails when a behaviour is
judged by no call or by fewer than two questions."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.selectors import coverage_of, coverage_sources
from training.coverage import MIN_CALLS, MIN_QUESTIONS
from training.pack.loader import digest, validate_pack
from training.pack.source import PackInvalid


class Command(BaseCommand):
    help = (
        "List, per behaviour, the questions and the calls that exercise it, and fail when one is "
        f"judged by fewer than {MIN_CALLS} call(s) or {MIN_QUESTIONS} questions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pack",
            nargs="?",
            const=settings.CONTENT_DIR,
            type=Path,
            help="the files of a content pack instead of the database "
            "(default path: settings.CONTENT_DIR)",
        )
        parser.add_argument(
            "--all", action="store_true", help="list every behaviour, not only the gaps"
        )
        parser.add_argument(
            "--module",
            action="append",
            default=[],
            help="only the behaviours of this module (slug; may be repeated)",
        )

    def handle(self, *args, pack: Path | None, all: bool, module: list[str], **options):
        behaviors, tags, calls = self.from_pack(Path(pack)) if pack else coverage_sources()
        if module:
            behaviors = [b for b in behaviors if b.module in module]
        report = coverage_of(behaviors, tags, calls)
        gaps = [c for c in report if not c.ok]
        procedure = None
        for row in report if all else gaps:
            b = row.behavior
            if b.procedure != procedure:
                procedure = b.procedure
                self.stdout.write(f"{b.module} / {b.procedure}")
            calls_text = (
                ", ".join(f"{c.call} ({c.judged}/{c.cases} cases)" for c in row.calls) or "none"
            )
            status = "ok  " if row.ok else "GAP "
            self.stdout.write(
                f"  {status}{b.code} [{b.kind}]: {len(row.questions)} question(s); calls: "
                f"{calls_text}" + ("" if row.ok else "  <- " + "; ".join(row.gaps()))
            )
        if gaps:
            raise CommandError(
                f"{len(gaps)} of {len(report)} behaviours are not exercised enough "
                f"(each needs {MIN_CALLS} call and {MIN_QUESTIONS} questions)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"every one of {len(report)} behaviours is judged by a call and at least "
                f"{MIN_QUESTIONS} questions"
            )
        )

    def from_pack(self, root: Path):
        try:
            sections, _ = validate_pack(root)
        except PackInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s) in the pack at {root}") from None
        behaviors, tags, calls = [], {}, {}
        for section in sections:
            if hasattr(section, "behavior_refs"):
                behaviors = section.behavior_refs()
            if hasattr(section, "question_tags"):
                tags = section.question_tags()
            if hasattr(section, "definitions"):
                calls = {
                    slug: ("pack", digest(definition), definition)
                    for slug, definition in section.definitions().items()
                }
        return behaviors, tags, calls
