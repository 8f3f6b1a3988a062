"""Regrading after a trainer fixed a question: the graded attempts that served an earlier
version of it, each graded again with the corrected key (``training.regrading`` counts the
plan and applies it).

A regrade corrects keys, not questions: a served question is keyed again only when the texts
the trainee was shown are the ones the current version shows (its kind says so, ``rekey``);
otherwise the attempt is left as it was and counted apart. Every attempt keyed again keeps
what it was first served in its paper (``paper["regraded"]``), so its grade still replays
from its paper, its review shows the corrected key, and the history reads whole.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch

from quizzes import grading
from quizzes.kinds import kind_of
from quizzes.models import Attempt, AttemptItem, Question
from quizzes.paper import fact_specs
from training import regrading
from training.models import Judgement, Regrade
from training.regrading import RegradePlan, StaleRegrade

__all__ = ["StaleRegrade", "regrade_apply", "regrade_plan"]


@dataclass(frozen=True)
class _Keyed:
    position: int
    served: dict  # the question keyed again, as the paper will hold it
    result: grading.PaperResult
    paper: dict  # the paper as it stands


def regrade_plan(question: Question) -> RegradePlan:
    """The dry run: what applying the regrade of ``question`` would change, for whom."""
    return regrading.regrade_plan(
        _empty_plan(question), _batches(question, _served_earlier(question)), Attempt
    )


def regrade_apply(
    *, question: Question, by, reason: str, fingerprint: str, now: datetime | None = None
) -> tuple[Regrade, RegradePlan]:
    """Key again every attempt that served an earlier version of ``question``; those whose
    grade or verdicts change are regraded in the ledger. All or nothing, and only if it
    still changes what the trainer reviewed (``fingerprint``); StaleRegrade otherwise."""

    def locked():
        # The question first, then its attempts in one order: a second regrade waits, and a
        # submit of an attempt being regraded waits for it (or it waits for the submit).
        fixed = Question.objects.select_for_update().get(pk=question.pk)
        attempts = _served_earlier(fixed).select_for_update(of=("self",))
        return _empty_plan(fixed), _batches(fixed, attempts)

    return regrading.regrade_apply(
        locked, Attempt, _write, by=by, reason=reason, fingerprint=fingerprint, now=now
    )


def _empty_plan(question: Question) -> RegradePlan:
    return RegradePlan(source=Judgement.Source.QUIZ, item=question.key, version=question.version)


def _served_earlier(question: Question):
    """Graded attempts that served ``question`` (its earlier versions are told apart from the
    paper, which names the version it served)."""
    items = Prefetch(
        "items", queryset=AttemptItem.objects.only("attempt_id", "position", "response")
    )
    served = AttemptItem.objects.filter(question=question).values("attempt_id")
    return (
        Attempt.objects.graded()
        .filter(pk__in=served)
        .select_related("quiz", "user")
        .prefetch_related(items)
        .order_by("pk")
    )


def _batches(question: Question, attempts) -> Iterator[list[regrading.Outcome]]:
    return regrading.batched(
        _outcome(question, a) for a in attempts.iterator(chunk_size=regrading.BATCH)
    )


def _outcome(question: Question, attempt: Attempt) -> regrading.Outcome | None:
    """The attempt graded with ``question`` keyed again; None when it served the current
    version; not comparable when what it showed cannot be keyed again."""
    questions = attempt.paper["questions"]
    position = next(
        (i for i, q in enumerate(questions) if q.get("question_id") == question.pk), None
    )
    if position is None or questions[position].get("version", 0) >= question.version:
        return None
    served = questions[position]
    before = regrading.Outcome(
        record=attempt.pk,
        trainee_id=attempt.user_id,
        trainee=attempt.user.get_full_name() or attempt.user.get_username(),
        module_id=attempt.quiz.module_id,
        graded_at=attempt.submitted_at,
        content_version=attempt.quiz_version,
        seed=attempt.seed,
        place=position + 1,
        score_before=Decimal(str(attempt.score)),
        passed_before=bool(attempt.passed),
    )
    part = None
    facts = served.get("fact_values", {})
    needed = {spec.name for spec in fact_specs(question.spec)}
    if needed <= set(facts) and served.get("kind") == question.kind:
        try:
            part = kind_of(question.kind).rekey(served, question.spec, facts)
        except (KeyError, TypeError, ValueError, IndexError):
            part = None
    if part is None:
        return before
    keyed = {
        **served,
        **part,
        "version": question.version,
        "behaviors": list(question.spec.get("behaviors", ())),
        "explanation": question.explanation,
        "manual_quote": question.manual_quote,
    }
    questions = list(questions)
    questions[position] = keyed
    responses = {i.position: i.response for i in attempt.items.all() if i.response is not None}
    result = grading.grade_paper(
        grading.items_from_paper({"questions": questions}),
        responses,
        attempt.paper["quiz"]["pass_mark"],
    )
    return replace(
        before,
        score_after=result.percent,
        passed_after=result.passed,
        judged=result.judgements,
        payload=_Keyed(position, keyed, result, attempt.paper),
    )


def _write(regrade: Regrade, outcome: regrading.Outcome, changed: bool) -> None:
    """The attempt's paper keyed again, what it first served kept beside it; when its grade
    changes, its score and the question's score too (the ledger is corrected by the caller)."""
    keyed: _Keyed = outcome.payload
    attempt_id = outcome.record
    paper = copy.deepcopy(keyed.paper)
    first = paper["questions"][keyed.position]
    paper["questions"][keyed.position] = keyed.served
    paper.setdefault("regraded", []).append(
        {"regrade": regrade.pk, "position": keyed.position, "served": first}
    )
    Attempt.objects.filter(pk=attempt_id).update(
        paper=paper, score=keyed.result.percent, passed=keyed.result.passed
    )
    if changed:
        item = keyed.result.items[keyed.position]
        AttemptItem.objects.filter(attempt_id=attempt_id, position=item.position).update(
            score=item.score, correct=item.correct
        )
