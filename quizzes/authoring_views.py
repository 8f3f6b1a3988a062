"""Trainers' question editor: write or revise a question on a draft, check it as the loader
would (live, as the form changes), preview any fact case, publish it as a new version, and
read or revert its history."""

import hashlib
import json
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes import authoring, editor, interchange, regrade
from quizzes.models import Question, QuestionDraft
from training.models import Procedure
from training.roles import PUBLISH_CONTENT, Role, role_required
from training.views import regrade_page


def _get_draft(pk: int) -> QuestionDraft:
    """Any trainer may open any draft (drafts are the team's shared work)."""
    return get_object_or_404(QuestionDraft.objects.select_related("module", "author"), pk=pk)


def _get_question(key: str) -> Question:
    return get_object_or_404(Question.objects.select_related("procedure__module"), key=key)


def _checked(edit: editor.Editor, *, saved: dict | None = None) -> dict:
    """What the editor page shows next to the form: problems, giveaway warnings, the fact
    cases and the preview of the first; of the posted form, or else of the ``saved`` draft."""
    entry, problems = edit.entry, edit.problems
    if not edit.question.is_bound and saved is not None:
        entry, problems = saved, editor.entry_problems(saved, edit.module)
    context = {"edit": edit, "problems": problems, "warnings": [], "cases": []}
    if entry is not None and not problems:
        cases = editor.fact_cases(entry)
        context.update(
            warnings=editor.entry_warnings(entry),
            cases=cases,
            preview=editor.preview(entry, cases[0] if cases else {}),
        )
    return context


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def question_new(request, slug):
    """A new question of a procedure, its kind chosen first (the form changes with it)."""
    procedure = get_object_or_404(Procedure.objects.select_related("module"), slug=slug)
    module = procedure.module
    kind = request.GET.get("kind") or request.POST.get("kind") or "single"
    if kind not in editor.KINDS:
        raise Http404
    start = {"kind": kind, "procedure": procedure.slug}
    if request.method == "POST":
        edit = editor.Editor(module, data=request.POST, entry=start)
        edit.check()
        key = edit.question.cleaned_data.get("key") if edit.question.is_valid() else None
        if key and authoring.key_taken(key):
            edit.question.add_error("key", _("Another question or draft already has this key."))
        elif key and edit.entry is not None:
            draft = authoring.question_draft_save(
                module=module, entry=edit.entry, author=request.user
            )
            messages.success(
                request, _("Draft saved. Trainees see nothing of it until it is published.")
            )
            return redirect(draft)
    else:
        edit = editor.Editor(module, entry=start)
    return render(
        request,
        "quizzes/question_editor.html",
        {
            "module": module,
            "procedure": procedure,
            "kind": kind,
            "kind_label": _(editor.KINDS[kind].label),
            "draft": None,
            **_checked(edit),
        },
    )


@require_POST
@role_required(Role.TRAINER)
def question_edit(request, key):
    """Open the question's draft (started from its published version if there is none)."""
    draft = authoring.question_draft_open(_get_question(key), author=request.user)
    return redirect("quizzes:draft_edit", draft.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def draft_edit(request, pk):
    draft = _get_draft(pk)
    editing = draft.question_id is not None
    if request.method == "POST":
        edit = editor.Editor(draft.module, data=request.POST, entry=draft.entry, editing=editing)
        edit.check()
        if edit.entry is not None:
            if not editing and authoring.key_taken(edit.entry["key"], draft=draft):
                edit.question.add_error("key", _("Another question or draft already has this key."))
            else:
                authoring.question_draft_save(
                    module=draft.module, entry=edit.entry, author=request.user, draft=draft
                )
                messages.success(request, _("Draft saved."))
                return redirect(draft)
    else:
        edit = editor.Editor(draft.module, entry=draft.entry, editing=editing)
    return render(
        request,
        "quizzes/question_editor.html",
        {
            "module": draft.module,
            "procedure": None,
            "kind": edit.kind,
            "kind_label": _(editor.KINDS[edit.kind].label),
            "draft": draft,
            **_checked(edit, saved=draft.entry),
        },
    )


@require_POST
@role_required(Role.TRAINER)
def editor_check(request, slug):
    """The live check (htmx) of the editor's form for a new question of procedure ``slug`` or,
    with ``draft``, for that draft: its problems, warnings and preview."""
    procedure = get_object_or_404(Procedure.objects.select_related("module"), slug=slug)
    draft = None
    if request.POST.get("draft"):
        try:
            draft = _get_draft(int(request.POST["draft"]))
        except ValueError:
            raise Http404 from None
    kind = request.POST.get("kind_chosen", "")
    if draft is None and kind not in editor.KINDS:
        raise Http404
    entry = draft.entry if draft else {"kind": kind, "procedure": procedure.slug}
    edit = editor.Editor(
        procedure.module,
        data=request.POST,
        entry=entry,
        editing=bool(draft and draft.question_id),
    )
    edit.check()
    return render(request, "quizzes/includes/editor_checks.html", _checked(edit))


@require_http_methods(["GET"])
@role_required(Role.TRAINER)
def draft_detail(request, pk):
    """The draft checked as the loader would, with a preview of the fact case chosen."""
    draft = _get_draft(pk)
    problems = editor.entry_problems(draft.entry, draft.module)
    context = {
        "draft": draft,
        "problems": problems,
        "may_publish": request.user.has_perm(PUBLISH_CONTENT),
    }
    if not problems:
        cases = editor.fact_cases(draft.entry)
        try:
            chosen = int(request.GET.get("case", 0))
        except ValueError:
            chosen = 0
        if not 0 <= chosen < max(len(cases), 1):
            chosen = 0
        context.update(
            cases=cases,
            chosen=chosen,
            warnings=editor.entry_warnings(draft.entry),
            preview=editor.preview(draft.entry, cases[chosen] if cases else {}),
            changes=authoring.behavior_changes(
                editor.entry_of(draft.question) if draft.question else None, draft.entry
            ),
        )
    return render(request, "quizzes/draft_detail.html", context)


@require_POST
@role_required(Role.TRAINER)
def draft_publish(request, pk):
    if not request.user.has_perm(PUBLISH_CONTENT):
        raise PermissionDenied
    try:
        publication = authoring.question_draft_publish(pk, by=request.user)
    except authoring.Unpublishable as exc:
        for problem in exc.problems:
            messages.error(request, problem)
        if QuestionDraft.objects.filter(pk=pk).exists():
            return redirect("quizzes:draft_detail", pk)
        return redirect("reporting:authoring")
    messages.success(
        request,
        _("Published: %(module)s is now version %(version)s.")
        % {"module": publication.module.title, "version": publication.version},
    )
    return redirect("quizzes:question_history", publication.items[0])


@require_POST
@role_required(Role.TRAINER)
def draft_discard(request, pk):
    draft = _get_draft(pk)
    authoring.question_draft_discard(draft)
    messages.success(request, _("Draft discarded."))
    procedure = draft.entry.get("procedure")
    if procedure and Procedure.objects.filter(slug=procedure).exists():
        return redirect("quizzes:question_list", procedure)
    return redirect("reporting:authoring")


@require_http_methods(["GET"])
@role_required(Role.TRAINER)
def question_history(request, key):
    """Every version of the question, newest first, each with what changed from the one
    before and who made it."""
    question = _get_question(key)
    records = list(question.history.select_related("history_user").order_by("-history_id"))
    versions = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            for change in record.diff_against(older, excluded_fields=["version"]).changes:
                field = Question._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _shown(change.old),
                        "new": _shown(change.new),
                    }
                )
        versions.append({"record": record, "changes": changes, "first": older is None})
    draft = QuestionDraft.objects.filter(question=question).first()
    return render(
        request,
        "quizzes/question_history.html",
        {"question": question, "versions": versions, "draft": draft},
    )


def _shown(value) -> str:
    """A field's value as the history shows it: content as the JSON it is stored as."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


@require_POST
@role_required(Role.TRAINER)
def question_revert(request, key):
    question = _get_question(key)
    try:
        history_id = int(request.POST.get("history_id", ""))
        draft = authoring.question_revert(question, history_id=history_id, author=request.user)
    except (ValueError, OverflowError, question.history.model.DoesNotExist):
        messages.error(request, _("No such version of this question: nothing was changed."))
        return redirect("quizzes:question_history", question.key)
    messages.success(request, _("The earlier version is now a draft: check it and publish it."))
    return redirect(draft)


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def question_regrade(request, key):
    """The dry run of regrading past attempts with the question's current key, and applying
    it (``training.views.regrade_page``)."""
    question = _get_question(key)
    return regrade_page(
        request,
        plan=lambda: regrade.regrade_plan(question),
        apply=lambda **given: regrade.regrade_apply(question=question, **given),
        done_url=reverse("quizzes:question_regrade", args=[question.key]),
        context={
            "item": question.key,
            "explanation": _(
                "Attempts graded with an earlier version of this question are graded again "
                "with the key of version %(version)s, the one published. Only keys change: an "
                "attempt whose question showed other texts than version %(version)s shows is "
                "left as it was."
            )
            % {"version": question.version},
            "place_label": _("Question"),
            "crumbs": [
                (reverse("reporting:authoring"), _("Authoring")),
                (
                    reverse("quizzes:question_list", args=[question.procedure.slug]),
                    question.procedure.title,
                ),
                (
                    reverse("quizzes:question_history", args=[question.key]),
                    _("History") + " " + question.key,
                ),
            ],
        },
    )


# --- Moodle formats ---------------------------------------------------------------------------


class BankImportForm(forms.Form):
    bank = forms.FileField(
        label=gettext_lazy("Question bank (Moodle XML or GIFT)"),
        help_text=gettext_lazy("A .xml file exported by Moodle, or a .gift / .txt file."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Make the drafts (otherwise only show what would come over)"),
        required=False,
    )


def _read_bank(upload, categories: list[str]) -> tuple[list[dict], list[str]]:
    data = upload.read(interchange.MAX_BYTES + 1)
    if len(data) > interchange.MAX_BYTES:
        raise interchange.FileRefused(_("the file is over 5 MB"))
    if upload.name.lower().endswith(".xml"):
        return interchange.from_moodle_xml(data, categories)
    try:
        return interchange.from_gift(data.decode("utf-8-sig"), categories)
    except UnicodeDecodeError:
        raise interchange.FileRefused(_("the file is not UTF-8 text")) from None


@dataclass
class CategoryChoice:
    """One category of the bank, and the procedure its questions go to (empty: left out)."""

    name: str
    field: str
    count: int
    chosen: str


def _category_choices(categories: list[str], data, default: str) -> list[CategoryChoice]:
    counts: dict[str, int] = {}
    for name in categories:
        counts[name] = counts.get(name, 0) + 1
    choices = []
    for name, count in counts.items():
        field = "category-" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]
        choices.append(CategoryChoice(name, field, count, data.get(field, default)))
    return choices


@require_http_methods(["GET", "POST"])
@role_required(Role.TRAINER)
def bank_import(request, slug):
    """Questions from a Moodle bank, into drafts: the preview lists what comes over and what
    cannot (with the reason), and maps each of the bank's categories to a procedure (this one
    by default, or left out); confirming makes the drafts, which a trainer then completes (the
    manual's words, the behaviours) and publishes."""
    procedure = get_object_or_404(Procedure.objects.select_related("module"), slug=slug)
    form = BankImportForm(request.POST or None, request.FILES or None)
    procedures = list(Procedure.objects.select_related("module").order_by("module__order", "order"))
    context = {"procedure": procedure, "form": form, "procedures": procedures}
    if request.method == "POST" and form.is_valid():
        categories: list[str] = []
        try:
            entries, skipped = _read_bank(form.cleaned_data["bank"], categories)
        except interchange.FileRefused as exc:
            form.add_error("bank", str(exc))
            return render(request, "quizzes/bank_import.html", context)
        choices = _category_choices(categories, request.POST, procedure.slug)
        by_slug = {p.slug: p for p in procedures}
        if any(c.chosen and c.chosen not in by_slug for c in choices):
            form.add_error(None, _("Choose a procedure of the list for every category."))
        elif form.cleaned_data["confirm"]:
            target = {c.name: c.chosen for c in choices}
            batches: dict[str, list[dict]] = {}
            for entry, category in zip(entries, categories, strict=True):
                if target[category]:
                    batches.setdefault(target[category], []).append(entry)
            with transaction.atomic():
                made = sum(
                    authoring.question_drafts_import(
                        procedure=by_slug[slug], entries=items, author=request.user
                    )
                    for slug, items in batches.items()
                )
            messages.success(
                request,
                _("%(count)s drafts made: complete and publish each one.") % {"count": made},
            )
            return redirect("quizzes:question_list", procedure.slug)
        context.update(entries=entries, skipped=skipped, categories=choices)
    return render(request, "quizzes/bank_import.html", context)


@require_GET
@role_required(Role.TRAINER)
def bank_export(request, slug):
    """A procedure's active questions as Moodle XML (``?format=xml``) or GIFT; what Moodle
    cannot express is named in a comment (GIFT) or a header."""
    procedure = get_object_or_404(Procedure.objects.select_related("module"), slug=slug)
    entries = [editor.entry_of(q) for q in procedure.questions.filter(is_active=True)]
    if request.GET.get("format") == "xml":
        text, skipped = interchange.to_moodle_xml(entries)
        response = HttpResponse(text, content_type="application/xml; charset=utf-8")
        name = f"{procedure.slug}.xml"
    else:
        text, skipped = interchange.to_gift(entries)
        text = "".join(f"// skipped {line}\n" for line in skipped) + text
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        name = f"{procedure.slug}.gift"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Skipped-Questions"] = str(len(skipped))
    return response
