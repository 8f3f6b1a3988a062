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
from django.views.decorators.http import require_GET, require_POST

from people.forms import AuditFilterForm, EraseForm, PersonSearchForm
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
