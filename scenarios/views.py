"""Pages of simulated calls: the list per module, a call's brief, the call screen (htmx partial
swaps, or plain POST/redirect without JavaScript), the review, and the trainer's checks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from scenarios import selectors, services
from scenarios.chat import MAX_REPLY
from scenarios.guessers import MAX_PASS_SHARE, pooled
from scenarios.models import CallDraft, Run, Scenario
from scenarios.review import call_state, review_of
from training.models import Module
from training.roles import Role, role_required


def _get_run_for_user(request, pk: int) -> Run:
    """The signed-in user's own run; anyone else's is a 404, never a hint that it exists."""
    try:
        return selectors.run_for_user(request.user, pk)
    except Run.DoesNotExist:
        raise Http404 from None


def _get_scenario(slug: str) -> Scenario:
    try:
        return selectors.active_scenario(slug)
    except Scenario.DoesNotExist:
        raise Http404 from None


@require_GET
@role_required(Role.TRAINEE)
def scenario_list(request, module_slug: str | None = None):
    one_module = get_object_or_404(Module, slug=module_slug) if module_slug else None
    modules = selectors.modules_with_calls(module_slug)
    standings = selectors.standings_for(request.user, [s.pk for m in modules for s in m.calls])
    none_yet = selectors.ScenarioStanding()
    rows = [(m, [(s, standings.get(s.pk, none_yet)) for s in m.calls]) for m in modules]
    return render(request, "scenarios/scenario_list.html", {"rows": rows, "one_module": one_module})


@require_GET
@login_required
def scenario_detail(request, slug: str):
    scenario = _get_scenario(slug)
    return render(
        request,
        "scenarios/scenario_detail.html",
        {
            "scenario": scenario,
            "runs": selectors.recent_runs(request.user, scenario),
            "procedures": scenario.procedures.all(),
        },
    )


@require_POST
@role_required(Role.TRAINEE)
def run_start(request, slug: str):
    run = services.run_start(user=request.user, scenario=_get_scenario(slug))
    return redirect(run)


@require_POST
@role_required(Role.TRAINER)
def run_preview(request, slug: str):
    run = services.run_start(user=request.user, scenario=_get_scenario(slug), preview=True)
    return redirect(run)


@require_GET
@login_required
def run_detail(request, pk: int):
    run = _get_run_for_user(request, pk)
    if run.is_finished:
        return redirect("scenarios:review", pk=run.pk)
    return render(request, "scenarios/run_detail.html", call_state(run))


@require_POST
@login_required
def run_choose(request, pk: int):
    run = _get_run_for_user(request, pk)
    return _take_turn(
        request,
        run,
        lambda: services.run_choose(
            run=run,
            turn=_small_int(request.POST.get("turn")),
            option=_small_int(request.POST.get("option")),
        ),
        refused=_("That choice is not on offer at this point of the call."),
    )


@require_POST
@login_required
def run_reply(request, pk: int):
    run = _get_run_for_user(request, pk)
    return _take_turn(
        request,
        run,
        lambda: services.run_reply(
            run=run,
            turn=_small_int(request.POST.get("turn")),
            text=request.POST.get("reply", ""),
        ),
        refused=_("The call is not waiting for that reply at this point."),
    )


def _take_turn(request, run: Run, take, *, refused: str):
    """Take a turn (a choice or a typed reply): the call moves on, or the page says why not
    with nothing written."""
    try:
        outcome = take()
    except (services.ChoiceNotOnOffer, services.ReplyRefused) as exc:
        message = refused
        if isinstance(exc, services.ReplyRefused):
            message = _(
                "Type a reply of up to %(limit)s characters, without control characters."
            ) % {"limit": MAX_REPLY}
        return render(
            request, "scenarios/choice_refused.html", {"run": run, "message": message}, status=400
        )
    except services.RunClosed:
        return _after_choice(request, run, finished=True)
    return _after_choice(request, outcome.run, finished=outcome.run.is_finished)


def _small_int(raw: str | None) -> int:
    """A turn or a place as posted; anything that is not a small whole number is 0, which no
    turn or choice has."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else 0


def _after_choice(request, run: Run, *, finished: bool):
    if finished:
        url = reverse("scenarios:review", args=[run.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render(request, "scenarios/includes/call.html", call_state(run, swapped=True))
    return redirect(run)


@require_POST
@login_required
def run_hang_up(request, pk: int):
    run = services.run_finish(run=_get_run_for_user(request, pk))
    url = reverse("scenarios:review", args=[run.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@login_required
def run_review(request, pk: int):
    run = _get_run_for_user(request, pk)
    if not run.is_finished:
        return redirect(run)
    return render(request, "scenarios/run_review.html", review_of(run))


@require_GET
@role_required(Role.TRAINER)
def authoring_checks(request):
    checks = selectors.scenario_checks(with_guessers=True)
    failing = sum(1 for c in checks if not c.report.ok)
    figures = [c.figures for c in checks if c.figures is not None]
    overall = pooled(figures)
    return render(
        request,
        "scenarios/authoring_checks.html",
        {
            "checks": checks,
            "failing": failing,
            "guessers": [(name, share, share > MAX_PASS_SHARE) for name, share in overall.items()],
            "pairs": sum(f.cases for f in figures),
            "max_share": MAX_PASS_SHARE,
            "modules": Module.objects.order_by("order", "slug"),
            "drafts": CallDraft.objects.select_related("author"),
        },
    )
