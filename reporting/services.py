"""Writes of reporting: the rollups that organisation-wide figures read.

``reporting_refresh`` runs when the engines announce a graded result
(``training.events.result_graded``), after their grading transaction has committed. Activity
and behaviour tallies are recounted from the stored results (never incremented), so running
it twice, or after a crash, gives the right figures. Option tallies are added to, once per
attempt: the attempt's flag is claimed with the counts, so a second run adds nothing. The
``*_rebuild`` functions recount everything (after a bulk import, or to repair).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import logging
import tempfile
import urllib.error
import urllib.request
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from quizzes.kinds import kind_of
from quizzes.models import Attempt, AttemptItem
from reporting import xapi
from reporting.exports import BOM, export_rows, neutralised
from reporting.models import (
    Assignment,
    BehaviorDailyTally,
    Export,
    ModuleActivity,
    OptionTally,
    Statement,
)
from reporting.scope import scope_for
from scenarios.models import Run
from training.models import Judgement
from training.selectors import teams_visible_to

logger = logging.getLogger(__name__)


def module_activity_refresh(*, trainee_id: int, module_id: int) -> ModuleActivity:
    """Recount the trainee's graded attempts and counted calls on the module."""
    quizzes = (
        Attempt.objects.graded()
        .filter(user_id=trainee_id, quiz__module_id=module_id)
        .aggregate(
            total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max("submitted_at")
        )
    )
    calls = (
        Run.objects.counted()
        .graded()
        .filter(user_id=trainee_id, scenario__module_id=module_id)
        .aggregate(
            total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max("finished_at")
        )
    )
    activity, _created = ModuleActivity.objects.update_or_create(
        trainee_id=trainee_id,
        module_id=module_id,
        defaults={
            "quiz_attempts": quizzes["total"],
            "quiz_passed": quizzes["passed"],
            "call_runs": calls["total"],
            "call_passed": calls["passed"],
            "last_activity_at": max(
                (d for d in (quizzes["last"], calls["last"]) if d), default=None
            ),
        },
    )
    return activity


@transaction.atomic
def module_activity_rebuild() -> int:
    """Recount every trainee's activity on every module, in two aggregate queries (after a bulk
    import or seeding, which bypass the grading services)."""
    counts: dict[tuple[int, int], dict[str, object]] = {}
    for key, queryset in (
        ("quiz", Attempt.objects.graded().values("user_id", module=F("quiz__module_id"))),
        (
            "call",
            Run.objects.counted().graded().values("user_id", module=F("scenario__module_id")),
        ),
    ):
        last = "submitted_at" if key == "quiz" else "finished_at"
        rows = queryset.annotate(
            total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max(last)
        ).order_by()
        for row in rows:
            entry = counts.setdefault((row["user_id"], row["module"]), {"last": None})
            entry[key] = (row["total"], row["passed"])
            entry["last"] = max(d for d in (entry["last"], row["last"]) if d)
    ModuleActivity.objects.all().delete()
    ModuleActivity.objects.bulk_create(
        [
            ModuleActivity(
                trainee_id=user_id,
                module_id=module_id,
                quiz_attempts=entry.get("quiz", (0, 0))[0],
                quiz_passed=entry.get("quiz", (0, 0))[1],
                call_runs=entry.get("call", (0, 0))[0],
                call_passed=entry.get("call", (0, 0))[1],
                last_activity_at=entry["last"],
            )
            for (user_id, module_id), entry in counts.items()
        ],
        batch_size=2000,
    )
    return len(counts)


# Any constant: the key of the advisory lock that lets one tally recount run at a time.
_TALLY_LOCK = 7_207_001


def _one_recount_at_a_time() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TALLY_LOCK])


@transaction.atomic
def behavior_tallies_refresh(*, since: date | None = None, trainee_id: int | None = None) -> int:
    """Recount, per day from ``since`` (or from the beginning), how often each behaviour was
    judged and missed in quizzes and in calls. With ``trainee_id``, only the behaviours that
    trainee's results judged since then: what one graded result can have changed.

    Recounts run one at a time (a transaction-scoped advisory lock on PostgreSQL; SQLite
    serialises writers anyway): each starts after the judgements it must count have
    committed, so the last one to run has seen them all and no count is lost to a race."""
    _one_recount_at_a_time()
    start = timezone.make_aware(datetime.combine(since, time.min)) if since is not None else None
    if since is None:
        BehaviorDailyTally.objects.all().delete()
    behaviors = None
    if trainee_id is not None:
        # A call's rubric may judge behaviours of other modules (rapport, say), so the
        # behaviours come from the trainee's own judgements, not from the module.
        mine = Judgement.objects.filter(trainee_id=trainee_id)
        if start is not None:
            mine = mine.filter(judged_at__gte=start)
        behaviors = set(mine.order_by().values_list("behavior_id", flat=True).distinct())
        if not behaviors:
            return 0
    judgements = Judgement.objects.all()
    if start is not None:
        judgements = judgements.filter(judged_at__gte=start)
    if behaviors is not None:
        judgements = judgements.filter(behavior_id__in=behaviors)
    counted = (
        judgements.annotate(day=TruncDate("judged_at"))
        .values("day", "behavior_id", "source")
        .annotate(total=Count("pk"), missed=Count("pk", filter=~Q(verdict=Judgement.Verdict.KEPT)))
        .order_by()
    )
    rows = [
        BehaviorDailyTally(
            day=row["day"],
            behavior_id=row["behavior_id"],
            source=row["source"],
            total=row["total"],
            missed=row["missed"],
        )
        for row in counted
    ]
    # Upsert, not delete and insert: two trainees graded at once on the same module both
    # refresh today's rows, and each count is read whole from the outcomes. Rows go in one
    # fixed order so that two such transactions lock them in the same order (no deadlock).
    rows.sort(key=lambda row: (row.day, row.behavior_id, row.source))
    BehaviorDailyTally.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["day", "behavior", "source"],
        update_fields=["total", "missed"],
    )
    return len(rows)


@transaction.atomic
def reporting_refresh(*, trainee_id: int, module_id: int, at: datetime) -> None:
    """Recount what one graded result changes: the trainee's activity on the module and the
    day's tallies of the behaviours the trainee's results judged."""
    module_activity_refresh(trainee_id=trainee_id, module_id=module_id)
    behavior_tallies_refresh(since=timezone.localdate(at), trainee_id=trainee_id)


# --- option tallies ---------------------------------------------------------------------------


def option_tallies_add(*, attempt_id: int) -> bool:
    """Count one graded attempt's picks into the option tallies; False if it was counted
    already. The attempt's flag is claimed in the same transaction as the counts, so a second
    run (a retry, a rebuild racing a submit) adds nothing."""
    with transaction.atomic():
        claimed = (
            Attempt.objects.graded()
            .filter(pk=attempt_id, options_tallied=False)
            .update(options_tallied=True)
        )
        if not claimed:
            return False
        paper = Attempt.objects.values_list("paper", flat=True).get(pk=attempt_id)
        items = AttemptItem.objects.filter(attempt_id=attempt_id).values_list(
            "position", "question_id", "response"
        )
        add_option_counts(option_picks([(paper, items)]))
    return True


def option_tallies_rebuild(batch: int = 500) -> int:
    """Count every graded attempt again from its frozen paper (after an import, or to repair
    counts): slow, offline work; returns how many attempts were counted."""
    with transaction.atomic():
        OptionTally.objects.all().delete()
        Attempt.objects.filter(options_tallied=True).update(options_tallied=False)
    done = 0
    while ids := list(
        Attempt.objects.graded()
        .filter(options_tallied=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    ):
        with transaction.atomic():
            papers = dict(Attempt.objects.filter(pk__in=ids).values_list("pk", "paper"))
            answers: dict[int, list] = {pk: [] for pk in ids}
            for attempt_id, *item in AttemptItem.objects.filter(attempt_id__in=ids).values_list(
                "attempt_id", "position", "question_id", "response"
            ):
                answers[attempt_id].append(item)
            add_option_counts(option_picks((papers[pk], answers[pk]) for pk in ids))
            Attempt.objects.filter(pk__in=ids).update(options_tallied=True)
        done += len(ids)
    return done


def option_picks(attempts) -> dict[tuple[int, str], list]:
    """From (paper, [(position, question id, response)]) pairs: per (question, option text),
    [right?, times picked], every option served listed even when nobody picked it."""
    counts: dict[tuple[int, str], list] = {}
    for paper, items in attempts:
        questions = {q.get("position"): q for q in (paper or {}).get("questions", [])}
        for position, question_id, response in items:
            served = questions.get(position)
            if served is None or question_id is None:
                continue
            try:
                options, picked = kind_of(served["kind"]).option_counts(served, response)
            except (KeyError, TypeError, ValueError):
                continue  # a kind no longer known, or a paper of another shape
            for text, correct in options:
                counts.setdefault((question_id, text), [correct, 0])
            for text in picked:
                counts[(question_id, text)][1] += 1
    return counts


def option_text_hash(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def add_option_counts(counts: dict[tuple[int, str], list]) -> None:
    """Add to each option's tally in one upsert per row, in a fixed order (no deadlock between
    two submits): the database adds, so two submits at once lose nothing."""
    if not counts:
        return
    quote = connection.ops.quote_name
    table = quote(OptionTally._meta.db_table)
    sql = (
        f"INSERT INTO {table} (question_id, text_hash, text, correct, chosen) "
        "VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT (question_id, text_hash) DO UPDATE SET chosen = {table}.chosen + "
        "excluded.chosen"
    )
    rows = sorted(
        (question_id, option_text_hash(text), text, correct, chosen)
        for (question_id, text), (correct, chosen) in counts.items()
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- exports ---------------------------------------------------------------------------------

# Rows between two progress updates of a background export.
PROGRESS_EVERY = 2000


def export_build(*, export_id: int) -> Export:
    """Write the export's rows to a file in storage, saying how far it got every few thousand
    rows; a failure is recorded on the export, never half a file."""
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, started_at=timezone.now()
    )
    export = Export.objects.select_related("requested_by", "team").get(pk=export_id)
    if not claimed:
        return export  # already built, or being built by another worker
    try:
        # Who may see what is read again now: access lost since the request is not granted.
        scope = scope_for(export.requested_by, export.team_id)
        if scope is None or not export.requested_by.has_perm("training.view_dashboard"):
            raise PermissionError(gettext("You no longer see this team's results."))
        rows, total = export_rows(export.kind, scope)
        Export.objects.filter(pk=export.pk).update(rows_total=total)
        name = f"{export.kind}-{export.pk}.{export.format}"
        with tempfile.TemporaryFile() as buffer:
            written = write_rows(rows, buffer, export.format, progress=_progress(export.pk))
            buffer.seek(0)
            export.file.save(name, File(buffer), save=False)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.DONE,
            file=export.file.name,
            rows_written=written,
            finished_at=timezone.now(),
        )
    except Exception as exc:  # the worker would log it and move on; the requester must know
        logger.exception("export %s failed", export_id)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
    export.refresh_from_db()
    return export


def _progress(export_id: int):
    def report(written: int) -> None:
        Export.objects.filter(pk=export_id).update(rows_written=written)

    return report


def write_rows(rows, buffer, file_format: str, *, progress=None) -> int:
    """Write ``rows`` (the header first) as CSV or XLSX into the binary ``buffer``; return how
    many data rows were written. Cells a spreadsheet would run are written as text."""
    written = 0
    if file_format == Export.Format.XLSX:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(neutralised(list(row)))
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written - 1)
        workbook.save(buffer)
    else:
        text = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
        text.write(BOM)
        writer = csv.writer(text)
        for row in rows:
            writer.writerow(neutralised(list(row)))
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written - 1)
        text.detach()
    return max(written - 1, 0)


@transaction.atomic
def assignment_create(*, user, team, due_on: date, module=None, scenario=None) -> Assignment:
    """Assign a module or a call to one of the user's teams (refused for a team not theirs)."""
    if not teams_visible_to(user).filter(pk=team.pk).exists():
        raise PermissionError("not a team of this manager")
    return Assignment.objects.create(
        team=team, module=module, scenario=scenario, due_on=due_on, assigned_by=user
    )


@transaction.atomic
def assignment_delete(*, user, assignment_id: int) -> bool:
    """Withdraw an assignment of one of the user's teams; False when there is none."""
    deleted, _ = Assignment.objects.filter(
        pk=assignment_id, team__in=teams_visible_to(user)
    ).delete()
    return bool(deleted)


# --- xAPI statements --------------------------------------------------------------------------

# Statements sent to the LRS in one request, and the longest wait between two tries.
STATEMENT_BATCH = 50
MAX_RETRY_WAIT = timedelta(hours=6)


def statements_write(*, source: str, record: int) -> int:
    """Write to the outbox the statements of one graded result (one per behaviour judged);
    nothing when no LRS is configured. Idempotent: a statement's id is its judgement's."""
    if not settings.XAPI_ENDPOINT:
        return 0
    rows = (
        Judgement.objects.filter(source=source, record=record)
        .select_related("trainee", "behavior")
        .order_by("behavior__code")
    )
    titles = _record_titles(source, record)
    statements = [
        xapi.statement(
            xapi.Judged(
                username=row.trainee.username,
                full_name=row.trainee.get_full_name(),
                code=row.behavior.code,
                label=row.behavior.label,
                source=source,
                record=record,
                record_title=titles,
                verdict=row.verdict,
                evidence=row.evidence or {},
                judged_at=row.judged_at,
                content_version=row.content_version,
            ),
            settings.SITE_URL,
        )
        for row in rows
    ]
    made = Statement.objects.bulk_create(
        [Statement(id=item["id"], payload=item) for item in statements], ignore_conflicts=True
    )
    return len(made)


def _record_titles(source: str, record: int) -> str:
    if source == Judgement.Source.QUIZ:
        found = Attempt.objects.filter(pk=record).values_list("quiz__title", flat=True).first()
    else:
        found = Run.objects.filter(pk=record).values_list("scenario__title", flat=True).first()
    return found or ""


def statements_deliver(*, now: datetime | None = None, post=None) -> tuple[int, int]:
    """Send the statements due to the LRS, a batch per request; a batch refused or not
    answered is tried again later, waiting twice as long each time (up to six hours).
    Returns (sent, failed). ``post(url, body, headers)`` is the HTTP call (tests give a fake)."""
    if not settings.XAPI_ENDPOINT:
        return 0, 0
    now = now or timezone.now()
    post = post or _http_post
    due = Statement.objects.filter(sent_at__isnull=True).filter(
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now)
    )
    sent = failed = 0
    while batch := list(due.order_by("created_at", "id")[:STATEMENT_BATCH]):
        ids = [s.id for s in batch]
        error = post(
            settings.XAPI_ENDPOINT.rstrip("/") + "/statements",
            json.dumps([s.payload for s in batch]).encode(),
            _xapi_headers(),
        )
        if error is None:
            Statement.objects.filter(id__in=ids).update(sent_at=now, last_error="")
            sent += len(batch)
            continue
        failed += len(batch)
        for item in batch:
            item.tries += 1
            item.next_try_at = now + min(timedelta(minutes=2**item.tries), MAX_RETRY_WAIT)
            item.last_error = error[:500]
        Statement.objects.bulk_update(batch, ["tries", "next_try_at", "last_error"])
        break  # the LRS is failing: the rest waits for the next run
    return sent, failed


def _xapi_headers() -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "X-Experience-API-Version": xapi.XAPI_VERSION,
    }
    if settings.XAPI_USERNAME:
        token = base64.b64encode(
            f"{settings.XAPI_USERNAME}:{settings.XAPI_PASSWORD}".encode()
        ).decode()
        headers["Authorization"] = f"Basic {token}"
    return headers


def _http_post(url: str, body: bytes, headers: dict[str, str]) -> str | None:
    """POST to the LRS; None when it took the statements, else what went wrong."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.XAPI_TIMEOUT) as response:
            if 200 <= response.status < 300:
                return None
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        if exc.code == 409:
            return None  # the LRS has these statement ids already
        return f"HTTP {exc.code}: {exc.read(200).decode(errors='replace')}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
