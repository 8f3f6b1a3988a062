"""The quizzes section of the pack: one file per module under ``quizzes/`` holding its quiz and
its questions, validated against the curriculum, written by key, and exported back."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from quizzes.kinds import KINDS, question_entry
from quizzes.models import Question, Quiz, QuizSlot
from quizzes.paper import QuestionContent, Slot
from quizzes.questions import codes_of, question_problems
from quizzes.schema import QuizEntry, spec_of
from training.models import Behavior, Module, Procedure
from training.pack.loader import Claims, PackIndex, Report, assign, differs, digest, parse_files
from training.pack.schema import Slug, Strict
from training.pack.source import PackError, SourceFile

# A procedure's pool holds at least this many times what a quiz draws from it.
POOL_DEPTH = 3


# A question of any registered kind, told apart by its ``kind`` key.
QuestionEntry = question_entry()


class QuizFile(Strict):
    """One module's quiz file: the quiz and its question bank (each question of a registered
    kind)."""

    module: Slug
    quiz: QuizEntry
    questions: list[QuestionEntry]


class _OneQuestion(Strict):
    """A question on its own, as the editor checks it: the same schema as a quiz file's."""

    questions: list[QuestionEntry]


def question_entry_errors(entry: object, *, module: str, index: PackIndex) -> list[PackError]:
    """Every problem of one question ``entry`` of ``module``, found exactly as the loader finds
    it in a quiz file (same schema, same checks, same messages); paths start at the question."""
    source = SourceFile(name="", data={"questions": [entry]})
    parsed, errors = source.validate(_OneQuestion)
    errors = [_explain_kind(source, e) for e in errors]
    if parsed is not None:
        errors = _check_question(source, parsed.questions[0], ("questions", 0), index, module)
    return [
        PackError("", 0, e.path.removeprefix("questions[0]").lstrip("."), e.message) for e in errors
    ]


@dataclass(frozen=True)
class _Parsed:
    file: SourceFile
    content: QuizFile


class QuizSection:
    """Quizzes and questions: each refers to the curriculum's procedures and behaviours."""

    name = "quizzes"
    folder = "quizzes"

    def __init__(self) -> None:
        self._files: list[QuizFile] = []

    # --- validation -----------------------------------------------------------------------

    def validate(self, files: list[SourceFile], index: PackIndex) -> list[PackError]:
        found, problems = parse_files(
            files, QuizFile, shape="a quiz file must be a mapping with module, quiz, questions"
        )
        parsed = [_Parsed(source, content) for source, content in found]
        by_name = {source.name: source for source in files}
        errors = [_explain_kind(by_name[p.file], p) if p.file in by_name else p for p in problems]
        claims = Claims()
        for source, content in ((p.file, p.content) for p in parsed):
            errors.extend(_check_file(source, content, index, claims))
        self._files = [p.content for p in parsed]
        for content in self._files:
            index.add_module_content(content.module, {"quizzes": content.model_dump()})
        return errors

    def question_tags(self) -> dict[str, set[str]]:
        """Per validated question, by key, the behaviour codes it judges."""
        return {q.key: codes_of(q) for content in self._files for q in content.questions}

    def paper_sources(self) -> list[tuple[QuizEntry, list[Slot], dict[int, QuestionContent]]]:
        """Per validated quiz: its settings, slots and questions, as a paper is drawn from them
        (ids are positions in the pack, not database ids), for checks that need no database."""
        sources = []
        procedures: dict[str, int] = {}
        for content in self._files:
            questions = {}
            ids = {}
            for number, entry in enumerate(content.questions, start=1):
                ids[entry.key] = number
                procedure_id = procedures.setdefault(entry.procedure, len(procedures) + 1)
                questions[number] = QuestionContent(
                    id=number,
                    key=entry.key,
                    version=1,
                    kind=entry.kind,
                    stem=entry.stem,
                    spec=spec_of(entry),
                    explanation=entry.explanation,
                    manual_quote=entry.manual,
                    procedure_id=procedure_id,
                    procedure_slug=entry.procedure,
                    procedure_title=entry.procedure,
                    module_slug=content.module,
                )
            slots = [
                Slot(
                    question_id=ids.get(s.question) if s.question else None,
                    procedure_id=procedures.get(s.procedure, -1) if s.procedure else None,
                    draw=s.draw,
                )
                for s in content.quiz.slots
            ]
            sources.append((content.quiz, slots, questions))
        return sources

    # --- writing --------------------------------------------------------------------------

    def write(self, index: PackIndex, report: Report) -> None:
        if not self._files:
            # A pack without quiz files must not be read as "retire every question".
            return
        for kind in ("questions", "quizzes"):
            report.counts.setdefault(kind, Counter())
        procedures = {p.slug: p for p in Procedure.objects.select_related("module")}
        behaviors = dict(Behavior.objects.values_list("code", "pk"))
        existing = {q.key: q for q in Question.objects.prefetch_related("behaviors")}
        rows: dict[str, Question] = {}
        links: dict[str, set[int]] = {}
        new, changed = [], []
        for content in self._files:
            for order, entry in enumerate(content.questions, start=1):
                values = {
                    "procedure_id": procedures[entry.procedure].pk,
                    "kind": entry.kind,
                    "stem": entry.stem,
                    "spec": spec_of(entry),
                    "explanation": entry.explanation,
                    "manual_quote": entry.manual,
                    "order": order,
                    "is_active": True,
                }
                fingerprint = digest(entry.model_dump())
                codes = codes_of(entry)
                links[entry.key] = {behaviors[c] for c in codes}
                row = existing.get(entry.key)
                if row is None:
                    row = Question(key=entry.key, content_hash=fingerprint, version=1, **values)
                    new.append(row)
                    report.add("questions", "created", entry.key)
                elif (
                    differs(row, values)
                    or row.content_hash != fingerprint
                    or {b.pk for b in row.behaviors.all()} != links[entry.key]
                ):
                    if row.content_hash != fingerprint:
                        row.version += 1
                    assign(row, values)
                    row.content_hash = fingerprint
                    changed.append(row)
                    report.add("questions", "updated", entry.key)
                else:
                    report.add("questions", "unchanged")
                rows[entry.key] = row
        # Written with their history: a load is a version like any other.
        bulk_create_with_history(new, Question, batch_size=500)
        bulk_update_with_history(
            changed, Question, [*_QUESTION_FIELDS, "version", "content_hash"], batch_size=200
        )
        self._write_links([*new, *changed], links)
        # Questions no longer in the pack are retired, not deleted: past attempts cite them.
        retired = [q for key, q in existing.items() if key not in rows and q.is_active]
        Question.objects.filter(pk__in=[q.pk for q in retired]).update(is_active=False)
        for question in retired:
            report.add("questions", "deleted", question.key)
        self._write_quizzes(rows, procedures, report)

    def _write_links(self, questions: list[Question], links: dict[str, set[int]]) -> None:
        through = Question.behaviors.through
        through.objects.filter(question_id__in=[q.pk for q in questions]).delete()
        through.objects.bulk_create(
            through(question_id=q.pk, behavior_id=b) for q in questions for b in links[q.key]
        )

    def _write_quizzes(self, questions, procedures, report) -> None:
        modules = {m.slug: m for m in Module.objects.all()}
        existing = {q.slug: q for q in Quiz.objects.prefetch_related("slots")}
        for content in self._files:
            entry = content.quiz
            values = {
                "module_id": modules[content.module].pk,
                "title": entry.title,
                "description": entry.description,
                "time_limit_minutes": entry.time_limit_minutes,
                "max_attempts": entry.max_attempts,
                "wait_minutes": entry.wait_minutes,
                "pass_mark": entry.pass_mark,
                "shuffle_questions": entry.shuffle_questions,
                "shuffle_options": entry.shuffle_options,
                "review": entry.review,
                "is_published": True,
            }
            slots = [
                (
                    order,
                    questions[s.question].pk if s.question else None,
                    procedures[s.procedure].pk if s.procedure else None,
                    s.draw,
                )
                for order, s in enumerate(entry.slots, start=1)
            ]
            # The quiz's version follows its settings and the questions it can serve.
            fingerprint = digest(
                {
                    "quiz": entry.model_dump(),
                    "questions": [q.model_dump() for q in content.questions],
                }
            )
            row = existing.get(entry.slug)
            if row is None:
                row = Quiz.objects.create(slug=entry.slug, content_hash=fingerprint, **values)
                report.add("quizzes", "created")
            elif differs(row, values) or row.content_hash != fingerprint:
                assign(row, values)
                row.version += 1
                row.content_hash = fingerprint
                row.save()
                report.add("quizzes", "updated")
            else:
                report.add("quizzes", "unchanged")
                continue
            QuizSlot.objects.filter(quiz=row).delete()
            QuizSlot.objects.bulk_create(
                QuizSlot(
                    quiz=row, order=order, question_id=question, procedure_id=proc, draw_count=n
                )
                for order, question, proc, n in slots
            )
        # A quiz gone from the pack is unpublished, not deleted: its attempts stay readable.
        slugs = {content.quiz.slug for content in self._files}
        gone = [q for slug, q in existing.items() if slug not in slugs and q.is_published]
        Quiz.objects.filter(pk__in=[q.pk for q in gone]).update(is_published=False)
        for _ in gone:
            report.add("quizzes", "deleted")

    # --- export ---------------------------------------------------------------------------

    def export(self) -> dict[str, object]:
        slots = Prefetch(
            "slots",
            queryset=QuizSlot.objects.select_related("question", "procedure").order_by("order"),
        )
        questions = (
            Question.objects.active()
            .select_related("procedure__module")
            .order_by("procedure__module__order", "procedure__module__slug", "order", "key")
        )
        by_module: dict[str, list[Question]] = {}
        for question in questions:
            by_module.setdefault(question.procedure.module.slug, []).append(question)
        files = {}
        for quiz in Quiz.objects.select_related("module").prefetch_related(slots):
            module = quiz.module.slug
            files[f"{module}.yaml"] = {
                "module": module,
                "quiz": _quiz_data(quiz),
                "questions": [_question_data(q) for q in by_module.get(module, [])],
            }
        return files


_QUESTION_FIELDS = [
    "procedure_id",
    "kind",
    "stem",
    "spec",
    "explanation",
    "manual_quote",
    "order",
    "is_active",
]


def _explain_kind(source: SourceFile, error: PackError) -> PackError:
    """pydantic reports a bad ``kind`` on the whole question; point at the key instead."""
    match = re.fullmatch(r"questions\[(\d+)\]", error.path)
    if not match or not error.message.startswith(("Input tag", "Unable to extract tag")):
        return error
    path = ("questions", int(match.group(1)), "kind")
    kinds = ", ".join(KINDS)
    given = source.data["questions"][path[1]].get("kind")
    if given is None:
        return source.error(path, "required key is missing")
    return source.error(path, f"{given!r} is not one of {kinds}")


def _check_file(
    source: SourceFile, content: QuizFile, index: PackIndex, claims: Claims
) -> list[PackError]:
    errors: list[PackError] = []

    def claim(kind: str, key: str, path: tuple) -> None:
        if duplicate := claims.claim(kind, key, source, path):
            errors.append(duplicate)

    module = content.module
    if module not in index.modules:
        errors.append(source.error(("module",), f"unknown module {module!r}"))
    if PurePath(source.name).stem != module:
        errors.append(source.error(("module",), f"the file must be named {module}.yaml"))
    claim("quiz for module", module, ("module",))
    claim("quiz slug", content.quiz.slug, ("quiz", "slug"))

    keys: dict[str, str] = {}
    for i, question in enumerate(content.questions):
        path = ("questions", i)
        claim("question key", question.key, (*path, "key"))
        keys[question.key] = question.procedure
        errors.extend(_check_question(source, question, path, index, module))

    fixed = {s.question for s in content.quiz.slots if s.question}
    for j, slot in enumerate(content.quiz.slots):
        path = ("quiz", "slots", j)
        if slot.question and slot.question not in keys:
            errors.append(
                source.error((*path, "question"), f"no question {slot.question!r} in this file")
            )
        if slot.procedure:
            if index.procedures.get(slot.procedure) != module:
                errors.append(
                    source.error(
                        (*path, "procedure"),
                        f"procedure {slot.procedure!r} is not in module {module!r}",
                    )
                )
                continue
            pool = [k for k, p in keys.items() if p == slot.procedure and k not in fixed]
            wanted = sum(s.draw for s in content.quiz.slots if s.procedure == slot.procedure)
            if wanted * POOL_DEPTH > len(pool):
                errors.append(
                    source.error(
                        (*path, "draw"),
                        f"draws {wanted} from {slot.procedure!r}, whose pool has {len(pool)} "
                        f"questions that are not fixed: a pool holds at least {POOL_DEPTH}× "
                        "what it draws, so a second and third attempt see new questions",
                    )
                )
    return errors


def _check_question(source, question, path, index: PackIndex, module: str) -> list[PackError]:
    found = question_problems(
        question,
        module=module,
        procedures=index.procedures,
        behavior_kinds=index.behavior_kinds,
    )
    return [source.error((*path, *where), message) for where, message in found]


def _quiz_data(quiz: Quiz) -> dict[str, object]:
    """A quiz as its author writes it: documented key order, defaults left out."""
    data: dict[str, object] = {"slug": quiz.slug, "title": quiz.title}
    optional = {
        "description": (quiz.description, ""),
        "time_limit_minutes": (quiz.time_limit_minutes, None),
        "max_attempts": (quiz.max_attempts, None),
        "wait_minutes": (quiz.wait_minutes, 0),
        "pass_mark": (quiz.pass_mark, 70),
        "shuffle_questions": (quiz.shuffle_questions, True),
        "shuffle_options": (quiz.shuffle_options, True),
        "review": (quiz.review, Quiz.Review.IMMEDIATELY),
    }
    data.update({k: v for k, (v, default) in optional.items() if v != default})
    slots = []
    for slot in quiz.slots.all():
        if slot.question_id:
            slots.append({"question": slot.question.key})
        else:
            entry = {"procedure": slot.procedure.slug}
            if slot.draw_count != 1:
                entry["draw"] = slot.draw_count
            slots.append(entry)
    data["slots"] = slots
    return data


def _question_data(question: Question) -> dict[str, object]:
    head = {"key": question.key, "procedure": question.procedure.slug, "kind": question.kind}
    body = {"stem": question.stem, **question.spec}
    tail = {"explanation": question.explanation, "manual": question.manual_quote}
    data = {**head, **body, **tail}
    return data
