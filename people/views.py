"""Superusers' pages: the audit trail, and one person's data to export or erase (LGPD)."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people import provisioning as provisioning_rules
from people.forms import AuditFilterForm, EraseForm, PersonSearchForm, SheetForm
from people.models import SheetUpload
from people.personal_data import AlreadyErased, personal_data_erase, personal_data_exported
from training.models import AuditEvent

PAGE_SIZE = 50


def superuser_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _listing(request, queryset, form) -> dict:
    """One page of ``queryset``, and the query string that keeps the filters across pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode() + "&" if query else "",
    }


@require_GET
@superuser_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["who"]:
            events = events.filter(actor__username=form.cleaned_data["who"].strip())
    return render(request, "people/audit_log.html", _listing(request, events, form))


@require_GET
@superuser_required
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    people = get_user_model().objects.select_related("erasure").order_by("username")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        people = people.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    return render(request, "people/person_list.html", _listing(request, people, form))


def _person(pk: int):
    return get_object_or_404(get_user_model().objects.select_related("erasure"), pk=pk)


@require_GET
@superuser_required
def person_data(request, pk: int):
    person = _person(pk)
    return render(
        request,
        "people/person_data.html",
        {"person": person, "form": EraseForm(username=person.get_username())},
    )


@require_GET
@superuser_required
def person_export(request, pk: int):
    person = _person(pk)
    document = personal_data_exported(person, by_id=request.user.pk)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"personal-data-{person.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@superuser_required
def person_erase(request, pk: int):
    person = _person(pk)
    if person.pk == request.user.pk:
        raise PermissionDenied  # another superuser erases a superuser, never themselves
    form = EraseForm(request.POST, username=person.get_username())
    if not form.is_valid():
        return render(
            request, "people/person_data.html", {"person": person, "form": form}, status=400
        )
    try:
        pseudonym = personal_data_erase(person, by_id=request.user.pk)
    except AlreadyErased:
        messages.info(request, _("This person's data was already erased."))
    else:
        messages.success(
            request,
            _("Personal data erased. The account is now %(pseudonym)s.") % {"pseudonym": pseudonym},
        )
    return redirect("people:person_data", pk=person.pk)


@superuser_required
@require_http_methods(["GET", "POST"])
def provisioning(request):
    """Upload a sheet of people: nothing is written; the preview comes next."""
    form = SheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["sheet"]
        if upload.size > provisioning_rules.MAX_BYTES:
            form.add_error("sheet", _("The file is over 5 MB."))
        else:
            sheet = SheetUpload.objects.create(
                uploaded_by=request.user,
                filename=upload.name[-200:],
                data=upload.read(),
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
            return redirect("people:provisioning_preview", sheet.pk)
    return render(request, "people/provisioning.html", {"form": form})


def _plan_of(sheet: SheetUpload):
    rows = provisioning_rules.read_sheet(bytes(sheet.data), sheet.filename)
    return provisioning_rules.plan_of(rows, deactivate_missing=sheet.deactivate_missing)


@superuser_required
@require_http_methods(["GET", "POST"])
def provisioning_preview(request, pk):
    """What the sheet would do, and every bad row with its reason; confirming writes it."""
    sheet = get_object_or_404(SheetUpload, pk=pk, uploaded_by=request.user)
    try:
        plan = _plan_of(sheet)
    except provisioning_rules.SheetRefused as exc:
        sheet.delete()
        messages.error(request, str(exc))
        return redirect("people:provisioning")
    if request.method == "POST":
        if not plan.ok:
            messages.error(request, _("The sheet has bad rows; nothing was written."))
        else:
            counts = provisioning_rules.plan_apply(plan, actor=request.user)
            sheet.delete()
            messages.success(
                request,
                _("%(created)s created, %(changed)s changed, %(deactivated)s deactivated.")
                % counts,
            )
            return redirect("people:person_list")
    return render(request, "people/provisioning_preview.html", {"sheet": sheet, "plan": plan})
