"""Exports for managers: the certification matrix and every graded attempt and call of a
scope, as rows streamed to a CSV response."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from quizzes.models import Attempt
from reporting.dashboard import latest_certifications
from reporting.scope import Scope, trainees_in
from scenarios.models import Run
from training.models import Module

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Written first in every CSV file, so that Excel reads it as UTF-8.
BOM = "\ufeff"


def local(moment: datetime) -> str:
    """A moment as the site shows it: in the site's time zone, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def neutralised(row: list) -> list:
    """The row with every text cell that a spreadsheet would run as a formula prefixed with an
    apostrophe, which shows the text as written and runs nothing."""
    return [
        f"'{cell}" if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell
        for cell in row
    ]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def matrix_csv_rows(scope: Scope, now: datetime | None = None):
    """The whole matrix for the scope (not one page): a header, then one row per trainee with
    each module's status and expiry date. Streams; three queries."""
    now = now or timezone.now()
    modules = list(Module.objects.order_by("order", "slug"))
    latest = {
        (c["trainee_id"], c["module_id"]): c
        for c in scope.restrict(latest_certifications(None, now), "trainee").values(
            "trainee_id", "module_id", "status", "expires_at"
        )
    }
    header = ["username", "name"]
    for module in modules:
        header += [f"{module.slug} status", f"{module.slug} expires"]
    yield header
    for trainee in trainees_in(scope).iterator(chunk_size=2000):
        row = [trainee.get_username(), _name(trainee)]
        for module in modules:
            found = latest.get((trainee.pk, module.pk))
            if found:
                row += [found["status"], timezone.localdate(found["expires_at"]).isoformat()]
            else:
                row += ["not_certified", ""]
        yield row


def attempts_csv_rows(scope: Scope):
    """Every graded quiz attempt and counted call of the scope's trainees, oldest first."""
    yield [
        "username",
        "name",
        "kind",
        "module",
        "item",
        "number",
        "finished_at",
        "score",
        "passed",
        "critical_errors",
    ]
    attempts = (
        scope.restrict(Attempt.objects.graded())
        .select_related("user", "quiz__module")
        .only(
            "number",
            "submitted_at",
            "score",
            "passed",
            "user__username",
            "user__first_name",
            "user__last_name",
            "quiz__slug",
            "quiz__module__slug",
        )
        .order_by("submitted_at", "pk")
    )
    for attempt in attempts.iterator(chunk_size=2000):
        yield [
            attempt.user.get_username(),
            _name(attempt.user),
            "quiz",
            attempt.quiz.module.slug,
            attempt.quiz.slug,
            attempt.number,
            local(attempt.submitted_at),
            attempt.score,
            "yes" if attempt.passed else "no",
            "",
        ]
    runs = (
        scope.restrict(Run.objects.counted().graded())
        .select_related("user", "scenario__module")
        .only(
            "finished_at",
            "score",
            "passed",
            "critical_errors",
            "user__username",
            "user__first_name",
            "user__last_name",
            "scenario__slug",
            "scenario__module__slug",
        )
        .order_by("finished_at", "pk")
    )
    for run in runs.iterator(chunk_size=2000):
        yield [
            run.user.get_username(),
            _name(run.user),
            "call",
            run.scenario.module.slug,
            run.scenario.slug,
            "",
            local(run.finished_at),
            run.score,
            "yes" if run.passed else "no",
            run.critical_errors,
        ]


def export_rows(kind: str, scope: Scope):
    """The rows of an export of ``kind`` (header first) and how many data rows it will have."""
    if kind == "matrix":
        return matrix_csv_rows(scope), trainees_in(scope).count()
    attempts = scope.restrict(Attempt.objects.graded()).count()
    runs = scope.restrict(Run.objects.counted().graded()).count()
    return attempts_csv_rows(scope), attempts + runs
