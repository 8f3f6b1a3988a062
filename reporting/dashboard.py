"""Reads behind the manager's dashboard: the trainee by module matrix, per-module figures,
expiring certificates, team summaries and the behaviours a team misses.

Every figure is aggregated in the database (``values().annotate()``) over the scope's members
as a subquery, so the number of queries is the same for five trainees or five thousand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.models import Certification, CertificationStatus
from certification.templatetags.certificates import BADGES as CERTIFICATE_BADGES
from quizzes.models import Attempt
from reporting.models import BehaviorDailyTally, ModuleActivity
from reporting.scope import Scope
from scenarios.models import Run
from training.models import Behavior, Judgement, Module, Team

User = get_user_model()

# "Keeps missing" is about now: judgements older than this are left out.
MISSED_WINDOW_DAYS = 90
MATRIX_PAGE_SIZE = 100
# The organisation's teams shown at once, those that most need attention first.
TEAM_SUMMARY_SIZE = 20
EXPIRING_LIST_SIZE = 50

# Statuses that count as "certified" in counts and rates.
CERTIFIED = (CertificationStatus.VALID, CertificationStatus.EXPIRING_SOON)

BADGES = {
    **{str(status): badge for status, badge in CERTIFICATE_BADGES.items()},
    "in_progress": "text-bg-light border",
    "not_started": "bg-transparent text-body-secondary border",
}
PROGRESS_LABELS = {
    "in_progress": _("In progress"),
    "not_started": _("Not started"),
}


def status_label(status: str):
    if status in PROGRESS_LABELS:
        return PROGRESS_LABELS[status]
    return CertificationStatus(status).label


# --- the matrix ------------------------------------------------------------------------------


@dataclass
class Cell:
    module: Module
    status: str
    label: str
    expires_at: datetime | None = None
    title: str = ""

    @property
    def badge(self) -> str:
        return BADGES[self.status]


@dataclass
class MatrixRow:
    trainee: object
    cells: list[Cell]


def latest_certifications(trainee_ids, now: datetime) -> QuerySet:
    """Each trainee's latest certificate per module, with its status annotated."""
    certifications = Certification.objects.latest_per_module().with_status(now)
    if trainee_ids is not None:
        certifications = certifications.filter(trainee_id__in=trainee_ids)
    return certifications


def _activity(trainee_ids) -> set[tuple[int, int]]:
    """(trainee, module) pairs with at least one graded attempt or counted run."""
    attempts = (
        Attempt.objects.graded()
        .filter(user_id__in=trainee_ids)
        .values_list("user_id", "quiz__module_id")
        .order_by()
        .distinct()
    )
    runs = (
        Run.objects.counted()
        .graded()
        .filter(user_id__in=trainee_ids)
        .values_list("user_id", "scenario__module_id")
        .order_by()
        .distinct()
    )
    return set(attempts.union(runs))


def module_matrix(trainees: list, modules: list[Module], now: datetime) -> list[MatrixRow]:
    """One row per trainee, one cell per module: the latest certificate's status, else
    whether they have started. Two queries, whatever the number of trainees."""
    ids = [t.pk for t in trainees]
    latest = {
        (c["trainee_id"], c["module_id"]): c
        for c in latest_certifications(ids, now).values(
            "trainee_id", "module_id", "status", "expires_at", "code"
        )
    }
    active = _activity(ids) if ids else set()
    # Labels and dates are formatted once per value, not once per cell.
    labels = {status: str(status_label(status)) for status in BADGES}
    expires = gettext("Expires")

    @functools.cache
    def title(day) -> str:
        return f"{expires} {date_format(day, 'SHORT_DATE_FORMAT')}"

    rows = []
    for trainee in trainees:
        cells = []
        for module in modules:
            found = latest.get((trainee.pk, module.pk))
            if found:
                status = found["status"]
                day = timezone.localtime(found["expires_at"]).date()
                cell = Cell(module, status, labels[status], found["expires_at"], title(day))
            elif (trainee.pk, module.pk) in active:
                cell = Cell(module, "in_progress", labels["in_progress"])
            else:
                cell = Cell(module, "not_started", labels["not_started"])
            cells.append(cell)
        rows.append(MatrixRow(trainee, cells))
    return rows


# --- per-module figures ----------------------------------------------------------------------


@dataclass
class ModuleSummary:
    module: Module
    trainees: int
    by_status: dict[str, int] = field(default_factory=dict)
    quiz_attempts: int = 0
    quiz_passed: int = 0
    call_runs: int = 0
    call_passed: int = 0

    @property
    def certified(self) -> int:
        return sum(self.by_status.get(s, 0) for s in CERTIFIED)

    @property
    def expiring_soon(self) -> int:
        return self.by_status.get(CertificationStatus.EXPIRING_SOON, 0)

    @property
    def expired(self) -> int:
        return self.by_status.get(CertificationStatus.EXPIRED, 0)

    @property
    def certified_percent(self) -> int:
        return _percent(self.certified, self.trainees)

    @property
    def quiz_pass_rate(self) -> int | None:
        return _percent(self.quiz_passed, self.quiz_attempts) if self.quiz_attempts else None

    @property
    def call_pass_rate(self) -> int | None:
        return _percent(self.call_passed, self.call_runs) if self.call_runs else None


# Organisation-wide figures are read from every certificate of the company: kept this long in
# the cache (the page says as of when), where a team's are read on every view.
ORGANISATION_FIGURES_SECONDS = 60


def overview(scope: Scope, modules: list[Module], trainee_count: int, now: datetime) -> dict:
    """The dashboard's figures above the matrix: per module, expiring certificates, behaviours
    missed most and, over several teams, the teams needing attention. Organisation-wide they
    are computed at most once a minute, however many heads look."""
    if not scope.covers_everyone:
        return _overview(scope, modules, trainee_count, now)
    return cache.get_or_set(
        f"dashboard:everyone:{trainee_count}:{','.join(str(m.pk) for m in modules)}",
        lambda: _overview(scope, modules, trainee_count, now) | {"figures_at": now},
        timeout=ORGANISATION_FIGURES_SECONDS,
    )


def organisation_headcount(trainees: QuerySet) -> int:
    """How many trainees the whole organisation has, kept as long as its figures."""
    return cache.get_or_set(
        "dashboard:everyone:headcount", trainees.count, timeout=ORGANISATION_FIGURES_SECONDS
    )


def _overview(scope: Scope, modules: list[Module], trainee_count: int, now: datetime) -> dict:
    summaries = module_summaries(scope, modules, trainee_count, now)
    teams = (
        team_summaries(scope, modules, now) if scope.team is None and len(scope.teams) > 1 else []
    )
    return {
        "summaries": summaries,
        "expiring": expiring_certifications(scope, now),
        "expiring_total": sum(s.expiring_soon for s in summaries),
        "missed": missed_behaviors(scope, now),
        "team_summaries": teams[:TEAM_SUMMARY_SIZE],
        "teams_left_out": max(len(teams) - TEAM_SUMMARY_SIZE, 0),
    }


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def module_summaries(
    scope: Scope, modules: list[Module], trainee_count: int, now: datetime
) -> list[ModuleSummary]:
    """Certificates by status, and attempt and call pass rates, per module: two queries."""
    summaries = {m.pk: ModuleSummary(m, trainee_count) for m in modules}
    statuses = (
        scope.restrict(latest_certifications(None, now), "trainee")
        .values("module_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in statuses:
        if row["module_id"] in summaries:
            summaries[row["module_id"]].by_status[row["status"]] = row["n"]
    if scope.covers_everyone:
        _rates_from_activity(summaries)
        return list(summaries.values())
    quiz_rates = (
        scope.restrict(Attempt.objects.graded())
        .values(module=F("quiz__module_id"))
        .annotate(kind=Value("quiz"), total=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    call_rates = (
        scope.restrict(Run.objects.counted().graded())
        .values(module=F("scenario__module_id"))
        .annotate(kind=Value("call"), total=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    for row in quiz_rates.union(call_rates, all=True):
        summary = summaries.get(row["module"])
        if summary is None:
            continue
        if row["kind"] == "quiz":
            summary.quiz_attempts, summary.quiz_passed = row["total"], row["passed"]
        else:
            summary.call_runs, summary.call_passed = row["total"], row["passed"]
    return list(summaries.values())


def _rates_from_activity(summaries: dict[int, ModuleSummary]) -> None:
    """Organisation-wide counts from the per-trainee rollup instead of every attempt."""
    rows = (
        ModuleActivity.objects.values("module_id")
        .annotate(
            quiz_attempts=Sum("quiz_attempts"),
            quiz_passed=Sum("quiz_passed"),
            call_runs=Sum("call_runs"),
            call_passed=Sum("call_passed"),
        )
        .order_by()
    )
    for row in rows:
        summary = summaries.get(row["module_id"])
        if summary is not None:
            summary.quiz_attempts, summary.quiz_passed = row["quiz_attempts"], row["quiz_passed"]
            summary.call_runs, summary.call_passed = row["call_runs"], row["call_passed"]


def expiring_certifications(scope: Scope, now: datetime, limit: int = EXPIRING_LIST_SIZE):
    """Standing certificates that expire within 30 days, soonest first."""
    return list(
        scope.restrict(latest_certifications(None, now), "trainee")
        .filter(status=CertificationStatus.EXPIRING_SOON)
        .select_related("trainee", "module")
        .order_by("expires_at", "pk")[:limit]
    )


@dataclass
class TeamSummary:
    team: Team
    cells: list[tuple[int, int]]  # per module: members holding a standing certificate, percent


def team_summaries(scope: Scope, modules: list[Module], now: datetime) -> list[TeamSummary]:
    """Per team and module, how many members hold a standing certificate: one query. Teams
    that most need attention (lowest mean share certified) come first."""
    teams = scope.teams if scope.team is None else [scope.team]
    counts: dict[int, dict[int, int]] = {t.pk: {} for t in teams}
    rows = (
        latest_certifications(None, now)
        .filter(status__in=CERTIFIED, trainee__teams__in=[t.pk for t in teams])
        .values("trainee__teams", "module_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["trainee__teams"], {})[row["module_id"]] = row["n"]
    summaries = [
        TeamSummary(
            team,
            [
                (
                    counts[team.pk].get(m.pk, 0),
                    _percent(counts[team.pk].get(m.pk, 0), team.member_count),
                )
                for m in modules
            ],
        )
        for team in teams
    ]
    summaries.sort(key=lambda s: (sum(p for _, p in s.cells) / max(len(s.cells), 1), s.team.name))
    return summaries


# --- behaviours missed -------------------------------------------------------------------------


@dataclass
class MissedBehavior:
    behavior: Behavior
    quiz_missed: int
    quiz_total: int
    call_missed: int
    call_total: int

    @property
    def missed(self) -> int:
        return self.quiz_missed + self.call_missed

    @property
    def total(self) -> int:
        return self.quiz_total + self.call_total

    @property
    def miss_rate(self) -> int:
        return _percent(self.missed, self.total)


def missed_behaviors(scope: Scope, now: datetime, limit: int = 10) -> list[MissedBehavior]:
    """The behaviours most often missed lately, from quizzes and calls together."""
    since = now - timedelta(days=MISSED_WINDOW_DAYS)

    if scope.covers_everyone:
        rows = (
            BehaviorDailyTally.objects.filter(day__gte=timezone.localdate(since))
            .values("behavior_id", kind=F("source"))
            .annotate(total=Sum("total"), missed=Sum("missed"))
            .order_by()
        )
    else:
        rows = (
            scope.restrict(Judgement.objects.filter(judged_at__gte=since), "trainee")
            .values("behavior_id", kind=F("source"))
            .annotate(total=Count("pk"), missed=Count("pk", filter=~Q(verdict="kept")))
            .order_by()
        )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        entry = counts.setdefault(row["behavior_id"], {})
        entry[f"{row['kind']}_missed"] = row["missed"]
        entry[f"{row['kind']}_total"] = row["total"]
    ranked = sorted(
        (
            item
            for item in counts.items()
            if item[1].get("quiz_missed", 0) + item[1].get("call_missed", 0)
        ),
        key=lambda item: (
            -(item[1].get("quiz_missed", 0) + item[1].get("call_missed", 0)),
            item[0],
        ),
    )[:limit]
    behaviors = Behavior.objects.select_related("procedure__module").in_bulk(
        [pk for pk, _ in ranked]
    )
    return [
        MissedBehavior(
            behavior=behaviors[pk],
            quiz_missed=c.get("quiz_missed", 0),
            quiz_total=c.get("quiz_total", 0),
            call_missed=c.get("call_missed", 0),
            call_total=c.get("call_total", 0),
        )
        for pk, c in ranked
        if pk in behaviors
    ]


# --- who missed a behaviour ----------------------------------------------------------------------


@dataclass
class Miss:
    """One trainee's misses of a behaviour lately, and where the latest one happened."""

    trainee: object
    count: int
    last: datetime
    source: str
    record: int
    place: int | None

    @property
    def anchor(self) -> str:
        """Where the review opens: the call turn or the question that missed it."""
        if self.place is None:
            return ""
        return f"#turn-{self.place}" if self.source == "call" else f"#review-{self.place}"


def behavior_misses(scope: Scope, behavior: Behavior, now: datetime, limit: int = 200) -> list:
    """Trainees in scope who missed or violated ``behavior`` lately, most misses first, each
    with their latest miss (three queries, whatever the team's size)."""
    since = now - timedelta(days=MISSED_WINDOW_DAYS)
    misses = scope.restrict(
        Judgement.objects.not_kept().filter(behavior=behavior, judged_at__gte=since), "trainee"
    )
    counts = list(
        misses.values("trainee_id")
        .annotate(count=Count("pk"), last=Max("judged_at"))
        .order_by("-count", "-last", "trainee_id")[:limit]
    )
    ids = [row["trainee_id"] for row in counts]
    latest: dict[int, Judgement] = {}
    for judgement in (
        misses.filter(trainee_id__in=ids)
        .only("trainee_id", "source", "record", "place", "judged_at")
        .order_by("trainee_id", "-judged_at", "-pk")
    ):
        latest.setdefault(judgement.trainee_id, judgement)
    people = User.objects.in_bulk(ids)
    return [
        Miss(
            trainee=people[row["trainee_id"]],
            count=row["count"],
            last=row["last"],
            source=latest[row["trainee_id"]].source,
            record=latest[row["trainee_id"]].record,
            place=latest[row["trainee_id"]].place,
        )
        for row in counts
    ]


# --- matrix filters ------------------------------------------------------------------------------

# What the matrix can be narrowed to: certified in the module chosen (or in any), not certified.
CERTIFIED = (str(CertificationStatus.VALID), str(CertificationStatus.EXPIRING_SOON))


def filter_trainees(
    trainees: QuerySet,
    now: datetime,
    *,
    module: Module | None = None,
    status: str = "",
    expiring_days: int | None = None,
) -> QuerySet:
    """Narrow the matrix's trainees: ``certified`` / ``not_certified`` in ``module`` (in every
    module when none is chosen: certified in at least one / in none), and ``expiring_days``:
    holding a certificate (of ``module``, or any) that expires within that many days."""
    held = latest_certifications(None, now).filter(status__in=CERTIFIED)
    if module is not None:
        held = held.filter(module=module)
    if status == "certified":
        trainees = trainees.filter(pk__in=held.values("trainee_id"))
    elif status == "not_certified":
        trainees = trainees.exclude(pk__in=held.values("trainee_id"))
    if expiring_days is not None:
        soon = held.filter(expires_at__gt=now, expires_at__lte=now + timedelta(days=expiring_days))
        trainees = trainees.filter(pk__in=soon.values("trainee_id"))
    return trainees


def by_certificates(trainees: QuerySet, now: datetime, *, fewest_first: bool) -> QuerySet:
    """The matrix ordered by how many modules each trainee holds a standing certificate in
    (then by name), so who needs attention comes first, or who is furthest along."""
    standing = Count(
        "certifications",
        filter=Q(
            certifications__is_current=True,
            certifications__revoked_at__isnull=True,
            certifications__expires_at__gt=now,
        ),
    )
    held = "held" if fewest_first else "-held"
    return trainees.annotate(held=standing).order_by(held, "last_name", "first_name", "username")
