"""Bring up the demo site: migrate, load the curriculum, create the demo users and a company
with a training history (``seed_demo_data``), then serve with the task worker alongside."""

import subprocess
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from training.models import Module, Team
from training.roles import Role

DEMO_PASSWORD = "trilha-demo"
DEMO_TEAM = "Equipe Demonstração"
# The seeded company's prefix: its trainees are demo-agente-00001..., its teams "Demo 01"...
COMPANY = "demo"
DEMO_USERS = [
    # username, first name, last name, roles, staff
    ("trainee", "Ana", "Souza", [Role.TRAINEE], False),
    ("trainer", "Tânia", "Ribeiro", [Role.TRAINER], True),
    ("manager", "Marcos", "Lima", [Role.MANAGER], False),
]


class Command(BaseCommand):
    help = "Migrate, load the manual's curriculum, create demo users and serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--company-size",
            type=int,
            default=120,
            help="trainees of the demo company, with months of graded history (0: none)",
        )

    def handle(self, *args, no_serve: bool, addrport: str, company_size: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        if Module.objects.exists():
            # Reloading would overwrite what trainers changed in the browser since.
            self.stdout.write(
                "Curriculum already loaded; "
                "run `manage.py load_curriculum` to apply the pack again."
            )
        else:
            call_command("load_curriculum", stdout=self.stdout, stderr=self.stderr)
        created = self.ensure_demo_users()
        if (
            company_size
            and not get_user_model()
            .objects.filter(username__startswith=f"{COMPANY}-agente-")
            .exists()
        ):
            self.stdout.write(f"Seeding a company of {company_size} trainees with their history...")
            call_command(
                "seed_demo_data",
                trainees=company_size,
                teams=max(1, company_size // 30),
                prefix=COMPANY,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        self.manage_the_company()
        self.print_credentials(created)
        if not no_serve:
            self.serve(addrport)

    def serve(self, addrport: str) -> None:
        """The site, and the task worker that writes large exports, until Ctrl-C."""
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--verbosity", "0"])
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    @transaction.atomic
    def manage_the_company(self) -> None:
        """The demo manager manages the company's teams, so the dashboard has people in it."""
        manager = get_user_model().objects.filter(username="manager").first()
        if manager is not None:
            for team in Team.objects.filter(name__startswith=f"{COMPANY.title()} "):
                team.managers.add(manager)

    @transaction.atomic
    def ensure_demo_users(self) -> set[str]:
        """Create what is missing; never reset a password or remove anything."""
        User = get_user_model()
        team, _ = Team.objects.get_or_create(name=DEMO_TEAM)
        created = set()
        for username, first, last, roles, staff in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": staff},
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created.add(username)
            user.groups.add(*Group.objects.filter(name__in=[r.value for r in roles]))
            if Role.MANAGER in roles:
                team.managers.add(user)
            if Role.TRAINEE in roles:
                team.members.add(user)
            if Role.TRAINER in roles:
                # The demo's trainer may also publish what they write.
                user.user_permissions.add(
                    Permission.objects.get(
                        content_type__app_label="training", codename="publish_content"
                    )
                )
        admin, was_created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if was_created:
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
            created.add("admin")
        return created

    def print_credentials(self, created: set[str]) -> None:
        self.stdout.write(self.style.SUCCESS("\nDemo users (open http://127.0.0.1:8000/):"))
        for username in [u[0] for u in DEMO_USERS] + ["admin"]:
            note = "" if username in created else "  (existing user: password left as it was)"
            self.stdout.write(f"  {username:<8} / {DEMO_PASSWORD}{note}")
        self.stdout.write("")
