"""`manage.py provision_people SHEET [--deactivate-missing] [--apply]`: what a sheet of people
would create, change and deactivate, and every bad row; written only with --apply and only
when no row is bad."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.provisioning import SheetRefused, plan_apply, plan_of, read_sheet


class Command(BaseCommand):
    help = "Preview (or, with --apply, write) people from a CSV or Excel sheet."

    def add_arguments(self, parser):
        parser.add_argument("sheet", type=Path)
        parser.add_argument("--deactivate-missing", action="store_true")
        parser.add_argument("--apply", action="store_true", help="write the plan")

    def handle(self, *args, sheet: Path, deactivate_missing: bool, apply: bool, **options):
        try:
            plan = plan_of(
                read_sheet(sheet.read_bytes(), sheet.name), deactivate_missing=deactivate_missing
            )
        except (OSError, SheetRefused) as exc:
            raise CommandError(str(exc)) from None
        for row, reason in plan.errors:
            self.stderr.write(f"{sheet}:{row}: {reason}")
        self.stdout.write(
            f"{len(plan.create)} to create, {len(plan.change)} to change, "
            f"{plan.unchanged} unchanged, {len(plan.deactivate)} to deactivate"
        )
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} bad rows; nothing was written")
        if apply:
            counts = plan_apply(plan)
            self.stdout.write(self.style.SUCCESS(f"written: {counts}"))
        else:
            self.stdout.write(self.style.WARNING("preview only: run with --apply to write"))
