"""What a question kind is: one class that knows its pack schema, how to serve a question of
its kind, what the trainee may see and post, how to grade, judge and review an answer, what
item analysis counts and how a guesser answers. Callers dispatch through the registry
(``quizzes.kinds``), never through ``if kind == ...`` (pure Python, no Django: the answer form
and the templates are built from what a kind describes).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from pydantic import BaseModel

from training.guessing import Guesser


def _(text: str) -> str:
    """Mark a message for translation; the form and templates translate it when shown."""
    return text


class InvalidAnswer(ValueError):
    """A posted answer that cannot be read; the message is shown to the trainee."""


@dataclass(frozen=True)
class Evidence:
    """One checked detail: what was expected, what was given, and whether it matched."""

    subject: str
    expected: object
    given: object
    ok: bool


@dataclass(frozen=True)
class Input:
    """One field the answer sheet posts for a question: ``name`` is added to the question's
    prefix; ``mode`` is "one" (pick one of ``choices``), "many" (pick several) or "text"."""

    name: str
    mode: str
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 40


@dataclass(frozen=True)
class Graded:
    score: Decimal  # 0..1
    evidence: tuple[Evidence, ...] = ()
    picked: frozenset[int] = field(default_factory=frozenset)  # options picked, if any


_PLACES = Decimal("0.0001")


def ratio(numerator: int, denominator: int) -> Decimal:
    """A share from 0 to 1 (a negative numerator counts as 0), to four places."""
    if denominator <= 0:
        return Decimal(0)
    value = Decimal(max(numerator, 0)) / Decimal(denominator)
    return min(value, Decimal(1)).quantize(_PLACES, rounding=ROUND_HALF_UP)


class QuestionKind:
    """The base of every kind; a kind overrides what differs."""

    name: ClassVar[str]
    label: ClassVar[str]  # marked with _() for translation
    # The pack's schema of one question of this kind (a QuestionBase subclass).
    entry: ClassVar[type[BaseModel]]
    # The template that renders the answer sheet's inputs and the review ("mode").
    template: ClassVar[str]
    # Served keys the trainee may see before grading (besides the common ones).
    public_keys: ClassVar[tuple[str, ...]] = ()

    # --- content --------------------------------------------------------------------------

    def conditions(self, entry: BaseModel) -> list[tuple[tuple[str | int, ...], str]]:
        """(path inside the question, condition) of every condition over facts it has."""
        return []

    def case_problem(self, entry: BaseModel, facts: Mapping[str, object]) -> str | None:
        """What is wrong with this question for these drawable facts, if anything."""
        return None

    # --- serving ----------------------------------------------------------------------------

    def serve(
        self,
        spec: Mapping[str, object],
        facts: Mapping[str, object],
        rng: random.Random,
        *,
        shuffle_options: bool,
    ) -> dict[str, object]:
        """The kind's part of a served question: texts in the order shown, and the key."""
        raise NotImplementedError

    def public(self, served: Mapping[str, object]) -> dict[str, object]:
        return {key: served[key] for key in self.public_keys if key in served}

    def rekey(
        self, served: Mapping[str, object], spec: Mapping[str, object], facts: Mapping[str, object]
    ) -> dict[str, object] | None:
        """The kind's part of ``served`` keyed by ``spec`` (a corrected version of the
        question) for the same facts, laid on what the trainee was shown, so their response
        can be graded again; None when the texts shown are not the same ones (a regrade
        corrects keys, it cannot grade an answer to a question nobody was asked)."""
        fresh = self.serve(spec, facts, random.Random(0), shuffle_options=False)
        return fresh if self.public(fresh) == self.public(served) else None

    # --- answering ------------------------------------------------------------------------

    def inputs(self, public: Mapping[str, object]) -> list[Input]:
        raise NotImplementedError

    def read(self, values: Mapping[str, object], public: Mapping[str, object]) -> object:
        """The normalised response from the posted values (None when unanswered); raises
        InvalidAnswer for one that cannot be taken."""
        raise NotImplementedError

    def sheet(self, public: Mapping[str, object], saved: object) -> dict[str, object]:
        """What the answer sheet's template shows, with the saved response filled in."""
        raise NotImplementedError

    # --- grading --------------------------------------------------------------------------

    def grade(self, served: Mapping[str, object], response: object) -> Graded:
        """Score a response of the right shape (a wrong shape raises; it earns nothing)."""
        raise NotImplementedError

    def judge(
        self, served: Mapping[str, object], graded: Graded
    ) -> list[tuple[tuple[str, ...], bool]]:
        """Option-level judgements: (codes, kept) pairs; the question's own behaviours are
        judged by the caller (kept when the item is fully right)."""
        return []

    def key_behaviors(self, served: Mapping[str, object]) -> list[str]:
        """What an unanswered question misses besides its own behaviours."""
        return []

    # --- after grading --------------------------------------------------------------------

    def right(self, served: Mapping[str, object]) -> object:
        """The response that earns the whole item, in the form ``read`` returns (for a
        simulated trainee who knows the answer)."""
        raise NotImplementedError

    def review(self, served: Mapping[str, object], response: object) -> dict[str, object]:
        """What the review's template shows: the answer given next to the right one."""
        raise NotImplementedError

    def option_counts(
        self, served: Mapping[str, object], response: object
    ) -> tuple[list[tuple[str, bool]], list[str]]:
        """For item analysis: every option (text, right?) and the texts this response picked."""
        return [], []

    def guess(self, public: Mapping[str, object], guesser: Guesser, rng: random.Random) -> object:
        """A guesser's response, from what the trainee sees."""
        raise NotImplementedError


def indexed(texts: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((str(i), text) for i, text in enumerate(texts))


def index_of(value: object, size: int) -> int:
    """A posted index as an int inside 0..size-1; InvalidAnswer otherwise."""
    try:
        index = int(str(value))
    except ValueError:
        raise InvalidAnswer(_("Choose one of the options.")) from None
    if not 0 <= index < size:
        raise InvalidAnswer(_("Choose one of the options."))
    return index
