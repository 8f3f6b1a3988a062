"""Quiz grading as a pure core: served items and responses in, scores with evidence out.

No Django here. Each served question of a frozen paper becomes an ``Item``; its kind (one class
each, ``quizzes.kinds``) scores it:

- single choice, true/false: 1 when the right answer was given, else 0;
- multiple response: (right picks - wrong picks) / number of right options, floored at 0, so
  guessing everything is not rewarded;
- ordering: the share of the correct sequence's consecutive pairs (A then B) that the answer
  also keeps consecutive and in that order;
- matching: the share of left items matched to their right partner;
- numeric: 1 when within the tolerance of the answer, else 0.

An unanswered item scores 0 and misses every behaviour it judges. Otherwise the evidence is
what was picked:

- a right option's ``behaviors`` are what picking it demonstrates: kept when picked, missed
  when a multiple response leaves it out;
- a wrong option's ``breaks`` are what picking it breaks (a violation, or the rule it gets
  wrong): broken when picked, kept when a multiple response rejects it. A single choice that
  picks a wrong option carrying no ``breaks`` misses the key's behaviours instead;
- a behaviour tagged on the question is kept when the item is fully correct.

Across a paper a behaviour is kept only if kept everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from quizzes.kinds import kind_of
from quizzes.kinds.base import Evidence
from training.judgements import Judged, kept, merged

__all__ = [
    "Evidence",
    "Item",
    "ItemResult",
    "PaperResult",
    "grade_item",
    "grade_paper",
    "paper_result",
]


@dataclass(frozen=True)
class Item:
    """One served question, with its key: ``served`` is its frozen JSON from the paper."""

    position: int
    kind: str
    served: Mapping[str, object] = field(default_factory=dict)
    behaviors: tuple[str, ...] = ()  # judged on the whole item
    weight: int = 1
    key: str = ""  # the question's key, for the evidence of what it judged


@dataclass(frozen=True)
class ItemResult:
    position: int
    score: Decimal  # 0..1
    answered: bool
    evidence: tuple[Evidence, ...] = ()
    behaviors: Mapping[str, bool] = field(default_factory=dict)  # kept, per code it judged

    @property
    def correct(self) -> bool:
        return self.score == 1


@dataclass(frozen=True)
class PaperResult:
    items: tuple[ItemResult, ...]
    percent: Decimal  # 0..100, two decimals
    passed: bool
    # Per behaviour: kept only if kept on every item that judged it, with the question
    # numbers (from 1) and keys that decided it.
    judgements: Mapping[str, Judged]

    @property
    def behaviors(self) -> dict[str, bool]:
        return kept(self.judgements)


def grade_item(item: Item, response: object) -> ItemResult:
    """Score one item; ``response`` is the normalised answer or None when unanswered."""
    kind = kind_of(item.kind)
    if response is None:
        # Nothing shown, nothing demonstrated: every behaviour the item judges is missed
        # (and not answering breaks no rule).
        missed = dict.fromkeys([*kind.key_behaviors(item.served), *item.behaviors], False)
        return ItemResult(
            position=item.position, score=Decimal(0), answered=False, behaviors=missed
        )
    try:
        graded = kind.grade(item.served, response)
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError):
        # A response of the wrong shape (never written by the answer sheet) earns nothing
        # rather than stopping the whole paper from being graded.
        return ItemResult(
            position=item.position,
            score=Decimal(0),
            answered=True,
            evidence=(Evidence("response", "", response, False),),
            behaviors=dict.fromkeys([*kind.key_behaviors(item.served), *item.behaviors], False),
        )
    outcome: dict[str, bool] = {}
    judged = [*kind.judge(item.served, graded), (item.behaviors, graded.score == 1)]
    for codes, ok in judged:
        for code in codes:
            outcome[code] = outcome.get(code, True) and ok
    return ItemResult(
        position=item.position,
        score=graded.score,
        answered=True,
        evidence=graded.evidence,
        behaviors=outcome,
    )


def grade_paper(
    items: Sequence[Item], responses: Mapping[int, object], pass_mark: int
) -> PaperResult:
    """Score every item; the percentage is weighted, and a behaviour must be kept everywhere."""
    return paper_result(
        items, [grade_item(item, responses.get(item.position)) for item in items], pass_mark
    )


def paper_result(
    items: Sequence[Item], results: Sequence[ItemResult], pass_mark: int
) -> PaperResult:
    """The paper's score and judgements from its items' results (in the items' order)."""
    results = tuple(results)
    total_weight = sum(item.weight for item in items)
    earned = sum(
        (r.score * item.weight for r, item in zip(results, items, strict=True)), Decimal(0)
    )
    percent = (
        (earned * 100 / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if total_weight
        else Decimal("0.00")
    )
    judgements = merged(
        (code, Judged(hit, (result.position + 1,), (item.key,) if item.key else ()))
        for result, item in zip(results, items, strict=True)
        for code, hit in result.behaviors.items()
    )
    return PaperResult(
        items=results, percent=percent, passed=percent >= pass_mark, judgements=judgements
    )


def item_from_served(served: Mapping[str, object]) -> Item:
    """A gradable item from one served question of a frozen paper (plain JSON data)."""
    return Item(
        position=int(served["position"]),
        kind=served["kind"],
        served=served,
        behaviors=tuple(served.get("behaviors", ())),
        weight=int(served.get("weight", 1)),
        key=str(served.get("key", "")),
    )


def items_from_paper(paper: Mapping[str, object]) -> list[Item]:
    return [item_from_served(q) for q in paper["questions"]]
