"""Week by week: how often a team's quizzes and calls pass, the first attempt against every
attempt, and how often one behaviour is kept. Read from the graded records in scope, for the
last weeks only, in two grouped queries (one per record kind); organisation-wide, kept for
ten minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from quizzes.models import Attempt
from reporting.scope import Scope
from scenarios.models import Run
from training.models import Judgement

WEEKS = 12


@dataclass(frozen=True)
class Week:
    start: date
    passed: float | None  # every graded quiz and call of the week, % passed
    first_try: float | None  # first attempts at a quiz, % passed
    graded: int


def _weeks(now: datetime) -> list[date]:
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=k) for k in range(WEEKS - 1, -1, -1)]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def team_trend(scope: Scope, now: datetime) -> list[Week]:
    """The last weeks of a scope. Organisation-wide it reads every graded record of the
    weeks, so that figure is kept for ten minutes; a team's is read each time."""
    weeks = _weeks(now)
    if scope.covers_everyone:
        key = f"trend:everyone:{weeks[-1]}"
        found = cache.get(key)
        if found is None:
            found = _trend(scope, weeks)
            cache.set(key, found, timeout=600)
        return found
    return _trend(scope, weeks)


def _trend(scope: Scope, weeks: list[date]) -> list[Week]:
    since = timezone.make_aware(datetime.combine(weeks[0], datetime.min.time()))
    counts: dict[date, list[int]] = {w: [0, 0, 0, 0] for w in weeks}
    attempts = (
        scope.restrict(Attempt.objects.graded().filter(submitted_at__gte=since))
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(
            n_total=Count("pk"),
            n_passed=Count("pk", filter=Q(passed=True)),
            n_first=Count("pk", filter=Q(number=1)),
            n_first_passed=Count("pk", filter=Q(number=1, passed=True)),
        )
        .order_by()
    )
    runs = (
        scope.restrict(Run.objects.counted().graded().filter(finished_at__gte=since))
        .annotate(week=TruncWeek("finished_at"))
        .values("week")
        .annotate(n_total=Count("pk"), n_passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    for row in attempts:
        entry = counts.get(_day(row["week"]))
        if entry:
            entry[0] += row["n_total"]
            entry[1] += row["n_passed"]
            entry[2] += row["n_first"]
            entry[3] += row["n_first_passed"]
    for row in runs:
        entry = counts.get(_day(row["week"]))
        if entry:
            entry[0] += row["n_total"]
            entry[1] += row["n_passed"]
    return [
        Week(start=w, passed=_percent(c[1], c[0]), first_try=_percent(c[3], c[2]), graded=c[0])
        for w, c in counts.items()
    ]


def behavior_trend(scope: Scope, behavior, now: datetime) -> list[tuple[date, float | None, int]]:
    """Per week, the share of judgements of ``behavior`` in scope that kept it."""
    weeks = _weeks(now)
    since = timezone.make_aware(datetime.combine(weeks[0], datetime.min.time()))
    rows = (
        scope.restrict(Judgement.objects.filter(behavior=behavior, judged_at__gte=since), "trainee")
        .annotate(week=TruncWeek("judged_at"))
        .values("week")
        .annotate(total=Count("pk"), kept=Count("pk", filter=Q(verdict="kept")))
        .order_by()
    )
    by_week = {_day(r["week"]): (r["kept"], r["total"]) for r in rows}
    return [(w, _percent(*by_week.get(w, (0, 0))), by_week.get(w, (0, 0))[1]) for w in weeks]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value
