"""The role-based home, the curriculum's reading pages and the health check."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from training import selectors, services
from training.models import Behavior, Module, Procedure
from training.roles import ROLE_PERMISSIONS, Role, role_required, roles_of

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
