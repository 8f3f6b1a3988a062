"""Writing questions in the browser: a draft is saved, checked and published as a new version
of the question and of its module, or reverted from any earlier version into a new draft.

Trainees only ever see published questions; an attempt froze what it served, so publishing
never changes a past result.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes.editor import entry_of, entry_problems, validated
from quizzes.models import Question, QuestionDraft, Quiz
from quizzes.questions import codes_of
from quizzes.schema import spec_of
from training.audit import audit_record
from training.models import AuditEvent, Behavior, Module, Procedure, Publication, Unpublishable
from training.pack.loader import digest


def key_taken(key: str, *, draft: QuestionDraft | None = None) -> bool:
    """Whether a new question may not take ``key``: a question or another draft has it."""
    drafts = QuestionDraft.objects.filter(key=key)
    if draft is not None:
        drafts = drafts.exclude(pk=draft.pk)
    return Question.objects.filter(key=key).exists() or drafts.exists()


@transaction.atomic
def question_draft_save(
    *, module: Module, entry: Mapping, author, draft: QuestionDraft | None = None
) -> QuestionDraft:
    """Create or update the draft of ``entry`` (checked or not: a draft may be unfinished)."""
    if draft is None:
        question = Question.objects.filter(key=entry["key"]).first()
        draft = QuestionDraft(
            module=module,
            key=entry["key"],
            question=question,
            base_version=question.version if question else None,
        )
    draft.entry = dict(entry)
    draft.reverted_from = None
    draft.author = author
    draft.save()
    return draft


@transaction.atomic
def question_draft_open(question: Question, *, author) -> QuestionDraft:
    """The open draft of ``question``, started from its published version if there is none."""
    draft = QuestionDraft.objects.select_for_update().filter(question=question).first()
    if draft is not None:
        return draft
    return QuestionDraft.objects.create(
        module=question.procedure.module,
        key=question.key,
        question=question,
        entry=entry_of(question),
        base_version=question.version,
        author=author,
    )


@transaction.atomic
def question_revert(question: Question, *, history_id: int, author) -> QuestionDraft:
    """A draft holding an earlier version of ``question`` (published only when a trainer
    publishes it, checked against today's curriculum like any draft)."""
    old = question.history.get(history_id=history_id)
    entry = entry_of(old.instance)
    draft = QuestionDraft.objects.select_for_update().filter(question=question).first()
    if draft is None:
        draft = QuestionDraft(
            module=question.procedure.module,
            key=question.key,
            question=question,
            base_version=question.version,
        )
    draft.entry = entry
    draft.reverted_from = old.history_id
    draft.author = author
    draft.save()
    return draft


def behavior_changes(before: Mapping | None, after: Mapping) -> dict[str, list[str]]:
    """Which behaviour codes a change of a question touched: judged now and not before
    (added), no longer judged (removed), judged before and after by content that changed
    (revised)."""
    new = codes_of(validated(after))
    old = codes_of(validated(before)) if before else set()
    changed = before is None or digest(dict(before)) != digest(dict(after))
    return {
        "added": sorted(new - old),
        "removed": sorted(old - new),
        "revised": sorted(new & old) if changed else [],
    }


def question_draft_publish(draft_pk: int, *, by) -> Publication:
    """Publish the draft: check it as the loader would, write the question as a new version,
    give the module (and its quizzes) a new version, log what changed and drop the draft.
    Raises Unpublishable with the problems, writing nothing."""
    with transaction.atomic():
        draft = (
            QuestionDraft.objects.select_for_update(of=("self",))
            .select_related("module", "question")
            .filter(pk=draft_pk)
            .first()
        )
        if draft is None:
            raise Unpublishable([_("This draft was already published or discarded.")])
        module = Module.objects.select_for_update().get(pk=draft.module_id)
        problems = entry_problems(draft.entry, module)
        if problems:
            raise Unpublishable(problems)
        entry = validated(draft.entry)
        question = Question.objects.select_for_update().filter(key=entry.key).first()
        if draft.base_version is None and question is not None:
            raise Unpublishable([_("Another question already has the key %s.") % entry.key])
        if question is not None and question.version != draft.base_version:
            raise Unpublishable(
                [
                    _(
                        "The question changed since this draft started (version %(then)s, "
                        "now %(now)s): start again from the published version."
                    )
                    % {"then": draft.base_version, "now": question.version}
                ]
            )
        fingerprint = digest(entry.model_dump())
        before = entry_of(question) if question is not None else None
        if question is not None and question.content_hash == fingerprint and question.is_active:
            raise Unpublishable([_("Nothing changed since the published version.")])
        procedure = Procedure.objects.get(slug=entry.procedure)
        values = {
            "procedure": procedure,
            "kind": entry.kind,
            "stem": entry.stem,
            "spec": spec_of(entry),
            "explanation": entry.explanation,
            "manual_quote": entry.manual,
            "is_active": True,
            "content_hash": fingerprint,
        }
        if question is None:
            last = Question.objects.filter(procedure__module=module).aggregate(n=Max("order"))
            question = Question(key=entry.key, order=(last["n"] or 0) + 1, version=1)
        else:
            question.version += 1
        for name, value in values.items():
            setattr(question, name, value)
        question._history_user = by
        question.save()
        question.behaviors.set(Behavior.objects.filter(code__in=codes_of(entry)))

        # A new version of the module: new certificates record it, and the next pack load
        # may not silently overwrite it (see training.pack.loader.load_pack).
        module.version = F("version") + 1
        module.edited_at = timezone.now()
        module.content_hash = ""
        module.save(update_fields=["version", "edited_at", "content_hash"])
        module.refresh_from_db(fields=["version"])
        Quiz.objects.filter(module=module).update(version=F("version") + 1)
        publication = Publication.objects.create(
            module=module,
            version=module.version,
            source=Publication.Source.REVERT if draft.reverted_from else Publication.Source.EDITOR,
            by=by,
            items=[entry.key],
            behaviors=behavior_changes(before, draft.entry),
        )
        audit_record(
            AuditEvent.Action.CONTENT_PUBLISHED,
            subject=entry.key,
            details={"module": module.slug, "version": module.version},
            actor_id=by.pk if by else None,
        )
        draft.delete()
    return publication


@transaction.atomic
def question_draft_discard(draft: QuestionDraft) -> None:
    QuestionDraft.objects.filter(pk=draft.pk).delete()


@transaction.atomic
def question_drafts_import(*, procedure: Procedure, entries: list[dict], author) -> int:
    """Drafts of ``procedure`` from imported entries (a Moodle bank): keys made unique against
    every question and draft; the manual's words and behaviours are left for the trainer."""
    taken = set(Question.objects.values_list("key", flat=True)) | set(
        QuestionDraft.objects.values_list("key", flat=True)
    )
    made = 0
    for entry in entries:
        key, n = entry["key"][:90], 2
        while key in taken:
            key, n = f"{entry['key'][:90]}-{n}", n + 1
        taken.add(key)
        QuestionDraft.objects.create(
            module=procedure.module,
            key=key,
            entry={**entry, "key": key, "procedure": procedure.slug, "manual": ""},
            author=author,
        )
        made += 1
    return made
