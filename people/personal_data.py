"""One person's data: everything the platform holds about them, as a JSON-ready document
(LGPD access), and its erasure (LGPD deletion) that keeps every certificate verifiable.

Erasure anonymises rather than deletes results: the account is emptied (no name, e-mail,
password or roles, a pseudonym for a username) and deactivated; what they read and their
login records are deleted; their attempts, calls and judgements stay, tied to the pseudonym,
so certificates keep their evidence and the company's figures stay true. The audit trail
keeps the event but loses the name.
"""

from __future__ import annotations

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import get_random_string

from certification.models import Certification
from quizzes.models import Attempt, AttemptItem
from scenarios.models import Run, Turn
from training.audit import SUBJECT_SEPARATOR, audit_record
from training.models import AuditEvent, Erasure, Judgement, ProcedureRead

FORMAT = "trilha-personal-data/1"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def personal_data(person, now: datetime | None = None) -> dict:
    """Everything held about ``person``; a fixed number of queries whatever their history."""
    now = now or timezone.now()
    username = person.get_username()
    attempts = (
        Attempt.objects.filter(user=person)
        .select_related("quiz")
        .prefetch_related(
            Prefetch(
                "items",
                AttemptItem.objects.select_related("question").order_by("position"),
            )
        )
        .order_by("started_at", "pk")
    )
    runs = (
        Run.objects.filter(user=person)
        .select_related("scenario", "version")
        .prefetch_related(Prefetch("turns", Turn.objects.order_by("index")))
        .order_by("started_at", "pk")
    )
    certificates = (
        Certification.objects.filter(trainee=person).with_status(now).select_related("module")
    )
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "person": {
            "username": username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "date_joined": _when(person.date_joined),
            "last_login": _when(person.last_login),
            "is_active": person.is_active,
            "roles": sorted(person.groups.values_list("name", flat=True)),
            "teams": sorted(person.teams.values_list("name", flat=True)),
            "managed_teams": sorted(person.managed_teams.values_list("name", flat=True)),
        },
        "procedures_read": [
            {
                "module": read.procedure.module.slug,
                "procedure": read.procedure.slug,
                "first_read_at": _when(read.first_read_at),
            }
            for read in ProcedureRead.objects.filter(trainee=person)
            .select_related("procedure__module")
            .order_by("first_read_at")
        ],
        "quiz_attempts": [
            {
                "quiz": attempt.quiz.slug,
                "number": attempt.number,
                "status": attempt.status,
                "started_at": _when(attempt.started_at),
                "submitted_at": _when(attempt.submitted_at),
                "score": str(attempt.score) if attempt.score is not None else None,
                "passed": attempt.passed,
                "answers": [
                    {
                        "position": item.position,
                        "question": item.question.key if item.question else None,
                        "response": item.response,
                        "saved_at": _when(item.saved_at),
                        "correct": item.correct,
                    }
                    for item in attempt.items.all()
                ],
            }
            for attempt in attempts
        ],
        "calls": [
            {
                "call": run.scenario.slug,
                "version": run.version.number,
                "preview": run.is_preview,
                "facts": run.facts,
                "status": run.status,
                "started_at": _when(run.started_at),
                "finished_at": _when(run.finished_at),
                "score": run.score,
                "passed": run.passed,
                "critical_errors": run.critical_errors,
                "turns": [
                    {"turn": turn.index, "said": turn.said, "at": _when(turn.created_at)}
                    for turn in run.turns.all()
                ],
            }
            for run in runs
        ],
        "judgements": [
            {
                "behaviour": row["behavior__code"],
                "source": row["source"],
                "record": row["record"],
                "verdict": row["verdict"],
                "judged_at": _when(row["judged_at"]),
                # A row a regrade replaced is theirs too: it says so.
                **({"regraded": True} if row["retired_by"] else {}),
            }
            for row in Judgement.with_retired.filter(trainee=person)
            .order_by("judged_at", "pk")
            .values("behavior__code", "source", "record", "verdict", "judged_at", "retired_by")
        ],
        "certificates": [
            {
                "code": cert.code,
                "module": cert.module.slug,
                "awarded_at": _when(cert.awarded_at),
                "expires_at": _when(cert.expires_at),
                "status": cert.status,
                "revoked_at": _when(cert.revoked_at),
                "revocation_reason": cert.revocation_reason,
            }
            for cert in certificates
        ],
        "actions": [
            {"at": _when(event.at), "action": event.action, "subject": event.subject}
            for event in AuditEvent.objects.filter(actor=person).order_by("at", "pk")
        ],
        "logins": [
            {
                "at": _when(log.attempt_time),
                "address": log.ip_address,
                "logged_out_at": _when(log.logout_time),
            }
            for log in AccessLog.objects.filter(username=username).order_by("attempt_time")
        ],
        "failed_logins": [
            {"at": _when(log.attempt_time), "address": log.ip_address}
            for log in AccessFailureLog.objects.filter(username=username).order_by("attempt_time")
        ],
    }


def personal_data_exported(person, *, by_id: int | None) -> dict:
    """The document, with the export itself written to the audit trail."""
    document = personal_data(person)
    audit_record(AuditEvent.Action.DATA_EXPORTED, actor_id=by_id, subject=person.get_username())
    return document


def _renamed_in_trail(old: str, new: str) -> None:
    """The trail keeps what happened and loses who it happened to: the username is replaced
    wherever it stands as a whole name (a subject's part, a listed person), never inside
    another word."""

    def renamed(value):
        if isinstance(value, list):
            return [renamed(v) for v in value]
        if isinstance(value, dict):
            return {k: renamed(v) for k, v in value.items()}
        return new if value == old else value

    candidates = AuditEvent.objects.annotate(text=Cast("details", TextField())).filter(
        Q(subject__contains=old) | Q(text__contains=old)
    )
    for event in candidates:
        subject = SUBJECT_SEPARATOR.join(
            new if part == old else part for part in event.subject.split(SUBJECT_SEPARATOR)
        )
        details = renamed(event.details)
        if (subject, details) != (event.subject, event.details):
            event.subject, event.details = subject, details
            event.save(update_fields=["subject", "details"])


class AlreadyErased(Exception):
    pass


@transaction.atomic
def personal_data_erase(person, *, by_id: int | None) -> str:
    """Erase ``person``'s identity (see the module's docstring); return their pseudonym."""
    User = get_user_model()
    person = User.objects.select_for_update().get(pk=person.pk)
    if Erasure.objects.filter(person=person).exists():
        raise AlreadyErased(person.get_username())
    old = person.get_username()
    pseudonym = f"apagado-{get_random_string(12).lower()}"
    while User.objects.filter(username=pseudonym).exists():  # pragma: no cover - 1 in 10^18
        pseudonym = f"apagado-{get_random_string(12).lower()}"
    person.username = pseudonym
    person.first_name = person.last_name = person.email = ""
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    person.teams.clear()
    person.managed_teams.clear()
    ProcedureRead.objects.filter(trainee=person).delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=old).delete()
    _renamed_in_trail(old, pseudonym)
    Erasure.objects.create(person=person)
    audit_record(AuditEvent.Action.DATA_ERASED, actor_id=by_id, subject=pseudonym)
    return pseudonym
