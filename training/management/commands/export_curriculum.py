"""`manage.py export_curriculum PATH`: write the database's content back as a pack, in the same
format `load_curriculum` reads, so that export then load changes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand

from training.pack.loader import export_pack, sections


class Command(BaseCommand):
    help = "Write the curriculum and every other pack section from the database as YAML files."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the pack folder to write into")

    def handle(self, *args, path: Path, **options):
        written = set(export_pack(path))
        for file in sorted(written):
            self.stdout.write(str(file))
        # Files left from an earlier export (a module renamed or renumbered) would be loaded
        # again next to their new copy and clash on their slugs: name them.
        for section in sections():
            for stale in sorted((path / section.folder).glob("*.yaml")):
                if stale not in written:
                    self.stderr.write(
                        self.style.WARNING(f"{stale}: not part of this export; remove it?")
                    )
        self.stdout.write(self.style.SUCCESS(f"exported {len(written)} files to {path}"))
