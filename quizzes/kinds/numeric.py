"""Numeric: a number with a unit and a tolerance; Brazilian decimal commas are accepted."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import model_validator

from quizzes.kinds.base import Evidence, Graded, Input, InvalidAnswer, QuestionKind, _
from quizzes.schema import QuestionBase, ShortText

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# No answer in the manual comes near this; a bigger number is a typo or an attack.
LIMIT = Decimal(10) ** 9


class NumericQuestion(QuestionBase):
    kind: Literal["numeric"]
    answer: int | float
    tolerance: int | float = 0
    unit: ShortText

    @model_validator(mode="after")
    def _non_negative(self):
        if self.tolerance < 0:
            raise ValueError("tolerance must not be negative")
        return self


class Numeric(QuestionKind):
    name = "numeric"
    label = _("Numeric")
    entry = NumericQuestion
    template = "quizzes/kinds/numeric.html"
    public_keys = ("unit",)

    def serve(self, spec, facts, rng, *, shuffle_options):
        return {
            "value": str(spec["answer"]),
            "tolerance": str(spec.get("tolerance", 0)),
            "unit": spec["unit"],
        }

    def inputs(self, public):
        return [Input("answer", "text", max_length=40)]

    def read(self, values, public):
        value = (values.get("answer") or "").strip()
        if not value:
            return None
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise InvalidAnswer(_("Enter a number.")) from None
        if not number.is_finite() or not -LIMIT <= number <= LIMIT:
            raise InvalidAnswer(_("Enter a number between -1000000000 and 1000000000."))
        return str(number.normalize())

    def sheet(self, public, saved):
        return {"value": saved or ""}

    def right(self, served):
        return str(served["value"])

    def grade(self, served, response):
        given = Decimal(str(response))
        value = Decimal(str(served["value"]))
        ok = abs(given - value) <= Decimal(str(served.get("tolerance", 0)))
        return Graded(Decimal(1) if ok else Decimal(0), (Evidence("value", value, given, ok),))

    def review(self, served, response):
        return {"given": response, "right": served["value"]}

    def guess(self, public, guesser, rng):
        numbers = _NUMBER.findall(public["stem"]) or ["1"]
        return numbers[guesser.pick(numbers, rng)].replace(",", ".")
