"""`manage.py load_curriculum [PATH] [--dry-run]`: validate the whole content pack, then write it
in one transaction, all or nothing, and report what was created, updated and left unchanged."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from training.pack.loader import EditedInBrowser, load_pack
from training.pack.source import PackInvalid


class Command(BaseCommand):
    help = (
        "Validate the content pack (every section: curriculum, quizzes, scenarios...) and load "
        "it in one transaction. Nothing is written if any file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="the pack folder (default: settings.CONTENT_DIR)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, but write nothing",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite modules published in the browser since the last export",
        )

    def handle(self, *args, path: Path | None, dry_run: bool, force: bool, **options):
        root = Path(path or settings.CONTENT_DIR)
        try:
            report = load_pack(root, dry_run=dry_run, force=force)
        except EditedInBrowser as exc:
            for line in exc.report.changes():
                self.stderr.write(line)
            raise CommandError(
                "nothing was written: the pack would overwrite what was published in the "
                f"browser since the last export, in {', '.join(exc.report.overwrites)}. "
                "Run export_curriculum to keep it, or load again with --force to discard it."
            ) from None
        except PackInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in the pack at {root}; "
                "nothing was written"
            ) from None
        except (ProtectedError, RestrictedError) as exc:
            # Content still used by recorded results (attempts, certificates) cannot go away.
            raise CommandError(f"nothing was written: {exc.args[0]}") from None

        for line in report.lines() or ["nothing to load"]:
            self.stdout.write(line)
        for line in report.changes():
            self.stdout.write(f"  {line}")
        if report.overwrites:
            self.stdout.write(
                self.style.WARNING(
                    "overwrites what was published in the browser in "
                    + ", ".join(report.overwrites)
                )
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("dry run: nothing was written"))
        else:
            self.stdout.write(self.style.SUCCESS(f"loaded the pack at {root}"))
