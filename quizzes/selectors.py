"""Named reads for quizzes and attempts, with their joins built in, and the rules of who may
start or review what."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import grading
from quizzes.guessers import Giveaways, QuizFigures, giveaways, quiz_figures
from quizzes.kinds import kind_of
from quizzes.models import Attempt, AttemptItem, Question, QuestionDraft, Quiz
from quizzes.paper import QuestionContent, Slot
from training.guessing import guessers


@dataclass(frozen=True)
class Standing:
    """Where a trainee stands on one quiz: attempts, the best one, and whether they may start."""

    attempts: list[Attempt]
    best: Attempt | None
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    available_at: datetime | None  # when the wait between attempts ends
    blocker: str  # why a new attempt cannot start now; empty when it can
    open_attempt: Attempt | None

    @property
    def passed(self) -> bool:
        return bool(self.best and self.best.passed)


def quiz_standing(*, quiz: Quiz, user, now: datetime | None = None) -> Standing:
    now = now or timezone.now()
    attempts = list(Attempt.objects.of(user, quiz).order_by("-number"))
    graded = [a for a in attempts if not a.is_open]
    open_attempt = next((a for a in attempts if a.is_open), None)
    best = max(graded, key=lambda a: (a.score, -a.number), default=None)
    used = len(attempts)
    left = None if quiz.max_attempts is None else max(quiz.max_attempts - used, 0)
    available_at = None
    if graded and quiz.wait_minutes:
        last = max(a.submitted_at for a in graded)
        if last + timedelta(minutes=quiz.wait_minutes) > now:
            available_at = last + timedelta(minutes=quiz.wait_minutes)
    blocker = ""
    if not quiz.is_published:
        blocker = _("This quiz is not open.")
    elif quiz.closes_at and quiz.closes_at <= now:
        blocker = _("This quiz has closed.")
    elif left == 0:
        blocker = _("You have used all your attempts at this quiz.")
    elif available_at:
        blocker = _("You can start another attempt after the wait between attempts.")
    return Standing(
        attempts=attempts,
        best=best,
        attempts_used=used,
        attempts_left=left,
        available_at=available_at,
        blocker=blocker,
        open_attempt=open_attempt,
    )


def review_available(attempt: Attempt, standing: Standing, *, now: datetime) -> bool:
    """Whether the answers and keys of a graded attempt may be shown to its trainee.

    Never while the trainee has an attempt of the same quiz open: the keys of the first would
    answer the second. With review "after the quiz closes", only once the quiz's closing time
    has passed, or once the trainee has no attempts left, when keys can no longer help.
    """
    if attempt.is_open or standing.open_attempt is not None:
        return False
    quiz = attempt.quiz
    if quiz.review == Quiz.Review.IMMEDIATELY:
        return True
    return bool((quiz.closes_at and quiz.closes_at <= now) or standing.attempts_left == 0)


def quizzes_for_listing():
    return Quiz.objects.published().select_related("module").order_by("module__order", "slug")


def quiz_for_taking(slug: str) -> Quiz:
    return Quiz.objects.published().select_related("module").get(slug=slug)


def attempt_of_user(pk: int, user, *, with_items: bool = True) -> Attempt:
    """The trainee's own attempt, with its items unless not wanted (grading reads them again
    under its lock); DoesNotExist for anyone else's."""
    attempts = Attempt.objects.select_related("quiz__module")
    if with_items:
        items = Prefetch("items", queryset=AttemptItem.objects.order_by("position"))
        attempts = attempts.prefetch_related(items)
    return attempts.get(pk=pk, user=user)


@dataclass(frozen=True)
class ReviewedItem:
    """One graded question as the review page shows it: what was given next to what was right,
    as its kind lays it out (``review``) in its template."""

    served: dict
    response: object
    result: grading.ItemResult
    review: dict
    template: str

    @property
    def number(self) -> int:
        return self.served["position"] + 1


def reviewed_items(attempt: Attempt) -> list[ReviewedItem]:
    """Each served question with the trainee's response and its graded result."""
    responses = {i.position: i.response for i in attempt.items.all()}
    items = []
    for served in attempt.paper["questions"]:
        response = responses.get(served["position"])
        kind = kind_of(served["kind"])
        items.append(
            ReviewedItem(
                served=served,
                response=response,
                result=grading.grade_item(grading.item_from_served(served), response),
                review=kind.review(served, response),
                template=kind.template,
            )
        )
    return items


def questions_by_procedure(procedure_id: int):
    """A trainer's list of one procedure's questions, with how often each was answered right."""
    return (
        Question.objects.filter(procedure_id=procedure_id)
        .annotate(
            times_served=Count("attempt_items", filter=Q(attempt_items__correct__isnull=False)),
            times_right=Count("attempt_items", filter=Q(attempt_items__correct=True)),
        )
        .prefetch_related("behaviors")
        .order_by("order", "key")
    )


def drafts_of_procedure(slug: str):
    """The open drafts of questions on the procedure ``slug``, newest first."""
    return QuestionDraft.objects.filter(entry__procedure=slug).select_related("author")


def question_content(question: Question) -> QuestionContent:
    procedure = question.procedure
    return QuestionContent(
        id=question.pk,
        key=question.key,
        version=question.version,
        kind=question.kind,
        stem=question.stem,
        spec=question.spec,
        explanation=question.explanation,
        manual_quote=question.manual_quote,
        procedure_id=procedure.pk,
        procedure_slug=procedure.slug,
        procedure_title=procedure.title,
        module_slug=procedure.module.slug,
    )


def paper_sources(quiz: Quiz) -> tuple[list[Slot], dict[int, QuestionContent]]:
    """What a new paper of ``quiz`` is drawn from: its slots, and the active questions they
    can serve (fixed ones and each drawn procedure's pool), by id."""
    slots = [
        Slot(question_id=s.question_id, procedure_id=s.procedure_id, draw=s.draw_count)
        for s in quiz.slots.order_by("order")
    ]
    fixed = [s.question_id for s in slots if s.question_id is not None]
    pools = [s.procedure_id for s in slots if s.procedure_id is not None]
    questions = {
        q.pk: question_content(q)
        for q in Question.objects.active()
        .filter(Q(pk__in=fixed) | Q(procedure_id__in=pools))
        .select_related("procedure__module")
    }
    return slots, questions


@dataclass(frozen=True)
class QuizCheck:
    quiz: Quiz
    figures: QuizFigures
    giveaways: Giveaways


def quiz_checks(manual: str) -> list[QuizCheck]:
    """Every published quiz answered by the guessing bots, with how much the look of its
    options gives away; computed once per quiz content and manual wording, then cached."""
    digest = hashlib.sha256(manual.encode()).hexdigest()[:16]
    bots = guessers(manual)
    checks = []
    for quiz in Quiz.objects.published().select_related("module").order_by("module__order"):
        key = f"guessers:quiz:{quiz.pk}:{quiz.version}:{quiz.content_hash}:{digest}"
        found = cache.get(key)
        if found is None:
            slots, questions = paper_sources(quiz)
            found = (
                quiz_figures(
                    slots,
                    questions,
                    pass_mark=quiz.pass_mark,
                    shuffle_questions=quiz.shuffle_questions,
                    shuffle_options=quiz.shuffle_options,
                    guessers=bots,
                ),
                giveaways(questions.values()),
            )
            cache.set(key, found, timeout=None)
        checks.append(QuizCheck(quiz, *found))
    return checks
