"""The role-based home, the curriculum's reading pages and the health check."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from training import selectors, services
from training.forms import RegradeForm
from training.models import Behavior, Module, Procedure, Regrade
from training.regrading import StaleRegrade
from training.roles import PUBLISH_CONTENT, ROLE_PERMISSIONS, Role, role_required, roles_of

# The roles' homes are pages of the floors above; they are named here, not imported.
ROLE_HOMES = {
    Role.TRAINEE: "reporting:my_modules",
    Role.TRAINER: "reporting:authoring",
    Role.MANAGER: "reporting:dashboard",
}


@login_required
def home(request):
    roles = roles_of(request.user)
    if not roles:
        return render(request, "training/no_role.html")
    return redirect(ROLE_HOMES[roles[0]])


@require_GET
@login_required
def module_list(request):
    return render(
        request, "training/module_list.html", {"modules": selectors.modules_for_listing()}
    )


@require_GET
@login_required
def module_detail(request, slug):
    try:
        module = selectors.module_with_procedures(slug)
    except Module.DoesNotExist:
        raise Http404 from None
    return render(request, "training/module_detail.html", {"module": module})


@require_GET
@login_required
def procedure_detail(request, module_slug, slug):
    try:
        procedure = selectors.procedure_for_reading(module_slug, slug)
    except Procedure.DoesNotExist:
        raise Http404 from None
    previous, following = selectors.procedure_neighbours(procedure)
    is_trainee = request.user.has_perm(ROLE_PERMISSIONS[Role.TRAINEE])
    return render(
        request,
        "training/procedure_detail.html",
        {
            "procedure": procedure,
            "module": procedure.module,
            "behavior_groups": _behavior_groups(procedure.behaviors.all()),
            "previous": previous,
            "following": following,
            "is_trainee": is_trainee,
            "already_read": is_trainee
            and selectors.procedure_is_read(user=request.user, procedure=procedure),
        },
    )


@require_POST
@role_required(Role.TRAINEE)
def procedure_read(request, module_slug, slug):
    """The trainee read the procedure to its end: the page posts this when its last line is
    seen, or the trainee presses "mark as read". Opening the page alone is not reading it."""
    try:
        procedure = selectors.procedure_for_reading(module_slug, slug)
    except Procedure.DoesNotExist:
        raise Http404 from None
    services.procedure_read_record(user=request.user, procedure=procedure)
    if request.htmx:
        return render(request, "training/includes/read_mark.html", {"already_read": True})
    return redirect(procedure)


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


# The changes a regrade page lists; the counts above them cover all of them.
REGRADE_ROWS_SHOWN = 200


def regrade_page(request, *, plan, apply, done_url: str, context: dict):
    """The page of a regrade, for any engine: the dry run (``plan()``: who would change, and
    how) for any trainer, and applying it with a reason for those who may publish
    (``apply(by=, reason=, fingerprint=)``). Only the plan the trainer read is applied: a
    stale or tampered fingerprint changes nothing and says so."""
    if request.method == "POST" and not request.user.has_perm(PUBLISH_CONTENT):
        raise PermissionDenied
    form = RegradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _done, applied = apply(
                by=request.user,
                reason=form.cleaned_data["reason"],
                fingerprint=form.cleaned_data["fingerprint"],
            )
        except StaleRegrade:
            messages.error(
                request,
                gettext(
                    "Results changed since this page was read: nothing was regraded. "
                    "Read what the regrade changes now and apply it again."
                ),
            )
        else:
            messages.success(
                request,
                gettext(
                    "Regraded. Results changed: %(changed)s (now passing: %(now_pass)s; "
                    "now failing: %(now_fail)s)."
                )
                % {
                    "changed": len(applied.changes),
                    "now_pass": applied.now_pass,
                    "now_fail": applied.now_fail,
                },
            )
            return redirect(done_url)
    found = plan()
    # The fingerprint of what this page shows; a reason typed, and its errors, are kept.
    if form.is_bound:
        data = form.data.copy()
        data["fingerprint"] = found.fingerprint
        form = RegradeForm(data)
        form.is_valid()
    else:
        form = RegradeForm(initial={"fingerprint": found.fingerprint})
    past = Regrade.objects.filter(source=found.source, item=found.item).select_related("actor")
    return render(
        request,
        "training/regrade.html",
        {
            **context,
            "plan": found,
            "changes": found.changes[:REGRADE_ROWS_SHOWN],
            "form": form,
            "past": past,
        },
    )
