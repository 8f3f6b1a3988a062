"""Ordering: steps written in the right order, served shuffled (never in the right order);
scored by the share of consecutive pairs (A then B) the answer keeps."""

from __future__ import annotations

import random
from typing import Annotated, Literal

from pydantic import Field, model_validator

from quizzes.kinds.base import Evidence, Graded, Input, InvalidAnswer, QuestionKind, _, ratio
from quizzes.schema import QuestionBase, ShortText, distinct


class OrderingQuestion(QuestionBase):
    kind: Literal["ordering"]
    steps: Annotated[list[ShortText], Field(min_length=3, max_length=10)]

    @model_validator(mode="after")
    def _distinct_steps(self):
        distinct(self.steps, "step")
        return self


def _shuffled_not_identity(size: int, rng: random.Random) -> list[int]:
    """A shuffled order that is never the right one, so the item is never given away."""
    order = list(range(size))
    if size < 2:
        return order
    while order == sorted(order):
        rng.shuffle(order)
    return order


class Ordering(QuestionKind):
    name = "ordering"
    label = _("Ordering")
    entry = OrderingQuestion
    template = "quizzes/kinds/ordering.html"
    public_keys = ("steps",)

    def serve(self, spec, facts, rng, *, shuffle_options):
        steps = list(spec["steps"])
        order = _shuffled_not_identity(len(steps), rng)
        # Served index of each step, in the right order.
        return {
            "steps": [steps[i] for i in order],
            "correct_order": [order.index(i) for i in range(len(steps))],
        }

    def rekey(self, served, spec, facts):
        shown, steps = list(served["steps"]), list(spec["steps"])
        if sorted(shown) != sorted(steps) or len(set(steps)) != len(steps):
            return None
        return {"steps": shown, "correct_order": [shown.index(step) for step in steps]}

    def inputs(self, public):
        places = tuple((str(p), str(p + 1)) for p in range(len(public["steps"])))
        return [Input(str(i), "one", places) for i in range(len(public["steps"]))]

    def read(self, values, public):
        count = len(public["steps"])
        places = {}
        for i in range(count):
            value = values.get(str(i))
            if value in (None, ""):
                continue
            place = int(value)
            if not 0 <= place < count:
                raise InvalidAnswer(_("Choose one of the options."))
            places[i] = place
        # A half-placed list is work in progress (saved as unanswered, no complaint); two
        # steps in one place is a mistake worth saying.
        if len(set(places.values())) < len(places):
            raise InvalidAnswer(_("Give each step a different place."))
        if len(places) < count:
            return None
        return [step for step, _place in sorted(places.items(), key=lambda kv: kv[1])]

    def sheet(self, public, saved):
        order = list(saved or ())
        count = len(public["steps"])
        return {
            "rows": [
                {
                    "index": i,
                    "text": text,
                    "choices": [
                        {"value": p, "label": p + 1, "selected": i in order and order.index(i) == p}
                        for p in range(count)
                    ],
                }
                for i, text in enumerate(public["steps"])
            ]
        }

    def right(self, served):
        return list(served["correct_order"])

    def grade(self, served, response):
        given = [int(i) for i in response]
        place = {value: index for index, value in enumerate(given)}
        correct = served["correct_order"]
        evidence, kept = [], 0
        for first, second in zip(correct, correct[1:], strict=False):
            ok = first in place and second in place and place[second] == place[first] + 1
            kept += ok
            evidence.append(Evidence(f"{first} then {second}", True, ok, ok))
        pairs = len(correct) - 1
        score = ratio(kept, pairs) if pairs > 0 else ratio(1, 1)
        return Graded(score, tuple(evidence))

    def review(self, served, response):
        steps = served["steps"]
        return {
            "given_order": [steps[i] for i in response or ()],
            "right_order": [steps[i] for i in served["correct_order"]],
        }

    def guess(self, public, guesser, rng):
        return guesser.rank(public["steps"], rng)
