"""`manage.py personal_data export USERNAME [-o FILE]` writes everything the platform holds
about one person as JSON; `manage.py personal_data erase USERNAME --yes` erases their identity
(LGPD) keeping their certificates verifiable. Both are written to the audit trail."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from people.personal_data import AlreadyErased, personal_data_erase, personal_data_exported


class Command(BaseCommand):
    help = "Export or erase one person's data (LGPD)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("username")
        parser.add_argument("-o", "--output", type=Path, help="export: write here, not stdout")
        parser.add_argument("--yes", action="store_true", help="erase: confirm, it is for good")

    def handle(self, *args, action: str, username: str, output: Path | None, yes: bool, **opts):
        try:
            person = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"nobody has the username {username!r}") from None
        if action == "export":
            document = personal_data_exported(person, by_id=None)
            text = json.dumps(document, ensure_ascii=False, indent=2)
            if output:
                output.write_text(text + "\n", encoding="utf-8")
                self.stdout.write(self.style.SUCCESS(f"wrote {output}"))
            else:
                self.stdout.write(text)
            return
        if not yes:
            raise CommandError("erasing is for good: add --yes to confirm; nothing was changed")
        try:
            pseudonym = personal_data_erase(person, by_id=None)
        except AlreadyErased:
            raise CommandError(f"{username}'s data was already erased") from None
        self.stdout.write(self.style.SUCCESS(f"erased; the account is now {pseudonym}"))
