"""Trainers' call editor: write or revise a call as the YAML of its pack file on a draft,
checked as the loader checks a file (live, with the call drawn and the guessing bots played
through it), preview any fact case, publish a new version, read or revert its history."""

import difflib
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scenarios import authoring, drawing, regrade, services
from scenarios.chat import MAX_REPLY
from scenarios.checks import check_scenario, fact_cases
from scenarios.graph import Scenario as CallGraph
from scenarios.graph import render as render_line
from scenarios.models import CallDraft, Scenario
from scenarios.review import evidence_pieces
from scenarios.selectors import violation_codes
from training.forms import PlainTextField
from training.models import Module
from training.roles import PUBLISH_CONTENT, Role, role_required
from training.views import regrade_page

SKELETON = """\
slug: {slug}
module: {module}
title: Nova ligação
summary: O que o cliente quer e o que o atendente deve fazer.
procedures: []
persona:
  names: [Ana Souza]
  mood: calmo
  segment: residencial
facts: []
steps:
  - id: abertura
    customer: O que o cliente diz ao ligar.
    choices:
      - id: certa
        say: O que o manual manda dizer.
        behaviors: []
        next: fim
      - id: errada
        say: O que um atendente sob pressão diria, tão longo e educado quanto a certa.
        behaviors: []
        next: fim
  - id: fim
    customer: Obrigado.
    outcome: Atendimento encerrado.
rubric:
  items: []
"""


class CallSourceForm(forms.Form):
    source = PlainTextField(
        label=gettext_lazy("The call file (YAML)"),
        max_length=200_000,
        widget=forms.Textarea(
            attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false", "wrap": "off"}
        ),
        help_text=gettext_lazy("The same format as a file under content/scenarios/."),
    )


class TryReplyForm(forms.Form):
    """A reply a trainer tries on a typed step of a draft."""

    step = forms.SlugField(max_length=80, widget=forms.HiddenInput)
    case = forms.IntegerField(
        min_value=0, max_value=99_999, required=False, widget=forms.HiddenInput
    )
    reply = PlainTextField(
        label=gettext_lazy("Try a reply"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _words() -> dict[str, str]:
    return {
        "title": _("Call graph"),
        "dead end": _("dead end"),
        "unreachable": _("unreachable"),
        "end": _("end"),
        "line": _("{n} line"),
        "lines": _("{n} lines"),
    }


def _checks(source: str, *, with_guessers: bool = True) -> dict:
    """Problems of the call's text (as the loader reports them), its drawing, its fact cases
    and how often each guessing bot passes it."""
    content, problems = authoring.call_problems(source)
    context = {"problems": problems, "content": content}
    if content is None:
        return context
    definition = content.definition()
    call = CallGraph.from_definition(definition)
    violations = violation_codes()
    context["drawing"] = drawing.draw(call, violations, _words())
    context["cases"] = fact_cases(call)
    context["report"] = check_scenario(definition, violations)
    if with_guessers:
        figures = authoring.bot_figures(content)
        context["figures"] = sorted(figures.passed.items())
        context["problems"] = authoring.guessers_passing(figures)
    return context


def _walkthrough(content, case: dict, report) -> list[dict]:
    """The full-marks path of the chosen fact case, line by line, as the trainee would hear
    and say it."""
    call = CallGraph.from_definition(content.definition())
    path = next((ids for facts, ids in report.witnesses if facts == case), None)
    if path is None:
        return []
    facts = _case_facts(content, case)
    lines, step = [], call.start
    for choice_id in path:
        choice = step.choice(choice_id)
        lines.append(
            {
                "step": step.id,
                "customer": render_line(step.customer, facts),
                "agent": render_line(choice.say, facts),
                "codes": choice.performs(case),
            }
        )
        step = call.step(choice.leads_to(case))
    lines.append({"step": step.id, "customer": render_line(step.customer, facts), "end": True})
    return lines


def _case_facts(content, case: dict) -> dict:
    names = list(content.persona.names) or [""]
    return {"customer_name": names[0], **case}


def _typed_steps(content, case: dict) -> list[dict]:
    """Per typed step, its concepts and the table of its sample replies as the grader reads
    them in the chosen fact case: expected, graded, and what was found where."""
    call = CallGraph.from_definition(content.definition())
    facts = _case_facts(content, case)
    steps = []
    for step in call.steps:
        if step.typed is None:
            continue
        rows = []
        for sample in step.on_offer(facts):
            reply = render_line(sample.say, facts)
            graded = step.typed.grade(reply, facts)
            segments, findings = evidence_pieces(reply, graded.to_dict(), step.typed.concepts)
            rows.append(
                {
                    "expected": sample.expect_accepted,
                    "accepted": graded.accepted,
                    "flipped": graded.accepted != sample.expect_accepted,
                    "segments": segments,
                    "findings": findings,
                }
            )
        steps.append(
            {
                "id": step.id,
                "customer": render_line(step.customer, facts),
                "rows": rows,
                "concepts": step.typed.concepts,
            }
        )
    return steps


@require_POST
@role_required(Role.TRAINER)
def draft_try_reply(request, pk: int):
    """Try a reply on a typed step of the draft (htmx): what the grader finds in it, and
    whether it would be accepted, in the fact case chosen on the page."""
    draft = _get_draft(pk)
    content, problems = authoring.call_problems(draft.source)
    form = TryReplyForm(request.POST)
    context: dict[str, object] = {"form": form}
    if content is not None and form.is_valid():
        call = CallGraph.from_definition(content.definition())
        step = call.step(form.cleaned_data["step"])
        cases = fact_cases(call)
        chosen = form.cleaned_data["case"] or 0
        case = cases[chosen] if chosen < len(cases) else (cases[0] if cases else {})
        if step is not None and step.typed is not None:
            facts = _case_facts(content, case)
            graded = step.typed.grade(form.cleaned_data["reply"], facts)
            context["segments"], context["findings"] = evidence_pieces(
                form.cleaned_data["reply"], graded.to_dict(), step.typed.concepts
            )
            context["accepted"] = graded.accepted
        else:
            form.add_error("step", _("That step does not take a typed reply."))
    return render(request, "scenarios/includes/typed_try.html", context)


def _get_draft(pk: int) -> CallDraft:
    return get_object_or_404(CallDraft.objects.select_related("module", "author"), pk=pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def call_new(request):
    """A new call of a module (``?module=``), started from a skeleton to fill in."""
    module = Module.objects.filter(slug=request.GET.get("module", "")).first()
    if module is None:
        messages.error(request, _("Choose the module of the new call."))
        return redirect("scenarios:checks")
    form = CallSourceForm(
        request.POST or None,
        initial={"source": SKELETON.format(slug="nova-ligacao", module=module.slug)},
    )
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        content, _problems = authoring.call_problems(source)
        slug = content.slug if content else _slug_of(source)
        if not slug:
            form.add_error("source", _("Give the call a slug: a line such as slug: nova-ligacao"))
        elif authoring.slug_taken(slug):
            form.add_error("source", _("Another call or draft already has the slug %s.") % slug)
        else:
            draft = authoring.call_draft_save(
                module=module, slug=slug, source=source, author=request.user
            )
            messages.success(
                request, _("Draft saved. Trainees see nothing of it until it is published.")
            )
            return redirect(draft)
    return render(
        request,
        "scenarios/call_editor.html",
        {
            "form": form,
            "module": module,
            "draft": None,
            **_checks(form["source"].value() or "", with_guessers=False),
        },
    )


def _slug_of(source: str) -> str:
    """The slug line of a call file that does not parse yet, so its draft can be saved."""
    found = re.search(r"^slug:\s*([a-z0-9][a-z0-9-]{0,79})\s*$", source, re.MULTILINE)
    return found.group(1) if found else ""


@require_POST
@role_required(Role.TRAINER)
def call_edit(request, slug: str):
    scenario = get_object_or_404(Scenario.objects.select_related("module"), slug=slug)
    draft = authoring.call_draft_open(scenario, author=request.user)
    return redirect("scenarios:draft_edit", draft.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def draft_edit(request, pk: int):
    draft = _get_draft(pk)
    form = CallSourceForm(request.POST or None, initial={"source": draft.source})
    if request.method == "POST" and form.is_valid():
        authoring.call_draft_save(
            module=draft.module,
            slug=draft.slug,
            source=form.cleaned_data["source"],
            author=request.user,
            draft=draft,
        )
        messages.success(request, _("Draft saved."))
        return redirect(draft)
    return render(
        request,
        "scenarios/call_editor.html",
        {
            "form": form,
            "module": draft.module,
            "draft": draft,
            **_checks(form["source"].value() or "", with_guessers=False),
        },
    )


@require_POST
@role_required(Role.TRAINER)
def editor_check(request):
    """The live check (htmx) of the text being written: problems and the call drawn."""
    form = CallSourceForm(request.POST)
    source = form.cleaned_data["source"] if form.is_valid() else ""
    context = (
        _checks(source, with_guessers=False)
        if source
        else {"problems": form.errors.get("source", [])}
    )
    return render(request, "scenarios/includes/call_checks.html", context)


@require_GET
@role_required(Role.TRAINER)
def draft_detail(request, pk: int):
    """The draft checked, drawn and played by the guessing bots, with the full-marks path of
    the fact case chosen."""
    draft = _get_draft(pk)
    context = {"draft": draft, "may_publish": request.user.has_perm(PUBLISH_CONTENT)}
    context.update(_checks(draft.source))
    if context["content"] is not None:
        cases = context["cases"]
        raw = request.GET.get("case", "0")
        chosen = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 0
        chosen = chosen if chosen < len(cases) else 0
        context["chosen"] = chosen
        context["walkthrough"] = (
            _walkthrough(context["content"], cases[chosen], context["report"]) if cases else []
        )
        context["typed_steps"] = _typed_steps(context["content"], cases[chosen] if cases else {})
        before = authoring.current_call(draft.scenario) if draft.scenario_id else None
        context["changes"] = authoring.call_behavior_changes(before, context["content"])
    return render(request, "scenarios/call_draft.html", context)


@require_POST
@role_required(Role.TRAINER)
def draft_publish(request, pk: int):
    if not request.user.has_perm(PUBLISH_CONTENT):
        raise PermissionDenied
    try:
        publication = authoring.call_draft_publish(pk, by=request.user)
    except authoring.Unpublishable as exc:
        for problem in exc.problems[:20]:
            messages.error(request, problem)
        if CallDraft.objects.filter(pk=pk).exists():
            return redirect("scenarios:draft_detail", pk)
        return redirect("scenarios:checks")
    messages.success(
        request,
        _("Published: %(module)s is now version %(version)s.")
        % {"module": publication.module.title, "version": publication.version},
    )
    return redirect("scenarios:call_history", publication.items[0].removeprefix("call:"))


@require_POST
@role_required(Role.TRAINER)
def draft_discard(request, pk: int):
    draft = _get_draft(pk)
    authoring.call_draft_discard(draft)
    messages.success(request, _("Draft discarded."))
    return redirect("scenarios:checks")


@require_GET
@role_required(Role.TRAINER)
def call_history(request, slug: str):
    """Every version of the call, newest first, each with the lines of its file that changed
    from the one before."""
    scenario = get_object_or_404(Scenario.objects.select_related("module"), slug=slug)
    versions = list(scenario.versions.order_by("-number"))
    texts = [authoring.call_source(scenario, v).splitlines() for v in versions]
    rows = []
    for n, version in enumerate(versions):
        older = texts[n + 1] if n + 1 < len(texts) else None
        diff = (
            list(difflib.unified_diff(older, texts[n], lineterm="", n=1))[2:]
            if older is not None
            else []
        )
        rows.append({"version": version, "diff": diff, "first": older is None})
    return render(
        request,
        "scenarios/call_history.html",
        {
            "scenario": scenario,
            "rows": rows,
            "cases": fact_cases(CallGraph.from_definition(versions[0].definition)),
            "draft": CallDraft.objects.filter(scenario=scenario).first(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def call_regrade(request, slug: str):
    """The dry run of regrading the runs of earlier versions with the published call, and
    applying it (``training.views.regrade_page``)."""
    scenario = get_object_or_404(Scenario.objects.select_related("module"), slug=slug)
    return regrade_page(
        request,
        plan=lambda: regrade.regrade_plan(scenario),
        apply=lambda **given: regrade.regrade_apply(scenario=scenario, **given),
        done_url=reverse("scenarios:call_regrade", args=[scenario.slug]),
        context={
            "item": scenario.slug,
            "explanation": _(
                "Runs of earlier versions of this call are graded again with version "
                "%(version)s, the one published: its choices, concepts and rubric. A run that "
                "met other customer lines or took a choice whose words changed is left as it "
                "was."
            )
            % {"version": scenario.version},
            "place_label": _("Turn"),
            "crumbs": [
                (reverse("reporting:authoring"), _("Authoring")),
                (reverse("scenarios:checks"), _("Call checks and previews")),
                (
                    reverse("scenarios:call_history", args=[scenario.slug]),
                    _("History") + " " + scenario.slug,
                ),
            ],
        },
    )


@require_POST
@role_required(Role.TRAINER)
def call_revert(request, slug: str):
    scenario = get_object_or_404(Scenario, slug=slug)
    raw = request.POST.get("number", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 0
    if not scenario.versions.filter(number=number).exists():
        messages.error(request, _("No such version of this call: nothing was changed."))
        return redirect("scenarios:call_history", slug)
    draft = authoring.call_revert(scenario, number=number, author=request.user)
    messages.success(request, _("The earlier version is now a draft: check it and publish it."))
    return redirect(draft)


@require_POST
@role_required(Role.TRAINER)
def preview_case(request, slug: str):
    """Play the published call as a trainee in the fact case chosen; the run counts for
    nothing."""
    scenario = get_object_or_404(Scenario.objects.active(), slug=slug)
    version = scenario.versions.get(number=scenario.version)
    cases = fact_cases(CallGraph.from_definition(version.definition))
    raw = request.POST.get("case", "")
    if not (raw.isascii() and raw.isdigit() and int(raw) < len(cases)):
        raise Http404
    run = services.run_start(
        user=request.user, scenario=scenario, preview=True, facts=cases[int(raw)]
    )
    return redirect(run)
