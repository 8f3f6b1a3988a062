"""`manage.py replay_grades`: grade every stored attempt and call again from what was frozen
(paper and answers; version, facts and turns) and report any that comes out differently."""

from django.core.management.base import BaseCommand, CommandError

from reporting.replay import replay_grades


class Command(BaseCommand):
    help = "Replay every stored grade from its frozen inputs and report any difference."

    def handle(self, *args, **options):
        replay = replay_grades()
        for line in replay.differing[:100]:
            self.stderr.write(line)
        self.stdout.write(
            f"{replay.attempts} attempts and {replay.runs} calls replayed, "
            f"{len(replay.differing)} differing"
        )
        if replay.differing:
            raise CommandError("some stored grades do not replay")
