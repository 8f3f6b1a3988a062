"""`manage.py send_statements`: send the xAPI statements due to the LRS (those never sent and
those whose retry time has come); run it from a scheduler to retry after an LRS outage."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.services import statements_deliver


class Command(BaseCommand):
    help = "Send the xAPI statements waiting in the outbox to the configured LRS."

    def handle(self, *args, **options):
        if not settings.XAPI_ENDPOINT:
            raise CommandError("no LRS is configured: set XAPI_ENDPOINT")
        sent, failed = statements_deliver()
        self.stdout.write(f"{sent} statement(s) sent, {failed} to retry")
        if failed:
            raise CommandError(f"the LRS did not take {failed} statement(s); they will be retried")
