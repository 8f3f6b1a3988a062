"""Item analysis for trainers: per question its facility and discrimination (aggregated in the
database from stored answers) and how often each option was picked (the option tallies, counted
once per attempt at grading); per call step the choices taken."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q

from quizzes.models import Attempt, AttemptItem, Question, Quiz
from reporting.models import OptionTally
from scenarios.models import Run, Scenario, Turn

# Kelley's classic groups: the top and bottom 27% of attempts by total score.
GROUP_FRACTION = 0.27
# Below this facility an item is hard, above the other easy; under the discrimination floor it
# fails to separate strong trainees from weak ones (or favours the weak: a misleading item).
HARD_BELOW, EASY_ABOVE, DISCRIMINATION_FLOOR = 0.3, 0.9, 0.2


@dataclass
class OptionCount:
    text: str
    chosen: int
    correct: bool
    percent: int = 0


@dataclass
class QuestionAnalysis:
    question: Question
    served: int
    facility: float | None  # mean item score, 0..1
    discrimination: float | None  # upper group mean minus lower group mean, -1..1
    options: list[OptionCount] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.facility is not None and self.facility < HARD_BELOW:
            flags.append("hard")
        if self.facility is not None and self.facility > EASY_ABOVE:
            flags.append("easy")
        if self.discrimination is not None and self.discrimination < DISCRIMINATION_FLOOR:
            flags.append("weak")
        return flags


@dataclass
class QuizAnalysis:
    quiz: Quiz
    attempts: int
    group_size: int
    questions: list[QuestionAnalysis]


def quiz_analysis(quiz: Quiz) -> QuizAnalysis:
    """The quiz's analysis, kept in the cache until another of its attempts is graded: the
    aggregate over every answered item is the costly part, and trainers look far more often
    than a single quiz's attempts come in."""
    latest, attempts = _graded_marker(quiz)
    key = f"item-analysis:quiz:{quiz.pk}:{quiz.version}:{latest}:{attempts}"
    return cache.get_or_set(key, lambda: _quiz_analysis(quiz, attempts), timeout=24 * 3600)


def _graded_marker(quiz: Quiz) -> tuple[int | None, int]:
    graded = Attempt.objects.graded().filter(quiz=quiz)
    marker = graded.aggregate(latest=Max("pk"), count=Count("pk"))
    return marker["latest"], marker["count"]


def _quiz_analysis(quiz: Quiz, attempts: int) -> QuizAnalysis:
    """Three queries whatever the number of attempts: one aggregate over answered items with
    the upper and lower groups as subqueries, the questions, their option tallies."""
    graded = Attempt.objects.graded().filter(quiz=quiz)
    group = math.ceil(GROUP_FRACTION * attempts) if attempts else 0
    # Ties broken by id, so the groups are the same on every database.
    upper = graded.order_by("-score", "pk").values("pk")[:group]
    lower = graded.order_by("score", "pk").values("pk")[:group]
    rows = (
        AttemptItem.objects.filter(attempt__quiz=quiz, score__isnull=False)
        .values("question_id")
        .annotate(
            served=Count("pk"),
            facility=Avg("score"),
            upper=Avg("score", filter=Q(attempt_id__in=upper)),
            lower=Avg("score", filter=Q(attempt_id__in=lower)),
        )
        .order_by()
    )
    stats = {row["question_id"]: row for row in rows if row["question_id"] is not None}
    questions = Question.objects.filter(pk__in=list(stats)).select_related("procedure")
    options = _option_counts(list(stats)) if stats else {}
    analyses = []
    for question in sorted(questions, key=lambda q: (q.procedure.order, q.order, q.key)):
        row = stats[question.pk]
        upper_mean, lower_mean = row["upper"], row["lower"]
        analyses.append(
            QuestionAnalysis(
                question=question,
                served=row["served"],
                facility=_float(row["facility"]),
                discrimination=(
                    round(float(upper_mean) - float(lower_mean), 2)
                    if upper_mean is not None and lower_mean is not None
                    else None
                ),
                options=options.get(question.pk, []),
            )
        )
    return QuizAnalysis(quiz=quiz, attempts=attempts, group_size=group, questions=analyses)


def _float(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _option_counts(question_ids) -> dict[int, list[OptionCount]]:
    """How often each option of these questions was picked: the option tallies, counted once
    per graded attempt when it was graded (``reporting.services.option_tallies_add``)."""
    result: dict[int, list[OptionCount]] = {}
    for tally in OptionTally.objects.filter(question_id__in=question_ids).order_by("pk"):
        result.setdefault(tally.question_id, []).append(
            OptionCount(tally.text, tally.chosen, tally.correct)
        )
    for options in result.values():
        total = sum(o.chosen for o in options)
        for option in options:
            option.percent = round(100 * option.chosen / total) if total else 0
    return result


@dataclass
class ChoiceCount:
    id: str
    say: str
    taken: int
    percent: int


@dataclass
class StepAnalysis:
    id: str
    customer: str
    reached: int
    choices: list[ChoiceCount]


def call_analysis(scenario: Scenario) -> list[StepAnalysis]:
    """The call's analysis, kept in the cache until another of its runs ends (as the quiz's
    is): counting every turn of every finished run is the costly part."""
    marker = (
        Run.objects.counted()
        .graded()
        .filter(scenario=scenario)
        .aggregate(latest=Max("pk"), count=Count("pk"))
    )
    key = (
        f"item-analysis:call:{scenario.pk}:{scenario.version}:{marker['latest']}:{marker['count']}"
    )
    return cache.get_or_set(key, lambda: _call_analysis(scenario), timeout=24 * 3600)


def _call_analysis(scenario: Scenario) -> list[StepAnalysis]:
    """Per step of the current version, how often each choice was taken in finished counted
    runs (choices of older versions that no longer exist are listed by their id)."""
    taken: dict[str, Counter] = {}
    rows = (
        Turn.objects.filter(run__scenario=scenario, run__is_preview=False)
        .exclude(run__status=Run.Status.IN_PROGRESS)
        .values("step_id", "choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        taken.setdefault(row["step_id"], Counter())[row["choice_id"]] = row["n"]
    version = scenario.versions.filter(number=scenario.version).first()
    steps = (version.definition if version else {}).get("steps", [])
    analyses = []
    seen = set()
    for step in steps:
        choices = step.get("choices") or []
        if not choices:
            continue
        counter = taken.get(step["id"], Counter())
        seen.add(step["id"])
        listed = [(c["id"], c.get("say", "")) for c in choices]
        listed += [(cid, "") for cid in counter if cid not in {c["id"] for c in choices}]
        analyses.append(_step_analysis(step["id"], step.get("customer", ""), listed, counter))
    for step_id, counter in taken.items():
        if step_id not in seen:
            analyses.append(_step_analysis(step_id, "", [(c, "") for c in counter], counter))
    return analyses


def _step_analysis(step_id, customer, listed, counter: Counter) -> StepAnalysis:
    total = sum(counter.values())
    return StepAnalysis(
        id=step_id,
        customer=customer,
        reached=total,
        choices=[
            ChoiceCount(cid, say, counter[cid], round(100 * counter[cid] / total) if total else 0)
            for cid, say in listed
        ],
    )
