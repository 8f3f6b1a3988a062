"""Quiz grading as a pure core: served items and responses in, scores with evidence out.

No Django here. The paper frozen on an attempt is turned into ``Item``s with
:func:`items_from_paper`; each kind is scored by one small function:

- single choice, true/false: 1 when the right answer was given, else 0;
- multiple response: (right picks - wrong picks) / number of right options,
  floored at 0, so guessing everything is not rewarded;
- ordering: the fraction of the correct sequence's consecutive pairs (A then B)
  that the answer also keeps consecutive and in that order; moving one step
  costs at most two pairs, a reversed list scores 0;
- matching: the fraction of left items matched to their right partner;
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

from training.judgements import Judged, kept, merged

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
ORDERING = "ordering"
MATCHING = "matching"
NUMERIC = "numeric"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING, NUMERIC)


@dataclass(frozen=True)
class Option:
    correct: bool
    behaviors: tuple[str, ...] = ()  # demonstrated by picking it when it is right
    breaks: tuple[str, ...] = ()  # broken by picking it when it is wrong


@dataclass(frozen=True)
class Item:
    """One served question, with its key. Indexes are positions in the served order."""

    position: int
    kind: str
    options: tuple[Option, ...] = ()  # single, multiple
    answer: bool | None = None  # true/false
    correct_order: tuple[int, ...] = ()  # ordering: served indexes in the right order
    pairs: tuple[int, ...] = ()  # matching: per left index, the right index that matches
    value: Decimal | None = None  # numeric
    tolerance: Decimal = Decimal(0)
    behaviors: tuple[str, ...] = ()  # judged on the whole item
    weight: int = 1
    key: str = ""  # the question's key, for the evidence of what it judged


@dataclass(frozen=True)
class Evidence:
    """One checked detail: what was expected, what was given, and whether it matched."""

    subject: str
    expected: object
    given: object
    ok: bool


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


_PLACES = Decimal("0.0001")


def _ratio(numerator: int, denominator: int) -> Decimal:
    if denominator <= 0:
        return Decimal(0)
    value = Decimal(max(numerator, 0)) / Decimal(denominator)
    return min(value, Decimal(1)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def grade_item(item: Item, response: object) -> ItemResult:
    """Score one item; ``response`` is the normalised answer or None when unanswered."""
    grader = _GRADERS[item.kind]
    if response is None:
        # Nothing shown, nothing demonstrated: every behaviour the item judges is missed.
        return ItemResult(
            position=item.position,
            score=Decimal(0),
            answered=False,
            behaviors=dict.fromkeys(_judged_behaviors(item), False),
        )
    try:
        score, evidence, picked = grader(item, response)
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        # A response of the wrong shape (never written by the answer sheet) earns nothing
        # rather than stopping the whole paper from being graded.
        score, evidence, picked = Decimal(0), [Evidence("response", "", response, False)], set()
    return ItemResult(
        position=item.position,
        score=score,
        answered=True,
        evidence=tuple(evidence),
        behaviors=_item_behaviors(item, picked, score),
    )


def grade_paper(
    items: Sequence[Item], responses: Mapping[int, object], pass_mark: int
) -> PaperResult:
    """Score every item; the percentage is weighted, and a behaviour must be hit everywhere."""
    results = tuple(grade_item(item, responses.get(item.position)) for item in items)
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


def _grade_single(item: Item, response: object):
    choice = int(response)
    if not 0 <= choice < len(item.options):
        raise ValueError("no such option")
    right = [i for i, o in enumerate(item.options) if o.correct]
    ok = choice in right
    return (
        Decimal(1) if ok else Decimal(0),
        [Evidence("choice", right, choice, ok)],
        {choice},
    )


def _grade_multiple(item: Item, response: object):
    picked = {int(i) for i in response}
    right = {i for i, o in enumerate(item.options) if o.correct}
    hits, wrong = len(picked & right), len(picked - right)
    evidence = [
        Evidence(f"option {i}", i in right, i in picked, (i in right) == (i in picked))
        for i in range(len(item.options))
    ]
    return _ratio(hits - wrong, len(right)), evidence, picked


def _grade_true_false(item: Item, response: object):
    ok = bool(response) is item.answer
    return Decimal(1) if ok else Decimal(0), [Evidence("answer", item.answer, response, ok)], set()


def _grade_ordering(item: Item, response: object):
    given = [int(i) for i in response]
    place = {value: index for index, value in enumerate(given)}
    evidence = []
    kept = 0
    for first, second in zip(item.correct_order, item.correct_order[1:], strict=False):
        ok = first in place and second in place and place[second] == place[first] + 1
        kept += ok
        evidence.append(Evidence(f"{first} then {second}", True, ok, ok))
    pairs = len(item.correct_order) - 1
    if pairs <= 0:  # a one-step list is in order by definition
        return Decimal(1), evidence, set()
    return _ratio(kept, pairs), evidence, set()


def _grade_matching(item: Item, response: object):
    given = {int(k): int(v) for k, v in dict(response).items()}
    evidence = []
    for left, right in enumerate(item.pairs):
        ok = given.get(left) == right
        evidence.append(Evidence(f"left {left}", right, given.get(left), ok))
    hits = sum(e.ok for e in evidence)
    return _ratio(hits, len(item.pairs)), evidence, set()


def _grade_numeric(item: Item, response: object):
    given = Decimal(str(response))
    ok = item.value is not None and abs(given - item.value) <= item.tolerance
    return Decimal(1) if ok else Decimal(0), [Evidence("value", item.value, given, ok)], set()


_GRADERS = {
    SINGLE: _grade_single,
    MULTIPLE: _grade_multiple,
    TRUE_FALSE: _grade_true_false,
    ORDERING: _grade_ordering,
    MATCHING: _grade_matching,
    NUMERIC: _grade_numeric,
}


def _item_behaviors(item: Item, picked: set[int], score: Decimal) -> dict[str, bool]:
    outcome: dict[str, bool] = {}

    def judge(codes: tuple[str, ...], kept: bool) -> None:
        for code in codes:
            outcome[code] = outcome.get(code, True) and kept

    if item.kind == SINGLE:
        option = item.options[min(picked)] if picked else None
        if option is not None and option.correct:
            judge(option.behaviors, True)
        elif option is not None and option.breaks:
            judge(option.breaks, False)
        else:
            for key in item.options:
                if key.correct:
                    judge(key.behaviors, False)
    elif item.kind == MULTIPLE:
        for index, option in enumerate(item.options):
            chosen = index in picked
            judge(option.behaviors if option.correct else option.breaks, chosen == option.correct)
    judge(item.behaviors, score == 1)
    return outcome


def _judged_behaviors(item: Item) -> list[str]:
    """What an unanswered item misses: what its keys demonstrate and what the question judges
    (not answering breaks no rule, so no ``breaks``)."""
    codes = [code for option in item.options if option.correct for code in option.behaviors]
    return list(dict.fromkeys([*codes, *item.behaviors]))


def item_from_served(served: Mapping[str, object]) -> Item:
    """Build a gradable item from one served question of a frozen paper (plain JSON data)."""
    kind = served["kind"]
    options = tuple(
        Option(
            correct=bool(o["correct"]),
            behaviors=tuple(o.get("behaviors", ())),
            breaks=tuple(o.get("breaks", ())),
        )
        for o in served.get("options", ())
    )
    value = served.get("value")
    return Item(
        position=int(served["position"]),
        kind=kind,
        options=options,
        answer=served.get("answer"),
        correct_order=tuple(served.get("correct_order", ())),
        pairs=tuple(served.get("pairs", ())),
        value=Decimal(str(value)) if value is not None else None,
        tolerance=Decimal(str(served.get("tolerance", 0))),
        behaviors=tuple(served.get("behaviors", ())),
        weight=int(served.get("weight", 1)),
        key=str(served.get("key", "")),
    )


def items_from_paper(paper: Mapping[str, object]) -> list[Item]:
    return [item_from_served(q) for q in paper["questions"]]
