"""`manage.py moodle_bank import FILE --procedure SLUG [--apply]` makes drafts of a procedure
from a Moodle XML or GIFT bank (a preview unless --apply); `manage.py moodle_bank export
--procedure SLUG [--format xml|gift]` prints the procedure's questions in that format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes import interchange
from quizzes.authoring import question_drafts_import
from quizzes.editor import entry_of
from training.models import Procedure


class Command(BaseCommand):
    help = "Import a Moodle question bank as drafts, or export a procedure's questions."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--procedure", required=True)
        parser.add_argument("--format", choices=["xml", "gift"], default="gift")
        parser.add_argument("--apply", action="store_true", help="make the drafts")

    def handle(self, *args, action, file, procedure, format, apply, **options):
        found = Procedure.objects.select_related("module").filter(slug=procedure).first()
        if found is None:
            raise CommandError(f"no procedure {procedure!r}")
        if action == "export":
            entries = [entry_of(q) for q in found.questions.filter(is_active=True)]
            write = interchange.to_moodle_xml if format == "xml" else interchange.to_gift
            text, skipped = write(entries)
            for line in skipped:
                self.stderr.write(f"skipped {line}")
            self.stdout.write(text, ending="")
            return
        if file is None:
            raise CommandError("import needs the bank's file")
        try:
            data = file.read_bytes()
            if file.suffix.lower() == ".xml":
                entries, skipped = interchange.from_moodle_xml(data)
            else:
                entries, skipped = interchange.from_gift(data.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, interchange.FileRefused) as exc:
            raise CommandError(f"{file}: {exc}") from None
        for line in skipped:
            self.stderr.write(f"{file}: skipped {line}")
        self.stdout.write(f"{len(entries)} questions come over, {len(skipped)} cannot")
        if apply:
            made = question_drafts_import(procedure=found, entries=entries, author=None)
            self.stdout.write(self.style.SUCCESS(f"{made} drafts made in {found.slug}"))
        else:
            self.stdout.write(self.style.WARNING("preview only: run with --apply to make drafts"))
