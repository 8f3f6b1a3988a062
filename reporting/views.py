"""Reporting pages: the trainee's progress home, the trainers' overview, coverage and item
analysis, and the managers' dashboard, a trainee's drill-down and the exports."""

import csv
import itertools
import tempfile

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ProtectedError, RestrictedError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification.models import Certification, CertificationStatus
from quizzes import selectors as quiz_selectors
from quizzes.models import Attempt, Quiz
from reporting import (
    charts,
    exports,
    item_analysis,
    practice,
    progress,
    selectors,
    services,
    tasks,
    trends,
)
from reporting import dashboard as reports
from reporting.forms import AssignmentForm, ExportForm, MatrixFilterForm, PackUploadForm
from reporting.models import Assignment, Export, Notification
from reporting.scope import Scope, scope_for, trainees_in
from scenarios import services as call_services
from scenarios.models import Run, Scenario
from scenarios.review import review_of
from training.models import Behavior, Judgement, Module
from training.pack.loader import EditedInBrowser, load_pack
from training.pack.source import PackInvalid
from training.pack.upload import ArchiveRefused, unpacked
from training.replica import reads_from_replica
from training.roles import PUBLISH_CONTENT, Role, role_required
from training.selectors import teams_visible_to, trainee_visible_to


@require_GET
@role_required(Role.TRAINEE)
def my_modules(request):
    now = timezone.now()
    return render(
        request,
        "reporting/my_modules.html",
        {
            "progress": progress.trainee_progress(request.user, now),
            "practice": (missed := practice.practice_for(request.user, now)),
            "due": practice.due_for(
                request.user, now, exclude={item.behavior.pk for item in missed}
            ),
            "assignments": practice.assignments_for(request.user, now),
            "recertifications": practice.recertifications_for(request.user, now),
            "notifications": Notification.objects.filter(user=request.user, read_at__isnull=True)[
                :10
            ],
        },
    )


@require_POST
@role_required(Role.TRAINEE)
def drill_start(request):
    """A short drill of what the trainee is likely forgetting: the call that judges most of it,
    on a case of its facts they have not played."""
    drill = practice.drill_for(request.user, timezone.now())
    if drill is None:
        messages.info(request, _("Nothing is due for review right now."))
        return redirect("reporting:my_modules")
    run = call_services.run_start(user=request.user, scenario=drill.scenario, seed=drill.seed)
    return redirect(run)


@require_POST
@role_required(Role.TRAINEE)
def notifications_read(request):
    """Mark the trainee's reminders read (they stay in the database as the proof they were
    sent)."""
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("reporting:my_modules")


@require_GET
@role_required(Role.TRAINER)
@reads_from_replica
def authoring(request):
    modules = selectors.modules_for_authoring()
    return render(request, "reporting/authoring.html", {"modules": modules})


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def pack_upload(request):
    """A content pack uploaded as a zip: always checked and reported first (what it would
    create, update, retire, and which modules published in the browser it would overwrite);
    loaded only when asked, by a trainer with the publish permission."""
    form = PackUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        apply = form.cleaned_data["apply"]
        if apply and not request.user.has_perm(PUBLISH_CONTENT):
            raise PermissionDenied
        try:
            with unpacked(form.cleaned_data["archive"]) as root:
                report = load_pack(root, dry_run=not apply, force=form.cleaned_data["force"])
        except ArchiveRefused as exc:
            form.add_error("archive", str(exc))
        except PackInvalid as exc:
            context["errors"] = [str(e) for e in exc.errors]
        except EditedInBrowser as exc:
            context.update(report=exc.report, refused=True)
        except (ProtectedError, RestrictedError) as exc:
            context["errors"] = [str(exc.args[0])]
        else:
            context.update(report=report, applied=apply)
    return render(request, "reporting/pack_upload.html", context)


@require_GET
@role_required(Role.TRAINER)
def publications(request):
    """Every version of the content that went live, newest first: from the editor, a revert or
    a pack load, by whom, and which behaviours it changed."""
    page = Paginator(selectors.publications(), 50).get_page(request.GET.get("page"))
    return render(request, "reporting/publications.html", {"page": page})


@require_GET
@role_required(Role.TRAINER)
@reads_from_replica
def coverage(request):
    """Every behaviour of the manual with the questions and calls that judge it, gaps first."""
    rows = selectors.coverage_of(*selectors.coverage_sources())
    gaps = [row for row in rows if not row.ok]
    return render(
        request,
        "reporting/coverage.html",
        {"rows": gaps + [row for row in rows if row.ok], "gaps": len(gaps), "total": len(rows)},
    )


@require_GET
@role_required(Role.MANAGER)
@reads_from_replica
def dashboard(request):
    scope = _scope_or_404(request)
    now = timezone.now()
    modules = list(Module.objects.order_by("order", "slug"))
    filters = MatrixFilterForm(request.GET)
    trainees = trainees_in(scope)
    if filters.is_valid():
        trainees = reports.filter_trainees(
            trainees,
            now,
            module=filters.cleaned_data["module"],
            status=filters.cleaned_data["status"],
            expiring_days=filters.cleaned_data["expiring"],
        )
        if filters.cleaned_data["sort"]:
            trainees = reports.by_certificates(
                trainees, now, fewest_first=filters.cleaned_data["sort"] == "fewest"
            )
    paginator = Paginator(trainees, reports.MATRIX_PAGE_SIZE)
    if scope.covers_everyone and not (filters.is_valid() and any(filters.cleaned_data.values())):
        # Everyone in the company, counted at most once a minute like the figures above.
        paginator.count = reports.organisation_headcount(trainees)
    page = paginator.get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "scope": scope,
        "modules": modules,
        "page": page,
        "matrix": reports.module_matrix(list(page.object_list), modules, now),
        "team_query": f"{kept.urlencode()}&" if kept else "",
        "filters": filters,
    }
    if request.htmx and request.htmx.target == "matrix":
        return render(request, "reporting/includes/matrix.html", context)
    context |= reports.overview(scope, modules, paginator.count, now)
    context["missed_window"] = reports.MISSED_WINDOW_DAYS
    weeks = trends.team_trend(scope, now)
    context["trend"] = weeks
    context["trend_chart"] = charts.line_chart(
        [date_format(w.start, "d/m") for w in weeks],
        [
            charts.Series(_("Quizzes and calls passed"), [w.passed for w in weeks]),
            charts.Series(_("First attempts at a quiz passed"), [w.first_try for w in weeks]),
        ],
        title=_("Pass rate by week"),
    )
    return render(request, "reporting/dashboard.html", context)


@require_GET
@role_required(Role.MANAGER)
@reads_from_replica
def behavior_misses(request, code):
    """Who in the manager's teams missed this behaviour lately, and the review of each one's
    latest miss opened at the turn or question that missed it."""
    scope = _scope_or_404(request)
    behavior = get_object_or_404(Behavior.objects.select_related("procedure__module"), code=code)
    return render(
        request,
        "reporting/behavior_misses.html",
        {
            "scope": scope,
            "behavior": behavior,
            "misses": reports.behavior_misses(scope, behavior, timezone.now()),
            "predicted_miss": practice.predicted_miss_rate(
                scope.restrict(Judgement.objects.filter(behavior=behavior), "trainee"),
                timezone.now(),
            ),
            "trend": (weeks := trends.behavior_trend(scope, behavior, timezone.now())),
            "trend_chart": charts.line_chart(
                [date_format(week, "d/m") for week, _share, _n in weeks],
                [charts.Series(_("Kept"), [share for _week, share, _n in weeks])],
                title=_("How often it was kept, by week"),
            ),
            "window": reports.MISSED_WINDOW_DAYS,
            "team_query": f"?team={scope.team.pk}" if scope.team else "",
        },
    )


@require_GET
@role_required(Role.MANAGER)
@reads_from_replica
def trainee_review(request, pk, source, record):
    """A trainee's graded quiz attempt or call, as their own review shows it, for the manager
    who coaches them (read-only)."""
    trainee = _get_trainee_for_manager(request.user, pk)
    if source not in (Judgement.Source.QUIZ, Judgement.Source.CALL):
        raise Http404
    if source == Judgement.Source.CALL:
        run = get_object_or_404(
            Run.objects.counted().select_related("scenario", "version"),
            pk=record,
            user=trainee,
            finished_at__isnull=False,
        )
        context = {**review_of(run), "coached": trainee}
        return render(request, "scenarios/run_review.html", context)
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__module").exclude(status=Attempt.Status.IN_PROGRESS),
        pk=record,
        user=trainee,
    )
    return render(
        request,
        "quizzes/attempt_review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "standing": quiz_selectors.quiz_standing(quiz=attempt.quiz, user=trainee),
            "show_keys": True,
            "items": quiz_selectors.reviewed_items(attempt),
            "coached": trainee,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER)
def assignments(request):
    """The practice the manager assigned to their teams, and a form to assign more."""
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and request.POST.get("withdraw"):
        raw = request.POST["withdraw"]
        found = raw.isascii() and raw.isdigit() and len(raw) < 12
        if found and services.assignment_delete(user=request.user, assignment_id=int(raw)):
            messages.success(request, _("Assignment withdrawn."))
        else:
            messages.error(request, _("No such assignment of your teams: nothing was changed."))
        return redirect("reporting:assignments")
    if request.method == "POST" and form.is_valid():
        services.assignment_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("Assigned."))
        return redirect("reporting:assignments")
    listed = (
        Assignment.objects.filter(team__in=teams_visible_to(request.user))
        .select_related("team", "module", "scenario", "assigned_by")
        .order_by("due_on", "pk")
    )
    return render(request, "reporting/assignments.html", {"form": form, "assignments": listed})


def _scope_or_404(request) -> Scope:
    """The teams the manager may see, narrowed by ``?team=``; 404 for a team not theirs."""
    raw = request.GET.get("team") or None
    try:
        team_id = int(raw) if raw is not None else None
    except ValueError:
        raise Http404 from None
    scope = scope_for(request.user, team_id)
    if scope is None:
        raise Http404
    return scope


def _get_trainee_for_manager(user, pk: int):
    trainee = get_object_or_404(get_user_model(), pk=pk)
    if not trainee_visible_to(user, trainee.pk):
        raise Http404
    return trainee


@require_GET
@role_required(Role.MANAGER)
@reads_from_replica
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
        "progress": progress.trainee_progress(trainee, now),
        "certifications": history,
        "attempts": progress.trainee_attempts(trainee),
        "runs": progress.trainee_runs(trainee),
        "revocable": (CertificationStatus.VALID, CertificationStatus.EXPIRING_SOON),
    }
    return render(request, "reporting/dashboard_trainee.html", context)


def _csv_response(filename: str, rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    # A byte-order mark first, so Excel reads the file as UTF-8 (accents intact).
    lines = (writer.writerow(exports.neutralised(row)) for row in rows)
    response = StreamingHttpResponse(
        itertools.chain([exports.BOM], lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV rows."""

    def write(self, value):
        return value


# Beyond this many rows an export is written in the background: a request could run out of
# time half way and hand over a cut file that looks whole.
DIRECT_EXPORT_ROWS = 20_000
FILENAMES = {"matrix": "certification-matrix", "attempts": "attempts"}


def _export(request, kind: str, file_format: str):
    """The export at once when it is small; otherwise queued for the worker, and the
    manager sent to the exports page to follow it."""
    scope = _scope_or_404(request)
    rows, total = exports.export_rows(kind, scope)
    if total > DIRECT_EXPORT_ROWS:
        tasks.export_request(
            user=request.user,
            kind=kind,
            file_format=file_format,
            team_id=scope.team.pk if scope.team else None,
        )
        messages.info(
            request,
            _("This export has %(rows)s rows: it is being written, and will be ready below.")
            % {"rows": total},
        )
        return redirect("reporting:exports")
    name = f"{FILENAMES[kind]}.{file_format}"
    if file_format == "csv":
        return _csv_response(name, rows)
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    services.write_rows(rows, buffer, "xlsx")
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@role_required(Role.MANAGER)
def dashboard_matrix_csv(request):
    return _export(request, "matrix", "csv")


@require_GET
@role_required(Role.MANAGER)
def dashboard_attempts_csv(request):
    return _export(request, "attempts", "csv")


@require_GET
@role_required(Role.MANAGER)
def dashboard_matrix_xlsx(request):
    return _export(request, "matrix", "xlsx")


@require_GET
@role_required(Role.MANAGER)
def dashboard_attempts_xlsx(request):
    return _export(request, "attempts", "xlsx")


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER)
def export_list(request):
    """The manager's exports, newest first, with progress; POST asks for a new one."""
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            tasks.export_request(
                user=request.user,
                kind=form.cleaned_data["kind"],
                file_format=form.cleaned_data["format"],
                team_id=form.cleaned_data["team"].pk if form.cleaned_data["team"] else None,
            )
            messages.success(request, _("The export is being written; it will be ready below."))
            return redirect("reporting:exports")
    else:
        form = ExportForm(user=request.user)
    mine = Export.objects.filter(requested_by=request.user).select_related("team")[:50]
    context = {
        "form": form,
        "exports": mine,
        "working": any(e.status in (Export.Status.QUEUED, Export.Status.RUNNING) for e in mine),
    }
    template = "reporting/includes/exports.html" if request.htmx else "reporting/exports.html"
    return render(request, template, context)


@require_GET
@role_required(Role.MANAGER)
def export_download(request, pk: int):
    """Only the one who asked downloads an export, and only when it is ready."""
    export = get_object_or_404(Export, pk=pk, requested_by=request.user, status=Export.Status.DONE)
    name = f"{FILENAMES[export.kind]}.{export.format}"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)


@require_GET
@role_required(Role.TRAINER)
@reads_from_replica
def item_analysis_index(request):
    return render(
        request,
        "reporting/item_analysis_index.html",
        {
            "quizzes": Quiz.objects.select_related("module").order_by("module__order", "slug"),
            "scenarios": Scenario.objects.select_related("module").order_by(
                "module__order", "order", "slug"
            ),
        },
    )


@require_GET
@role_required(Role.TRAINER)
@reads_from_replica
def item_analysis_quiz(request, slug):
    quiz = get_object_or_404(Quiz.objects.select_related("module"), slug=slug)
    analysis = item_analysis.quiz_analysis(quiz)
    return render(request, "reporting/item_analysis_quiz.html", {"analysis": analysis})


@require_GET
@role_required(Role.TRAINER)
@reads_from_replica
def item_analysis_call(request, slug):
    scenario = get_object_or_404(Scenario.objects.select_related("module"), slug=slug)
    steps = item_analysis.call_analysis(scenario)
    return render(
        request, "reporting/item_analysis_call.html", {"scenario": scenario, "steps": steps}
    )
