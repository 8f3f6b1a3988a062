"""Writes to attempts: start one, save answers, submit, and grade an overdue one, each atomic.

Views, admin, commands and tests all come through here. Every function locks the attempt's
row, and only it (``select_for_update(of=("self",))``), and moves its status out of
``in_progress`` with a guarded UPDATE, so a double click, a second tab or a replayed request
is graded once. Locks are always taken in one order: the trainee's row (only to start an
attempt), then the attempt's; certification, which locks the trainee's row, runs after the
grading transaction has committed, never inside it. Attempts past their deadline plus a short
grace are graded with what was saved whenever they are next read; no cron.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import grading
from quizzes.models import Attempt, AttemptItem, Quiz
from quizzes.paper import QuestionContent, build_paper, draw_questions
from quizzes.selectors import paper_sources, quiz_standing
from training.events import announce_graded
from training.models import Judgement
from training.services import judgements_record

# Answers that left the browser just before the deadline still count.
DEADLINE_GRACE = timedelta(seconds=30)


class QuizUnavailable(Exception):
    """The trainee may not start this quiz now; the message says why, for the trainee."""


class AttemptClosed(Exception):
    """The attempt is already graded (submitted, or past its deadline): nothing was saved."""


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: Attempt
    counted: bool  # False when an earlier request had already graded it


def attempt_start(*, quiz: Quiz, user, now: datetime | None = None) -> Attempt:
    """Resume the trainee's open attempt, or serve and freeze a new paper."""
    now = now or timezone.now()
    with transaction.atomic():
        # One start at a time per trainee: the partial unique index is the backstop.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        current = Attempt.objects.of(user, quiz).in_progress().select_for_update().first()
        if current is not None:
            if not _overdue(current, now):
                return current
            _grade(current, now=now, status=Attempt.Status.EXPIRED)
        standing = quiz_standing(quiz=quiz, user=user, now=now)
        if standing.blocker:
            raise QuizUnavailable(standing.blocker)
        seed = secrets.randbits(62)
        contents = _draw_questions(quiz=quiz, user=user, seed=seed)
        if not contents:
            raise QuizUnavailable(_("This quiz has no questions yet."))
        paper = build_paper(
            contents,
            seed=seed,
            shuffle_questions=quiz.shuffle_questions,
            shuffle_options=quiz.shuffle_options,
            quiz={
                "id": quiz.pk,
                "slug": quiz.slug,
                "title": quiz.title,
                "version": quiz.version,
                "module_version": quiz.module.version,
                "pass_mark": quiz.pass_mark,
            },
        )
        attempt = Attempt.objects.create(
            quiz=quiz,
            user=user,
            number=standing.attempts_used + 1,
            seed=seed,
            quiz_version=quiz.version,
            module_version=quiz.module.version,
            paper=paper,
            started_at=now,
            deadline=now + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes
            else None,
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(attempt=attempt, position=q["position"], question_id=q["question_id"])
            for q in paper["questions"]
        )
    return attempt


def answer_save(
    *, attempt: Attempt, responses: Mapping[int, object], now: datetime | None = None
) -> Attempt:
    """Save normalised responses by position (None clears one); AttemptClosed once graded."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.is_open and _overdue(locked, now):
            _grade(locked, now=now, status=Attempt.Status.EXPIRED)
        if locked.is_open:
            changed = []
            for item in locked.items.filter(position__in=list(responses)):
                response = responses[item.position]
                if item.response != response:
                    item.response, item.saved_at = response, now
                    changed.append(item)
            AttemptItem.objects.bulk_update(changed, ["response", "saved_at"])
    if not locked.is_open:
        raise AttemptClosed
    return locked


def attempt_submit(
    *,
    attempt: Attempt,
    responses: Mapping[int, object] | None = None,
    now: datetime | None = None,
) -> SubmitOutcome:
    """Save the ``responses`` posted with the submit and grade the attempt, under one lock and
    in one transaction; a repeated submit changes nothing and says so. Past the deadline, the
    answers saved in time are graded and those posted late are not."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(attempt)
        counted = False
        if locked.is_open:
            if _overdue(locked, now):
                counted = _grade(locked, now=now, status=Attempt.Status.EXPIRED)
            else:
                counted = _grade(
                    locked, now=now, status=Attempt.Status.SUBMITTED, responses=responses
                )
    return SubmitOutcome(attempt=locked, counted=counted)


def attempt_close_if_overdue(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Grade an attempt whose time ran out with the answers it has; read paths call this."""
    now = now or timezone.now()
    if not attempt.is_open or not _overdue(attempt, now):
        return attempt
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.is_open and _overdue(locked, now):
            _grade(locked, now=now, status=Attempt.Status.EXPIRED)
    return locked


def _lock(attempt: Attempt) -> Attempt:
    # The attempt's row alone: the quiz is read, never locked, so submits of one quiz by
    # many trainees never queue behind each other. An open attempt's paper never changes, so
    # the one already read is kept rather than read and decoded again.
    if attempt.is_open and "paper" in attempt.__dict__:
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz")
            .defer("paper")
            .get(pk=attempt.pk)
        )
        if locked.is_open:
            locked.paper = attempt.paper
        return locked
    return Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt.pk)


def _overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + DEADLINE_GRACE


def _grade(
    attempt: Attempt,
    *,
    now: datetime,
    status: str,
    responses: Mapping[int, object] | None = None,
) -> bool:
    """Score the locked attempt from its frozen paper, with ``responses`` saved first (by
    position, as ``answer_save`` takes them); False if it was no longer open."""
    items = list(attempt.items.all())
    answered = set()
    for item in items:
        if responses and item.position in responses and item.response != responses[item.position]:
            item.response, item.saved_at = responses[item.position], now
            answered.add(item.position)
    responses = {i.position: i.response for i in items if i.response is not None}
    result = grading.grade_paper(
        grading.items_from_paper(attempt.paper), responses, attempt.paper["quiz"]["pass_mark"]
    )
    moved = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        status=status, score=result.percent, passed=result.passed, submitted_at=now
    )
    if not moved:
        attempt.refresh_from_db()
        return False
    attempt.status, attempt.score, attempt.passed, attempt.submitted_at = (
        status,
        result.percent,
        result.passed,
        now,
    )
    if answered:
        AttemptItem.objects.bulk_update(
            [i for i in items if i.position in answered], ["response", "saved_at"]
        )
    _write_scores(attempt, result)
    judgements_record(
        trainee_id=attempt.user_id,
        module_id=attempt.quiz.module_id,
        source=Judgement.Source.QUIZ,
        record=attempt.pk,
        content_version=attempt.quiz_version,
        seed=attempt.seed,
        judged=result.judgements,
        at=now,
    )
    # Certification and reporting hear of it once this transaction commits.
    announce_graded(
        trainee_id=attempt.user_id,
        module_id=attempt.quiz.module_id,
        source=Judgement.Source.QUIZ,
        record=attempt.pk,
        at=now,
        passed=result.passed,
    )
    return True


def _write_scores(attempt: Attempt, result: grading.PaperResult) -> None:
    """Each item's score: one UPDATE per distinct score on the paper (right, wrong, and each
    partial credit given), a handful whatever its length, and far cheaper than a CASE per
    item."""
    positions: dict[Decimal, list[int]] = defaultdict(list)
    for item in result.items:
        positions[item.score].append(item.position)
    for score, at in sorted(positions.items()):
        AttemptItem.objects.filter(attempt=attempt, position__in=at).update(
            score=score, correct=score == 1
        )


def _draw_questions(*, quiz: Quiz, user, seed: int) -> list[QuestionContent]:
    """Fixed questions, then draws from each procedure's pool, unseen questions first."""
    slots, questions = paper_sources(quiz)
    seen = set(
        AttemptItem.objects.filter(attempt__user=user, question_id__in=list(questions))
        .values_list("question_id", flat=True)
        .distinct()
    )
    return draw_questions(slots, questions, seen=seen, rng=random.Random(seed))
