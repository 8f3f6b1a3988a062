"""`manage.py send_reminders`: certificates expiring in 90/60/30/7 days and overdue
assignments, each reminded once on the site and by e-mail. Run it daily (cron, a systemd
timer, or the compose file's scheduler); running it more often sends nothing twice."""

from django.core.management.base import BaseCommand

from reporting.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the reminders that are due (each is sent once, however often this runs)."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder{'s' if sent != 1 else ''} sent"))
