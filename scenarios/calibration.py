"""The held-back calibration of typed steps: for each typed step of a call, replies written from
the manual that an expert would accept and replies they would reject, none of them among the
step's own samples. The grader's agreement with them is the evidence that it reads Portuguese
as a trainer does (pure Python, no Django).

A calibration file (``tests/calibration/<call slug>.yaml``)::

    scenario: chat-promessa-pagamento
    steps:
      - step: explicar            # a typed step of the call
        facts: {days_open: 6}     # facts the replies assume (the rest drawn from seed 0)
        correct: [...]            # at least 10 replies to accept
        incorrect: [...]          # at least 10 replies to reject
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scenarios.graph import Scenario, render

# The agreement every typed step must reach on its calibration set.
AGREEMENT_GOAL = 0.95
MIN_REPLIES = 10


@dataclass
class StepCalibration:
    scenario: str
    step: str
    correct: int = 0
    incorrect: int = 0
    agreed: int = 0
    # Replies the grader got wrong: (reply, expected accepted?, what it read).
    disagreements: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.correct + self.incorrect

    @property
    def agreement(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    @property
    def problems(self) -> list[str]:
        found = []
        if self.correct < MIN_REPLIES or self.incorrect < MIN_REPLIES:
            found.append(
                f"needs at least {MIN_REPLIES} correct and {MIN_REPLIES} incorrect replies "
                f"(has {self.correct} and {self.incorrect})"
            )
        if self.agreement < AGREEMENT_GOAL:
            found.append(f"agreement {self.agreement:.0%} is under {AGREEMENT_GOAL:.0%}")
        return found


def calibrate(
    slug: str, scenario: Scenario, data: Mapping[str, object]
) -> tuple[list[StepCalibration], list[str]]:
    """Grade every calibration reply of ``data`` against the call; the per-step figures and the
    problems of the file itself (an unknown step, a typed step with no set)."""
    results, problems = [], []
    covered = set()
    for entry in data.get("steps") or []:
        step = scenario.step(str(entry.get("step")))
        if step is None or step.typed is None:
            problems.append(f"{slug}: {entry.get('step')!r} is not a typed step of the call")
            continue
        covered.add(step.id)
        facts = {**scenario.draw(0), **(entry.get("facts") or {})}
        figures = StepCalibration(slug, step.id)
        for expected, replies in ((True, entry.get("correct")), (False, entry.get("incorrect"))):
            for reply in replies or []:
                graded = step.typed.grade(render(str(reply), facts), facts)
                if expected:
                    figures.correct += 1
                else:
                    figures.incorrect += 1
                if graded.accepted == expected:
                    figures.agreed += 1
                else:
                    read = ", ".join(
                        f"{f.concept}={'yes' if f.matched else 'no'}" for f in graded.found
                    )
                    figures.disagreements.append((str(reply), expected, read))
        results.append(figures)
    for step in scenario.steps:
        if step.typed is not None and step.id not in covered:
            problems.append(f"{slug}: typed step {step.id!r} has no calibration set")
    return results, problems
