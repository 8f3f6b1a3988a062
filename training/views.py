"""Role homes, curriculum reading pages and the health check."""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quizzes.models import Quiz
from scenarios.models import Scenario
from training import analytics, item_analysis, selectors, services
from training.models import Behavior, Certification, CertificationStatus, Module, Procedure
from training.roles import ROLE_PERMISSIONS, Role, role_required, roles_of

ROLE_HOMES = {
    Role.TRAINEE: "training:my_modules",
    Role.TRAINER: "training:authoring",
    Role.MANAGER: "training:dashboard",
}


@login_required
def home(request):
    roles = roles_of(request.user)
    if not roles:
        return render(request, "training/no_role.html")
    return redirect(ROLE_HOMES[roles[0]])


@role_required(Role.TRAINEE)
def my_modules(request):
    progress = analytics.trainee_progress(request.user, timezone.now())
    return render(request, "training/my_modules.html", {"progress": progress})


@role_required(Role.TRAINER)
def authoring(request):
    modules = selectors.modules_for_authoring()
    return render(request, "training/authoring.html", {"modules": modules})


@require_GET
@role_required(Role.TRAINER)
def coverage(request):
    """Every behaviour of the manual with the questions and calls that judge it, gaps first."""
    rows = selectors.coverage_of(*selectors.coverage_sources())
    gaps = [row for row in rows if not row.ok]
    return render(
        request,
        "training/coverage.html",
        {"rows": gaps + [row for row in rows if row.ok], "gaps": len(gaps), "total": len(rows)},
    )


@role_required(Role.MANAGER)
def dashboard(request):
    scope = _scope_or_404(request)
    now = timezone.now()
    modules = list(Module.objects.order_by("order", "slug"))
    paginator = Paginator(analytics.trainees_in(scope), analytics.MATRIX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "modules": modules,
        "page": page,
        "matrix": analytics.module_matrix(list(page.object_list), modules, now),
        "team_query": f"team={scope.team.pk}&" if scope.team else "",
    }
    if request.htmx and request.htmx.target == "matrix":
        return render(request, "training/includes/matrix.html", context)
    summaries = analytics.module_summaries(scope, modules, paginator.count, now)
    context |= {
        "summaries": summaries,
        "expiring": analytics.expiring_certifications(scope, now),
        "expiring_total": sum(s.expiring_soon for s in summaries),
        "missed": analytics.missed_behaviors(scope, now),
        "missed_window": analytics.MISSED_WINDOW_DAYS,
        "team_summaries": (
            analytics.team_summaries(scope, modules, now)
            if scope.team is None and len(scope.teams) > 1
            else []
        ),
    }
    return render(request, "training/dashboard.html", context)


@login_required
def module_list(request):
    return render(
        request, "training/module_list.html", {"modules": selectors.modules_for_listing()}
    )


@login_required
def module_detail(request, slug):
    try:
        module = selectors.module_with_procedures(slug)
    except Module.DoesNotExist:
        raise Http404 from None
    return render(request, "training/module_detail.html", {"module": module})


@login_required
def procedure_detail(request, module_slug, slug):
    try:
        procedure = selectors.procedure_for_reading(module_slug, slug)
    except Procedure.DoesNotExist:
        raise Http404 from None
    previous, following = selectors.procedure_neighbours(procedure)
    if request.user.has_perm(ROLE_PERMISSIONS[Role.TRAINEE]):
        services.procedure_read_record(user=request.user, procedure=procedure)
    return render(
        request,
        "training/procedure_detail.html",
        {
            "procedure": procedure,
            "module": procedure.module,
            "behavior_groups": _behavior_groups(procedure.behaviors.all()),
            "previous": previous,
            "following": following,
        },
    )


@dataclass(frozen=True)
class BehaviorGroup:
    key: str
    title: str
    behaviors: list[Behavior]


# How a trainee reads the kinds: what never to do (on a QA scorecard, the critical errors)
# first, then what to say, ask, do, and how to treat the customer.
_GROUP_TITLES = {
    Behavior.Kind.VIOLATION: _("Never do"),
    Behavior.Kind.DISCLOSURE: _("Tell the customer"),
    Behavior.Kind.PROBE: _("Ask or collect"),
    Behavior.Kind.ACTION: _("Do in the systems"),
    Behavior.Kind.RAPPORT: _("Treat the customer"),
}


def _behavior_groups(behaviors) -> list[BehaviorGroup]:
    """Behaviours by kind, the violations first."""
    behaviors = list(behaviors)
    groups = [
        BehaviorGroup(kind, title, [b for b in behaviors if b.kind == kind])
        for kind, title in _GROUP_TITLES.items()
    ]
    return [group for group in groups if group.behaviors]


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


# --- certification, dashboards and item analysis ------------------------------------------


def _scope_or_404(request) -> analytics.Scope:
    """The teams the manager may see, narrowed by ``?team=``; 404 for a team not theirs."""
    raw = request.GET.get("team") or None
    try:
        team_id = int(raw) if raw is not None else None
    except ValueError:
        raise Http404 from None
    scope = analytics.scope_for(request.user, team_id)
    if scope is None:
        raise Http404
    return scope


def _get_trainee_for_manager(user, pk: int):
    trainee = get_object_or_404(get_user_model(), pk=pk)
    if not analytics.trainee_visible_to(user, trainee.pk):
        raise Http404
    return trainee


def _get_certification_for_user(user, code: str) -> Certification:
    """The trainee's own certificate, or one of a trainee the user manages; 404 otherwise."""
    certification = get_object_or_404(
        Certification.objects.select_related("trainee", "module__certification_policy"),
        code=code,
    )
    if certification.trainee_id != user.pk and not (
        user.has_perm(ROLE_PERMISSIONS[Role.MANAGER])
        and analytics.trainee_visible_to(user, certification.trainee_id)
    ):
        raise Http404
    return certification


@role_required(Role.MANAGER)
def dashboard_trainee(request, pk):
    trainee = _get_trainee_for_manager(request.user, pk)
    now = timezone.now()
    history = (
        Certification.objects.filter(trainee=trainee)
        .with_status(now)
        .select_related("module", "revoked_by")
        .order_by("-awarded_at", "-pk")
    )
    context = {
        "trainee": trainee,
        "progress": analytics.trainee_progress(trainee, now),
        "certifications": history,
        "attempts": analytics.trainee_attempts(trainee),
        "runs": analytics.trainee_runs(trainee),
        "revocable": (CertificationStatus.VALID, CertificationStatus.EXPIRING_SOON),
    }
    return render(request, "training/dashboard_trainee.html", context)


@require_POST
@role_required(Role.MANAGER)
def certification_revoke(request, code):
    certification = _get_certification_for_user(request.user, code)
    if certification.trainee_id == request.user.pk and not request.user.is_staff:
        raise Http404  # nobody revokes their own certificate
    try:
        services.certification_revoke(
            certification=certification, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate was revoked."))
    return redirect("training:dashboard_trainee", pk=certification.trainee_id)


def _csv_response(filename: str, rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV rows."""

    def write(self, value):
        return value


@role_required(Role.MANAGER)
def dashboard_matrix_csv(request):
    scope = _scope_or_404(request)
    return _csv_response("certification-matrix.csv", analytics.matrix_csv_rows(scope))


@role_required(Role.MANAGER)
def dashboard_attempts_csv(request):
    scope = _scope_or_404(request)
    return _csv_response("attempts.csv", analytics.attempts_csv_rows(scope))


@login_required
def certificate(request, code):
    certification = _get_certification_for_user(request.user, code)
    return render(
        request,
        "training/certificate.html",
        {
            "certification": certification,
            "status": certification.status_at(timezone.now()),
            "verify_url": request.build_absolute_uri(certification.get_verification_url()),
        },
    )


@never_cache
@require_GET
def verify(request, code):
    """Public proof of a certificate: who, what, when and whether it stands; nothing else."""
    certification = get_object_or_404(
        Certification.objects.select_related("trainee", "module__certification_policy"),
        code=code,
    )
    trainee = certification.trainee
    return render(
        request,
        "training/verify.html",
        {
            "holder": trainee.get_full_name() or trainee.get_username(),
            "module_title": certification.module.title,
            "awarded_at": certification.awarded_at,
            "expires_at": certification.expires_at,
            "status": certification.status_at(timezone.now()),
        },
    )


@role_required(Role.TRAINER)
def item_analysis_index(request):
    return render(
        request,
        "training/item_analysis_index.html",
        {
            "quizzes": Quiz.objects.select_related("module").order_by("module__order", "slug"),
            "scenarios": Scenario.objects.select_related("module").order_by(
                "module__order", "order", "slug"
            ),
        },
    )


@role_required(Role.TRAINER)
def item_analysis_quiz(request, slug):
    quiz = get_object_or_404(Quiz.objects.select_related("module"), slug=slug)
    analysis = item_analysis.quiz_analysis(quiz)
    return render(request, "training/item_analysis_quiz.html", {"analysis": analysis})


@role_required(Role.TRAINER)
def item_analysis_call(request, slug):
    scenario = get_object_or_404(Scenario.objects.select_related("module"), slug=slug)
    steps = item_analysis.call_analysis(scenario)
    return render(
        request, "training/item_analysis_call.html", {"scenario": scenario, "steps": steps}
    )
