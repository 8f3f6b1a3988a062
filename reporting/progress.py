"""Where one trainee stands, module by module, for their home page and a manager's drill-down:
procedures read, best quiz score, calls passed, the certificate, and the next step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext

from certification.models import Certification, CertificationStatus
from quizzes.models import Attempt, Quiz
from reporting.dashboard import BADGES, latest_certifications, status_label
from scenarios.models import Run, Scenario
from training.models import Module, Procedure, ProcedureRead


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
        .prefetch_related(
            "certification_policy__required_quizzes", "certification_policy__required_scenarios"
        )
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
            # Read with the modules (prefetched): no query per module.
            wanted_quizzes = {q.pk for q in policy.required_quizzes.all()}
            wanted_calls = {s.pk for s in policy.required_scenarios.all()}
            quizzes = [q for q in quizzes_by_module.get(module.pk, []) if q.pk in wanted_quizzes]
            scenarios = [s for s in scenarios_by_module.get(module.pk, []) if s.pk in wanted_calls]
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
