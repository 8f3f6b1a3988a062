"""Proof-carrying grades: every graded quiz attempt is graded again from its frozen paper and
saved answers, every graded call from its version's rubric, its facts and its recorded turns
(a typed reply read again from its words), and compared with what was stored. A grade that
replays differently is a bug (or a tampered row); this says which."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from quizzes import grading as quiz_grading
from quizzes.models import Attempt, AttemptItem
from scenarios import grading as call_grading
from scenarios.models import Run, Turn
from scenarios.selectors import graph_of


@dataclass
class Replay:
    attempts: int = 0
    runs: int = 0
    differing: list[str] = field(default_factory=list)


def replay_grades(*, chunk: int = 500) -> Replay:
    replay = Replay()
    items = Prefetch(
        "items", queryset=AttemptItem.objects.only("attempt_id", "position", "response")
    )
    for attempt in Attempt.objects.graded().prefetch_related(items).iterator(chunk_size=chunk):
        responses = {i.position: i.response for i in attempt.items.all() if i.response is not None}
        result = quiz_grading.grade_paper(
            quiz_grading.items_from_paper(attempt.paper),
            responses,
            attempt.paper["quiz"]["pass_mark"],
        )
        replay.attempts += 1
        if Decimal(str(result.percent)) != Decimal(str(attempt.score)) or (
            result.passed != attempt.passed
        ):
            replay.differing.append(
                f"attempt {attempt.pk}: stored {attempt.score}/{attempt.passed}, "
                f"replayed {result.percent}/{result.passed}"
            )
    turns = Prefetch(
        "turns",
        queryset=Turn.objects.only("run_id", "index", "step_id", "choice_id", "said", "behaviors"),
    )
    for run in (
        Run.objects.graded()
        .select_related("version")
        .prefetch_related(turns)
        .iterator(chunk_size=chunk)
    ):
        story = graph_of(run.version)
        records = []
        for turn in sorted(run.turns.all(), key=lambda t: t.index):
            behaviors = tuple(turn.behaviors)
            step = story.step(turn.step_id)
            if turn.choice_id == Turn.TYPED and step is not None and step.typed is not None:
                # A typed reply is read again from its words, not from what was stored.
                regraded = step.typed.grade(turn.said, run.facts).performed
                if regraded != behaviors:
                    replay.differing.append(
                        f"run {run.pk}, turn {turn.index}: stored {list(behaviors)}, "
                        f"the reply reads {list(regraded)}"
                    )
                behaviors = regraded
            records.append(call_grading.TurnRecord(index=turn.index, behaviors=behaviors))
        result = call_grading.grade(
            records, run.facts, story.rubric, completed=run.status == Run.Status.COMPLETED
        )
        replay.runs += 1
        if result.to_dict() != run.result or result.passed != run.passed:
            replay.differing.append(
                f"run {run.pk}: stored {run.score}/{run.passed}, "
                f"replayed {result.total}/{result.passed}"
            )
    return replay
