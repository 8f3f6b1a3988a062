"""Bulk provisioning: a CSV or Excel sheet of people (name, e-mail, registration number, team,
role, start date) read into a plan of who is created, changed or deactivated, and every bad
row with its reason. Nothing is written until the plan is applied, in one transaction, with
the same checks again; a deactivated person keeps their history and certificates."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from training.audit import audit_record
from training.models import AuditEvent, Team
from training.roles import Role

User = get_user_model()

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 25_000
COLUMNS = ("name", "email", "registration", "team", "role", "start_date")
# Headers as people write them, in Portuguese or English.
HEADERS = {
    "nome": "name",
    "name": "name",
    "e-mail": "email",
    "email": "email",
    "matricula": "registration",
    "matrícula": "registration",
    "registration": "registration",
    "equipe": "team",
    "team": "team",
    "papel": "role",
    "perfil": "role",
    "role": "role",
    "admissao": "start_date",
    "admissão": "start_date",
    "data de admissão": "start_date",
    "start_date": "start_date",
    "start date": "start_date",
}
ROLES = {
    "treinando": Role.TRAINEE,
    "trainee": Role.TRAINEE,
    "agente": Role.TRAINEE,
    "instrutor": Role.TRAINER,
    "trainer": Role.TRAINER,
    "gestor": Role.MANAGER,
    "supervisor": Role.MANAGER,
    "manager": Role.MANAGER,
}
REGISTRATION = re.compile(r"^[A-Za-z0-9._-]{1,150}$")


class SheetRefused(Exception):
    """The file cannot be read as a sheet of people; the message says why."""


@dataclass(frozen=True)
class Person:
    row: int
    name: str
    email: str
    registration: str
    team: str
    role: Role
    start_date: date | None


@dataclass
class Plan:
    create: list[Person] = field(default_factory=list)
    change: list[tuple[Person, list[str]]] = field(default_factory=list)  # what changes
    unchanged: int = 0
    deactivate: list = field(default_factory=list)  # users
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_sheet(data: bytes, filename: str) -> list[dict[str, str]]:
    """The sheet's rows as {column: text}, headers mapped to the known columns."""
    if len(data) > MAX_BYTES:
        raise SheetRefused(_("The file is over %(mb)s MB.") % {"mb": MAX_BYTES // 2**20})
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SheetRefused(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from None
        if "\x00" in text:
            raise SheetRefused(_("The file holds a NUL character."))
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if _semicolons(text) else ","))
    if not rows:
        raise SheetRefused(_("The file is empty."))
    header = [HEADERS.get(cell.strip().lower(), "") for cell in rows[0]]
    missing = [c for c in ("name", "email", "registration", "team", "role") if c not in header]
    if missing:
        raise SheetRefused(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if len(rows) - 1 > MAX_ROWS:
        raise SheetRefused(_("More than %(rows)s people in one file.") % {"rows": MAX_ROWS})
    return [
        {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header)}
        for row in rows[1:]
    ]


def _semicolons(text: str) -> bool:
    head = text.split("\n", 1)[0]
    return head.count(";") > head.count(",")


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise SheetRefused(_("The file is not an Excel workbook (.xlsx).")) from None
    rows = []
    for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
        rows.append(
            [
                v.date().isoformat()
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else ""
                if v is None
                else str(v)
                for v in row
            ]
        )
    return rows


def _person(number: int, raw: dict[str, str]) -> tuple[Person | None, str | None]:
    name, email = raw.get("name", ""), raw.get("email", "").lower()
    registration, team = raw.get("registration", ""), raw.get("team", "")
    if any("\x00" in v or len(v) > 150 for v in (name, email, registration, team)):
        return None, _("a field is too long or holds a control character")
    if not name:
        return None, _("the name is missing")
    try:
        validate_email(email)
    except ValidationError:
        return None, _("%(email)s is not an e-mail address") % {"email": email or "—"}
    if not REGISTRATION.match(registration):
        return None, _("the registration number must be letters, digits, dot, dash or underscore")
    if not team:
        return None, _("the team is missing")
    role = ROLES.get(raw.get("role", "").strip().lower())
    if role is None:
        return None, _("unknown role %(role)s (treinando, instrutor or gestor)") % {
            "role": raw.get("role") or "—"
        }
    start = None
    if raw.get("start_date"):
        try:
            start = date.fromisoformat(raw["start_date"][:10])
        except ValueError:
            try:
                start = datetime.strptime(raw["start_date"], "%d/%m/%Y").date()
            except ValueError:
                return None, _("%(value)s is not a date (31/12/2026)") % {
                    "value": raw["start_date"]
                }
    return Person(number, name, email, registration, team, role, start), None


def plan_of(rows: list[dict[str, str]], *, deactivate_missing: bool = False) -> Plan:
    """What applying the sheet would do (no write)."""
    plan = Plan()
    people: dict[str, Person] = {}
    emails: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if not any(raw.values()):
            continue
        person, problem = _person(number, raw)
        if problem:
            plan.errors.append((number, problem))
            continue
        if person.registration.lower() in people:
            plan.errors.append(
                (
                    number,
                    _("registration %(r)s repeats row %(n)s")
                    % {"r": person.registration, "n": people[person.registration.lower()].row},
                )
            )
            continue
        if person.email in emails:
            plan.errors.append(
                (
                    number,
                    _("e-mail %(e)s repeats row %(n)s")
                    % {"e": person.email, "n": emails[person.email]},
                )
            )
            continue
        people[person.registration.lower()] = person
        emails[person.email] = number
    existing = {
        u.username.lower(): u
        for u in User.objects.filter(
            username__in=[p.registration for p in people.values()]
        ).prefetch_related("groups", "teams")
    }
    for key, person in people.items():
        user = existing.get(key)
        if user is None:
            plan.create.append(person)
            continue
        changes = []
        first, _sep, last = person.name.partition(" ")
        if (user.first_name, user.last_name) != (first, last):
            changes.append(_("name"))
        if user.email.lower() != person.email:
            changes.append(_("e-mail"))
        teams = user.managed_teams.all() if person.role == Role.MANAGER else user.teams.all()
        if person.team not in {t.name for t in teams}:
            changes.append(_("team"))
        if person.role.value not in {g.name for g in user.groups.all()}:
            changes.append(_("role"))
        if not user.is_active:
            changes.append(_("reactivated"))
        if changes:
            plan.change.append((person, changes))
        else:
            plan.unchanged += 1
    if deactivate_missing:
        teams = {p.team for p in people.values()}
        plan.deactivate = list(
            User.objects.filter(teams__name__in=teams, is_active=True, is_superuser=False)
            .exclude(username__in=[p.registration for p in people.values()])
            .distinct()
            .order_by("username")
        )
    return plan


@transaction.atomic
def plan_apply(plan: Plan, *, actor=None) -> dict[str, int]:
    """Write the plan: create and update people, put them in their team and role, deactivate
    the missing (their results stay). Refused when the plan has bad rows."""
    if not plan.ok:
        raise SheetRefused(_("The sheet has bad rows; nothing was written."))
    groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
    teams: dict[str, Team] = {}

    def team_of(name: str) -> Team:
        if name not in teams:
            teams[name], _created = Team.objects.get_or_create(name=name)
        return teams[name]

    for person in [*plan.create, *(p for p, _changes in plan.change)]:
        first, _sep, last = person.name.partition(" ")
        user, created = User.objects.get_or_create(
            username=person.registration,
            defaults={"first_name": first, "last_name": last, "email": person.email},
        )
        if created:
            user.set_unusable_password()  # they choose one through "forgot your password"
        user.first_name, user.last_name, user.email = first, last, person.email
        user.is_active = True
        if person.start_date and created:
            user.date_joined = datetime.combine(person.start_date, datetime.min.time()).astimezone()
        user.save()
        user.groups.remove(*[g for name, g in groups.items() if name != person.role.value])
        user.groups.add(groups[person.role.value])
        team = team_of(person.team)
        if person.role == Role.MANAGER:
            team.managers.add(user)
        else:
            user.teams.set([team])
    deactivated = User.objects.filter(pk__in=[u.pk for u in plan.deactivate]).update(
        is_active=False
    )
    counts = {"created": len(plan.create), "changed": len(plan.change), "deactivated": deactivated}
    audit_record(
        AuditEvent.Action.PEOPLE_PROVISIONED,
        subject="bulk",
        details=counts,
        actor_id=actor.pk if actor else None,
    )
    return counts
