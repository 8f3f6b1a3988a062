"""Reads behind the manager's dashboard and the trainee's home: who may be seen, the trainee by
module matrix, per-module figures, expiring certificates and the behaviours a team misses.

Every figure is aggregated in the database (``values().annotate()``) over the scope's members
as a subquery, so the number of queries is the same for five trainees or five thousand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quizzes.models import Attempt, Quiz
from scenarios.models import Run, Scenario
from training.models import (
    Behavior,
    BehaviorDailyTally,
    Certification,
    CertificationStatus,
    Judgement,
    Module,
    ModuleActivity,
    Procedure,
    ProcedureRead,
    Team,
)
from training.services import policy_requirements

User = get_user_model()

# "Keeps missing" is about now: behaviour outcomes older than this are left out.
MISSED_WINDOW_DAYS = 90
MATRIX_PAGE_SIZE = 100
EXPIRING_LIST_SIZE = 50

# Statuses that count as "certified" in counts and rates.
CERTIFIED = (CertificationStatus.VALID, CertificationStatus.EXPIRING_SOON)

BADGES = {
    "valid": "text-bg-success",
    "expiring_soon": "text-bg-warning",
    "expired": "text-bg-secondary",
    "revoked": "text-bg-danger",
    "superseded": "text-bg-info",
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


# --- who may be seen -----------------------------------------------------------------------


@dataclass
class Scope:
    """The trainees a manager may see: members of the teams they manage, all of them or one;
    for staff, everyone."""

    teams: list[Team]
    team: Team | None = None
    everyone: bool = False

    @property
    def team_ids(self) -> list[int]:
        return [self.team.pk] if self.team else [t.pk for t in self.teams]

    def member_ids(self) -> QuerySet:
        """A subquery of the user ids in scope; never a Python list of thousands of ids."""
        memberships = Team.members.through.objects.all()
        if not (self.everyone and self.team is None):
            memberships = memberships.filter(team_id__in=self.team_ids)
        return memberships.values("user_id")

    @property
    def covers_everyone(self) -> bool:
        """Organisation-wide: figures come from the reporting rollups."""
        return self.everyone and self.team is None

    def restrict(self, queryset: QuerySet, field: str = "user") -> QuerySet:
        if self.covers_everyone:
            return queryset
        return queryset.filter(**{f"{field}_id__in": self.member_ids()})


def teams_visible_to(user) -> QuerySet:
    teams = Team.objects.all() if user.is_staff else Team.objects.filter(managers=user)
    return teams.annotate(member_count=Count("members", distinct=True)).order_by("name")


def scope_for(user, team_id: int | None = None) -> Scope | None:
    """The user's scope, narrowed to one team if asked; None when that team is not theirs."""
    teams = list(teams_visible_to(user))
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            return None
    return Scope(teams=teams, team=team, everyone=user.is_staff)


def trainee_visible_to(user, trainee_id: int) -> bool:
    if user.is_staff:
        return True
    return Team.objects.filter(managers=user, members=trainee_id).exists()


def trainees_in(scope: Scope) -> QuerySet:
    return User.objects.filter(pk__in=scope.member_ids()).order_by(
        "last_name", "first_name", "username"
    )


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
    """Per team and module, how many members hold a standing certificate: one query."""
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
    return [
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


# --- one trainee -------------------------------------------------------------------------------


@dataclass
class ModuleProgress:
    """Where one trainee stands on one module, for their home page and the drill-down."""

    module: Module
    procedures_total: int
    procedures_read: int
    best_quiz_score: float | None
    quizzes_total: int
    quizzes_passed: int
    calls_total: int
    calls_passed: int
    certification: Certification | None
    status: str
    next_step: tuple[str, str] | None = None  # (label, url)

    @property
    def label(self):
        return status_label(self.status)

    @property
    def badge(self) -> str:
        return BADGES[self.status]


def trainee_progress(trainee, now: datetime) -> list[ModuleProgress]:
    """Per module: procedures read, best quiz score, calls passed of those required, the
    certificate and what to do next. A fixed handful of queries, whatever the history."""
    modules = list(
        Module.objects.select_related("certification_policy")
        .annotate(procedure_count=Count("procedures", distinct=True))
        .order_by("order", "slug")
    )
    read = dict(
        ProcedureRead.objects.filter(trainee=trainee)
        .values("procedure__module_id")
        .annotate(n=Count("pk"))
        .values_list("procedure__module_id", "n")
    )
    unread = {}
    for procedure in (
        Procedure.objects.exclude(reads__trainee=trainee)
        .select_related("module")
        .order_by("module__order", "order", "slug")
    ):
        unread.setdefault(procedure.module_id, procedure)
    best_quiz = {
        row["quiz_id"]: row
        for row in Attempt.objects.graded()
        .filter(user=trainee)
        .values("quiz_id")
        .annotate(best=Max("score"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    }
    calls = dict(
        Run.objects.counted()
        .passed()
        .filter(user=trainee)
        .values("scenario_id")
        .annotate(n=Count("pk"))
        .values_list("scenario_id", "n")
    )
    latest = {
        c.module_id: c for c in latest_certifications([trainee.pk], now).select_related("module")
    }
    quizzes_by_module: dict[int, list] = {}
    for quiz in Quiz.objects.published().order_by("slug"):
        quizzes_by_module.setdefault(quiz.module_id, []).append(quiz)
    scenarios_by_module: dict[int, list] = {}
    for scenario in Scenario.objects.active().order_by("order", "slug"):
        scenarios_by_module.setdefault(scenario.module_id, []).append(scenario)

    progress = []
    for module in modules:
        policy = getattr(module, "certification_policy", None)
        if policy is not None and not policy.require_all_content:
            required = {(r.kind, r.item_id) for r in policy_requirements(policy)}
            quizzes = [
                q for q in quizzes_by_module.get(module.pk, []) if ("quiz", q.pk) in required
            ]
            scenarios = [
                s for s in scenarios_by_module.get(module.pk, []) if ("call", s.pk) in required
            ]
        else:
            quizzes = quizzes_by_module.get(module.pk, [])
            scenarios = scenarios_by_module.get(module.pk, [])
        scores = [float(best_quiz[q.pk]["best"]) for q in quizzes if q.pk in best_quiz]
        quizzes_passed = sum(1 for q in quizzes if best_quiz.get(q.pk, {}).get("passed"))
        calls_passed = sum(1 for s in scenarios if calls.get(s.pk))
        certification = latest.get(module.pk)
        if certification is not None:
            status = certification.status
        elif scores or calls_passed:
            status = "in_progress"
        else:
            status = "not_started"
        next_step = _next_step(
            module,
            status,
            unread.get(module.pk),
            quizzes,
            scenarios,
            passed_quizzes={q.pk for q in quizzes if best_quiz.get(q.pk, {}).get("passed")},
            passed_calls={s.pk for s in scenarios if calls.get(s.pk)},
        )
        progress.append(
            ModuleProgress(
                module=module,
                procedures_total=module.procedure_count,
                procedures_read=read.get(module.pk, 0),
                best_quiz_score=max(scores) if scores else None,
                quizzes_total=len(quizzes),
                quizzes_passed=quizzes_passed,
                calls_total=len(scenarios),
                calls_passed=calls_passed,
                certification=certification,
                status=status,
                next_step=next_step,
            )
        )
    return progress


RENEWABLE = ("expiring_soon", "expired", "revoked", "superseded")


def _next_step(module, status, first_unread, quizzes, scenarios, *, passed_quizzes, passed_calls):
    """The one link that moves the trainee forward on this module, if any."""
    if status == CertificationStatus.VALID:
        return None
    if status in RENEWABLE:
        # A renewal needs fresh results: the quiz first, then the calls.
        if quizzes:
            return (
                gettext("Renew: take the quiz “%(title)s” again") % {"title": quizzes[0].title},
                reverse("quizzes:quiz_detail", args=[quizzes[0].slug]),
            )
        return (gettext("Renew: review the module"), module.get_absolute_url())
    if first_unread is not None:
        return (
            gettext("Read “%(title)s”") % {"title": first_unread.title},
            first_unread.get_absolute_url(),
        )
    quiz = next((q for q in quizzes if q.pk not in passed_quizzes), None)
    if quiz is not None:
        return (
            gettext("Take the quiz “%(title)s”") % {"title": quiz.title},
            reverse("quizzes:quiz_detail", args=[quiz.slug]),
        )
    call = next((s for s in scenarios if s.pk not in passed_calls), None)
    if call is not None:
        return (
            gettext("Take the call “%(title)s”") % {"title": call.title},
            reverse("scenarios:detail", args=[call.slug]),
        )
    return None


def trainee_attempts(trainee, limit: int = 200) -> list[Attempt]:
    return list(
        Attempt.objects.graded()
        .filter(user=trainee)
        .select_related("quiz__module")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def trainee_runs(trainee, limit: int = 200) -> list[Run]:
    return list(
        Run.objects.counted()
        .graded()
        .filter(user=trainee)
        .select_related("scenario__module")
        .order_by("-finished_at", "-pk")[:limit]
    )


# --- exports -------------------------------------------------------------------------------------


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
                row += [found["status"], found["expires_at"].date().isoformat()]
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
            attempt.submitted_at.isoformat(),
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
            run.finished_at.isoformat(),
            run.score,
            "yes" if run.passed else "no",
            run.critical_errors,
        ]
