"""Grading a call like a QA scorecard: the behaviours of each turn and the run's facts in, each
rubric item met, missed or violated with every turn that decided it, section scores, a total,
the errors that fail the call and pass or fail out (pure Python, no Django).

A wrong move always costs: a violated ``critical`` item or a missed ``mandatory`` one fails the
call whatever the score and zeroes its section; a ``forbidden`` one costs its weight. A call
the agent hung up before it reached an end is "not completed": it fails and has no score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from training.conditions import evaluate
from training.judgements import Judged, kept, merged


class Section(StrEnum):
    COMPLIANCE = "compliance"
    RESOLUTION = "resolution"
    RAPPORT = "rapport"


class ItemKind(StrEnum):
    """One kind of scorecard line; what each one asks is decided here and nowhere else."""

    REQUIRED = "required"  # must happen; missing costs its weight
    MANDATORY = "mandatory"  # must happen; missing fails the call
    FORBIDDEN = "forbidden"  # a violation; doing it costs its weight
    CRITICAL = "critical"  # a violation; doing it fails the call
    ORDER = "order"  # when ``before`` happens, ``behavior`` must already have happened
    BONUS = "bonus"  # adds its weight when it happens, never costs

    @property
    def is_prohibition(self) -> bool:
        """The item judges a violation: it goes wrong when the behaviour happens."""
        return self in (ItemKind.FORBIDDEN, ItemKind.CRITICAL)

    @property
    def fails_call(self) -> bool:
        """Going wrong on this item fails the call and zeroes its section."""
        return self in (ItemKind.MANDATORY, ItemKind.CRITICAL)

    @property
    def scored(self) -> bool:
        """The item's weight counts in what a run could earn (a bonus only adds)."""
        return self is not ItemKind.BONUS


SECTIONS = tuple(Section)
ITEM_KINDS = tuple(ItemKind)


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    VIOLATED = "violated"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class RubricItem:
    """One line of the scorecard. ``when`` limits it to runs whose facts satisfy that
    condition (not applicable otherwise)."""

    id: str
    kind: ItemKind
    behavior: str
    section: Section
    weight: int = 1
    before: str | None = None
    when: str | None = None
    expert: str = ""
    index: int = 0

    def applies(self, facts: Mapping[str, object]) -> bool:
        return evaluate(self.when, facts)


@dataclass(frozen=True)
class Rubric:
    items: tuple[RubricItem, ...]
    pass_mark: int = 70

    def item(self, item_id: str) -> RubricItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def failing_items(self, code: str, facts: Mapping[str, object]) -> list[RubricItem]:
        """The applicable items that fail the call when ``code`` happens under ``facts``."""
        applicable = [i for i in self.items if i.applies(facts)]
        return [
            i
            for i in applicable
            if i.behavior == code and i.kind.is_prohibition and self._fails(i, applicable)
        ]

    def _fails(self, item: RubricItem, applicable: list[RubricItem]) -> bool:
        if item.kind is ItemKind.CRITICAL:
            return True
        # A forbidden item fails the call when its weight alone puts the best score left
        # (everything else met, every bonus earned) under the pass mark.
        possible = sum(i.weight for i in applicable if i.kind.scored)
        bonus = sum(i.weight for i in applicable if not i.kind.scored)
        if not possible:
            return False
        return 100.0 * min(possible - item.weight + bonus, possible) / possible < self.pass_mark


@dataclass(frozen=True)
class TurnRecord:
    """What the agent did on one turn (numbered from 1): the behaviours its choice performed."""

    index: int
    behaviors: tuple[str, ...]


@dataclass(frozen=True)
class ItemResult:
    id: str
    kind: ItemKind
    section: Section
    behavior: str
    weight: int
    verdict: Verdict
    # The turns that decided the verdict: every turn that broke a prohibition, the first that
    # met a required item, the turn of the later behaviour of an order item.
    turns: tuple[int, ...] = ()
    before: str | None = None

    @property
    def turn(self) -> int | None:
        return self.turns[0] if self.turns else None

    @property
    def applies(self) -> bool:
        return self.verdict != Verdict.NOT_APPLICABLE

    @property
    def earned(self) -> bool:
        return self.verdict == Verdict.MET

    @property
    def went_wrong(self) -> bool:
        """Missed or violated, and it counts: a bonus not earned costs nothing."""
        return self.verdict in (Verdict.MISSED, Verdict.VIOLATED) and self.kind.scored

    @property
    def fails_call(self) -> bool:
        return self.kind.fails_call and self.went_wrong


@dataclass(frozen=True)
class GradeResult:
    items: tuple[ItemResult, ...]
    # Per section that has an applicable item: its score, 0 when an item that fails the call
    # went wrong in it.
    sections: dict[str, float | None]
    total: float | None  # None: the call was not completed, so it has no score
    critical_errors: tuple[str, ...]  # ids of the items whose failure fails the call
    passed: bool
    pass_mark: int
    completed: bool = True  # False: the agent hung up before the call reached an end

    @property
    def compliance(self) -> float | None:
        return self.sections.get(Section.COMPLIANCE)

    @property
    def full_marks(self) -> bool:
        return all(i.verdict in (Verdict.MET, Verdict.NOT_APPLICABLE) for i in self.items)

    @property
    def violations(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.verdict == Verdict.VIOLATED)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["items"] = [
            {
                **item,
                "kind": str(item["kind"]),
                "section": str(item["section"]),
                "verdict": str(item["verdict"]),
                "turns": list(item["turns"]),
            }
            for item in data["items"]
        ]
        data["sections"] = {str(k): v for k, v in self.sections.items()}
        data["critical_errors"] = list(self.critical_errors)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> GradeResult:
        return cls(
            items=tuple(_item_from_dict(item) for item in data["items"]),
            sections=dict(data["sections"]),
            total=data["total"],
            critical_errors=tuple(data["critical_errors"]),
            passed=data["passed"],
            pass_mark=data["pass_mark"],
            completed=data.get("completed", True),
        )


def _item_from_dict(item: Mapping[str, object]) -> ItemResult:
    turns = item.get("turns")
    if turns is None:  # results stored before every deciding turn was kept
        turns = [item["turn"]] if item.get("turn") is not None else []
    return ItemResult(
        id=item["id"],
        kind=ItemKind(item["kind"]),
        section=Section(item["section"]),
        behavior=item["behavior"],
        weight=item["weight"],
        verdict=Verdict(item["verdict"]),
        turns=tuple(turns),
        before=item.get("before"),
    )


def grade(
    turns: Sequence[TurnRecord],
    facts: Mapping[str, object],
    rubric: Rubric,
    *,
    completed: bool = True,
) -> GradeResult:
    """Grade a transcript; a call ended before it was resolved (``completed=False``) fails and
    gets no score, but what was done before the end is still judged."""
    when_done: dict[str, list[int]] = {}
    for turn in sorted(turns, key=lambda t: t.index):
        for code in dict.fromkeys(turn.behaviors):
            when_done.setdefault(code, []).append(turn.index)

    items = tuple(_judge(item, when_done, facts) for item in rubric.items)
    # A call not completed fails as such; what it did not reach is not also an omission.
    critical = tuple(
        i.id for i in items if i.fails_call and (completed or i.verdict == Verdict.VIOLATED)
    )
    failed = {i.section for i in items if i.id in critical}
    sections = {
        str(name): 0.0 if name in failed else _score(i for i in items if i.section == name)
        for name in SECTIONS
        if any(i.section == name and i.applies for i in items)
    }
    total = None
    if completed:
        total = _score(items, lost=failed)
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


def _judge(
    item: RubricItem, when_done: Mapping[str, list[int]], facts: Mapping[str, object]
) -> ItemResult:
    def result(verdict: Verdict, turns: Iterable[int] = ()) -> ItemResult:
        return ItemResult(
            id=item.id,
            kind=item.kind,
            section=item.section,
            behavior=item.behavior,
            weight=item.weight,
            verdict=verdict,
            turns=tuple(turns),
            before=item.before,
        )

    if not item.applies(facts):
        return result(Verdict.NOT_APPLICABLE)
    done = when_done.get(item.behavior, [])
    if item.kind.is_prohibition:
        return result(Verdict.VIOLATED, done) if done else result(Verdict.MET)
    if item.kind is ItemKind.ORDER:
        later = when_done.get(item.before, [])
        if not later:
            # Nothing to put in order: the second behaviour never happened.
            return result(Verdict.MET, done[:1])
        # One choice can perform both, in the order its words say them.
        if done and done[0] <= later[0]:
            return result(Verdict.MET, later[:1])
        return result(Verdict.VIOLATED, later[:1])
    return result(Verdict.MET, done[:1]) if done else result(Verdict.MISSED)


def _score(items: Iterable[ItemResult], *, lost: Iterable[Section] = ()) -> float | None:
    """The weighted share of applicable items met, bonuses added up to the maximum; items of
    a ``lost`` section count as possible but never as earned. None when nothing applies."""
    lost = set(lost)
    possible = earned = bonus = 0
    for item in items:
        if not item.applies:
            continue
        won = item.earned and item.section not in lost
        if item.kind.scored:
            possible += item.weight
            earned += item.weight if won else 0
        elif won:
            bonus += item.weight
    if not possible:
        return None
    return round(100.0 * min(earned + bonus, possible) / possible, 1)


def behavior_judgements(result: GradeResult) -> dict[str, Judged]:
    """Per behaviour the rubric judged on this run: kept or not, with the items and turns
    that decided it.

    A behaviour judged by several items is kept only when every one of them went right; for
    an order item, the behaviour that had to come first is the one that was missed. A bonus
    not earned is not a miss, and a call not completed records what was done (kept or
    violated), never what it did not reach.
    """
    judged = merged(
        (item.behavior, Judged(item.earned, item.turns, (item.id,)))
        for item in result.items
        if item.applies
        and not (item.verdict == Verdict.MISSED and (not item.kind.scored or not result.completed))
    )
    return {code: _late(code, found, result) for code, found in judged.items()}


def _late(code: str, found: Judged, result: GradeResult) -> Judged:
    """A behaviour not kept only because an order item caught it late (it was done, after what
    it had to precede) is marked late: the agent recalled it, slowly."""
    if found.kept:
        return found
    items = [i for i in result.items if i.behavior == code and i.applies]
    late = (
        any(i.kind is ItemKind.ORDER and not i.earned for i in items)
        and all(i.earned for i in items if i.kind is not ItemKind.ORDER)
        and any(i.earned and i.kind is not ItemKind.ORDER for i in items)
    )
    return replace(found, late=True) if late else found


def behavior_outcomes(result: GradeResult) -> dict[str, bool]:
    """Per behaviour the rubric judged on this run: kept (True) or not (False)."""
    return kept(behavior_judgements(result))


def turn_marks(result: GradeResult) -> dict[int, dict[str, list[str]]]:
    """Per turn, the ids of the items it earned ("met") and broke ("violated")."""
    marks: dict[int, dict[str, list[str]]] = {}
    for item in result.items:
        if item.verdict not in (Verdict.MET, Verdict.VIOLATED):
            continue
        for turn in item.turns:
            marks.setdefault(turn, {"met": [], "violated": []})[str(item.verdict)].append(item.id)
    return marks
