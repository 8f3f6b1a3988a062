"""True or false: the stem is a statement; the answer is fixed or a condition over the facts."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import model_validator

from quizzes.kinds.base import Evidence, Graded, Input, InvalidAnswer, QuestionKind, _
from quizzes.schema import QuestionBase
from training.conditions import evaluate

_VALUES = {"true": True, "false": False}


class TrueFalseQuestion(QuestionBase):
    kind: Literal["true_false"]
    answer: bool | None = None
    answer_when: str = ""

    @model_validator(mode="after")
    def _one_rule(self):
        if (self.answer is None) == (not self.answer_when):
            raise ValueError("give exactly one of answer or answer_when")
        return self


class TrueFalse(QuestionKind):
    name = "true_false"
    label = _("True or false")
    entry = TrueFalseQuestion
    template = "quizzes/kinds/true_false.html"

    def conditions(self, entry):
        return [(("answer_when",), entry.answer_when)] if entry.answer_when else []

    def serve(self, spec, facts, rng, *, shuffle_options):
        answer = evaluate(spec["answer_when"], facts) if spec.get("answer_when") else spec["answer"]
        return {"answer": answer}

    def inputs(self, public):
        return [Input("answer", "one", (("true", _("True")), ("false", _("False"))))]

    def read(self, values, public):
        value = values.get("answer")
        if value in (None, ""):
            return None
        if value not in _VALUES:
            raise InvalidAnswer(_("Choose true or false."))
        return _VALUES[value]

    def sheet(self, public, saved):
        return {
            "choices": [
                {"value": "true", "text": _("True"), "checked": saved is True},
                {"value": "false", "text": _("False"), "checked": saved is False},
            ]
        }

    def right(self, served):
        return bool(served["answer"])

    def grade(self, served, response):
        if not isinstance(response, bool):
            raise ValueError("not a yes or no")
        ok = response is served["answer"]
        return Graded(
            Decimal(1) if ok else Decimal(0), (Evidence("answer", served["answer"], response, ok),)
        )

    def review(self, served, response):
        return {"given": response, "right": served["answer"]}

    def option_counts(self, served, response):
        answer = bool(served["answer"])
        known = [("true", answer), ("false", not answer)]
        return known, ["true" if response else "false"] if isinstance(response, bool) else []

    def guess(self, public, guesser, rng):
        return guesser.believes(public["stem"], rng)
