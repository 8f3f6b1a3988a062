"""How well an agent is likely to remember a behaviour, from the results ledger, with the FSRS
memory model (the ``fsrs`` package, fuzzing off so the same history always gives the same
schedule). Every judgement of the behaviour is a review: missed or violated is "again", kept
is "good", done but late (after what it had to precede) is "hard", and kept in the agent's
own words (a typed chat reply: produced, not recognised in a menu) is "easy". Pure Python:
plain reviews in, a memory state out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler

# The share of reviews a behaviour should be recalled at when it comes due: higher for the
# rules a certificate promises (violations and disclosures) than for soft skills.
RETENTION = {"violation": 0.95, "disclosure": 0.95, "action": 0.9, "probe": 0.9, "rapport": 0.85}


@dataclass(frozen=True)
class Memory:
    retrievability: float  # the chance of recalling it now, 0..1
    due: datetime  # when it should next be practised
    reviews: int


def _scheduler(kind: str) -> Scheduler:
    return Scheduler(desired_retention=RETENTION.get(kind, 0.9), enable_fuzzing=False)


# A review's outcome: kept (True), not kept (False), kept in the agent's own words, or done
# but late (after what it had to precede).
OWN_WORDS = "own_words"
LATE = "late"


def rating_of(outcome: bool | str) -> Rating:
    if outcome == OWN_WORDS:
        return Rating.Easy
    if outcome == LATE:
        return Rating.Hard
    return Rating.Good if outcome else Rating.Again


def memory_of(
    reviews: Iterable[tuple[datetime, bool | str]], *, kind: str, now: datetime
) -> Memory | None:
    """The memory state after ``reviews`` (when, outcome) in time order; None without any."""
    scheduler = _scheduler(kind)
    card = Card(card_id=1)
    count = 0
    for when, outcome in sorted(reviews, key=lambda review: review[0]):
        card, _log = scheduler.review_card(card, rating_of(outcome), review_datetime=when)
        count += 1
    if not count:
        return None
    return Memory(
        retrievability=scheduler.get_card_retrievability(card, current_datetime=now),
        due=card.due,
        reviews=count,
    )
