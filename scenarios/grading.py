"""Grading a call like a QA scorecard: the behaviours of each turn and the run's facts in, each
rubric item met, missed or violated with the turn that decided it, section scores, a total,
the critical errors and pass or fail out (pure Python, no Django).

A critical error always fails the call, whatever the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

from training.conditions import evaluate

SECTIONS = ("compliance", "resolution", "rapport")
ITEM_KINDS = ("required", "forbidden", "critical", "order")


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    VIOLATED = "violated"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class RubricItem:
    """One line of the scorecard.

    ``required``: the behaviour must happen. ``forbidden``: it must not (costs its weight).
    ``critical``: it must not, and if it does the call fails. ``order``: when ``before``
    happens, ``behavior`` must already have happened. ``when`` limits the item to runs
    whose facts satisfy that condition.
    """

    id: str
    kind: str
    behavior: str
    section: str
    weight: int = 1
    before: str | None = None
    when: str | None = None
    expert: str = ""
    index: int = 0


@dataclass(frozen=True)
class Rubric:
    items: tuple[RubricItem, ...]
    pass_mark: int = 70

    def item(self, item_id: str) -> RubricItem | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class TurnRecord:
    """What the agent did on one turn (numbered from 1): the behaviours its choice performed."""

    index: int
    behaviors: tuple[str, ...]


@dataclass(frozen=True)
class ItemResult:
    id: str
    kind: str
    section: str
    behavior: str
    weight: int
    verdict: Verdict
    turn: int | None  # the turn that decided the verdict; None when no turn did
    before: str | None = None

    @property
    def applies(self) -> bool:
        return self.verdict != Verdict.NOT_APPLICABLE

    @property
    def earned(self) -> bool:
        return self.verdict == Verdict.MET


@dataclass(frozen=True)
class GradeResult:
    items: tuple[ItemResult, ...]
    sections: dict[str, float | None]  # None: no item of the section applied to this run
    total: float
    critical_errors: tuple[str, ...]  # ids of the critical items violated
    passed: bool
    pass_mark: int
    completed: bool = True  # False: the agent hung up before the call reached an end

    @property
    def compliance(self) -> float | None:
        return self.sections.get("compliance")

    @property
    def full_marks(self) -> bool:
        return all(i.verdict in (Verdict.MET, Verdict.NOT_APPLICABLE) for i in self.items)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["items"] = [{**item, "verdict": str(item["verdict"])} for item in data["items"]]
        data["critical_errors"] = list(self.critical_errors)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> GradeResult:
        return cls(
            items=tuple(
                ItemResult(**{**item, "verdict": Verdict(item["verdict"])})
                for item in data["items"]
            ),
            sections=dict(data["sections"]),
            total=data["total"],
            critical_errors=tuple(data["critical_errors"]),
            passed=data["passed"],
            pass_mark=data["pass_mark"],
            completed=data.get("completed", True),
        )


def grade(
    turns: Sequence[TurnRecord],
    facts: Mapping[str, object],
    rubric: Rubric,
    *,
    completed: bool = True,
) -> GradeResult:
    """Grade a transcript; a call ended before it was resolved (``completed=False``) fails."""
    first: dict[str, int] = {}
    for turn in sorted(turns, key=lambda t: t.index):
        for code in turn.behaviors:
            first.setdefault(code, turn.index)

    items = tuple(_judge(item, first, facts) for item in rubric.items)
    sections = {
        name: _score(i for i in items if i.section == name)
        for name in SECTIONS
        if any(i.section == name for i in items)
    }
    total = _score(items)
    critical = tuple(i.id for i in items if i.kind == "critical" and i.verdict == Verdict.VIOLATED)
    total = 100.0 if total is None else total
    return GradeResult(
        items=items,
        sections=sections,
        total=total,
        critical_errors=critical,
        passed=completed and not critical and total >= rubric.pass_mark,
        pass_mark=rubric.pass_mark,
        completed=completed,
    )


def _judge(item: RubricItem, first: Mapping[str, int], facts: Mapping[str, object]) -> ItemResult:
    def result(verdict: Verdict, turn: int | None) -> ItemResult:
        return ItemResult(
            id=item.id,
            kind=item.kind,
            section=item.section,
            behavior=item.behavior,
            weight=item.weight,
            verdict=verdict,
            turn=turn,
            before=item.before,
        )

    if not evaluate(item.when, facts):
        return result(Verdict.NOT_APPLICABLE, None)
    done = first.get(item.behavior)
    if item.kind == "required":
        return result(Verdict.MET, done) if done is not None else result(Verdict.MISSED, None)
    if item.kind in ("forbidden", "critical"):
        return result(Verdict.VIOLATED, done) if done is not None else result(Verdict.MET, None)
    if item.kind == "order":
        later = first.get(item.before)
        if later is None:
            # Nothing to put in order: the second behaviour never happened.
            return result(Verdict.MET, done)
        # One choice can perform both, in the order its words say them.
        if done is not None and done <= later:
            return result(Verdict.MET, later)
        return result(Verdict.VIOLATED, later)
    raise ValueError(f"unknown rubric item kind {item.kind!r}")


def _score(items: Iterable[ItemResult]) -> float | None:
    possible = earned = 0
    for item in items:
        if item.applies:
            possible += item.weight
            earned += item.weight if item.earned else 0
    if not possible:
        return None
    return round(100.0 * earned / possible, 1)


def behavior_outcomes(result: GradeResult) -> dict[str, bool]:
    """Per behaviour the rubric judged on this run: kept (True) or not (False).

    A behaviour judged by several items is kept only when every one of them went right;
    for an order item, the behaviour that had to come first is the one that was missed.
    """
    outcomes: dict[str, bool] = {}
    for item in result.items:
        if not item.applies:
            continue
        outcomes[item.behavior] = outcomes.get(item.behavior, True) and item.earned
    return outcomes


def turn_marks(result: GradeResult) -> dict[int, dict[str, list[str]]]:
    """Per turn, the ids of the items it earned ("met") and broke ("violated")."""
    marks: dict[int, dict[str, list[str]]] = {}
    for item in result.items:
        if item.turn is None or item.verdict not in (Verdict.MET, Verdict.VIOLATED):
            continue
        marks.setdefault(item.turn, {"met": [], "violated": []})[str(item.verdict)].append(item.id)
    return marks
