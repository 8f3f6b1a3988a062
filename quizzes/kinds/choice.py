"""Single and multiple choice: options, some right (fixed or by a condition over the drawn
facts); a right option's ``behaviors`` are what picking it demonstrates, a wrong option's
``breaks`` what picking it breaks."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from quizzes.kinds.base import (
    Evidence,
    Graded,
    Input,
    QuestionKind,
    _,
    index_of,
    indexed,
    ratio,
)
from quizzes.schema import OptionEntry, QuestionBase, distinct
from training.conditions import evaluate
from training.guessing import Guesser


class SingleQuestion(QuestionBase):
    kind: Literal["single"]
    options: Annotated[list[OptionEntry], Field(min_length=2, max_length=8)]

    @model_validator(mode="after")
    def _distinct_options(self):
        distinct([o.text for o in self.options], "option")
        return self


class MultipleQuestion(QuestionBase):
    kind: Literal["multiple"]
    options: Annotated[list[OptionEntry], Field(min_length=2, max_length=10)]

    @model_validator(mode="after")
    def _distinct_options(self):
        distinct([o.text for o in self.options], "option")
        return self


class _Choice(QuestionKind):
    public_keys = ()

    def conditions(self, entry):
        return [
            (("options", k, "correct_when"), o.correct_when)
            for k, o in enumerate(entry.options)
            if o.correct_when
        ]

    def serve(self, spec, facts, rng, *, shuffle_options):
        options = [
            {
                "text": o["text"],
                "correct": evaluate(o["correct_when"], facts)
                if o.get("correct_when")
                else bool(o.get("correct", False)),
                "behaviors": list(o.get("behaviors", ())),
                "breaks": list(o.get("breaks", ())),
            }
            for o in spec["options"]
        ]
        if shuffle_options:
            rng.shuffle(options)
        return {"options": options}

    def public(self, served):
        return {"options": [o["text"] for o in served["options"]]}

    def rekey(self, served, spec, facts):
        fresh = {
            o["text"]: o for o in self.serve(spec, facts, None, shuffle_options=False)["options"]
        }
        shown = [o["text"] for o in served["options"]]
        if sorted(fresh) != sorted(shown):
            return None
        return {"options": [fresh[text] for text in shown]}

    def key_behaviors(self, served):
        return [c for o in served["options"] if o["correct"] for c in o.get("behaviors", ())]

    def option_counts(self, served, response):
        known = [(o["text"], bool(o["correct"])) for o in served["options"]]
        picked = [response] if not isinstance(response, list) else response
        size = len(known)
        return known, [known[i][0] for i in picked if isinstance(i, int) and 0 <= i < size]

    def review(self, served, response):
        picked = set(response if isinstance(response, list) else [response])
        return {
            "options": [
                {"text": o["text"], "picked": i in picked, "correct": o["correct"]}
                for i, o in enumerate(served["options"])
            ]
        }


class Single(_Choice):
    name = "single"
    label = _("Single choice")
    entry = SingleQuestion
    template = "quizzes/kinds/single.html"

    def case_problem(self, entry, facts):
        right = sum(
            evaluate(o.correct_when, facts) if o.correct_when else o.correct for o in entry.options
        )
        if right != 1:
            return f"a single choice needs exactly one right option, has {right} when {facts}"
        return None

    def inputs(self, public):
        return [Input("answer", "one", indexed(public["options"]))]

    def read(self, values, public):
        value = values.get("answer")
        return None if value in (None, "") else index_of(value, len(public["options"]))

    def sheet(self, public, saved):
        return {
            "choices": [
                {"value": i, "text": t, "checked": saved == i}
                for i, t in enumerate(public["options"])
            ]
        }

    def right(self, served):
        return next(i for i, o in enumerate(served["options"]) if o["correct"])

    def grade(self, served, response):
        options = served["options"]
        choice = int(response)
        if not 0 <= choice < len(options):
            raise ValueError("no such option")
        right = [i for i, o in enumerate(options) if o["correct"]]
        ok = choice in right
        return Graded(
            Decimal(1) if ok else Decimal(0),
            (Evidence("choice", right, choice, ok),),
            frozenset({choice}),
        )

    def judge(self, served, graded):
        options = served["options"]
        option = options[min(graded.picked)] if graded.picked else None
        if option is not None and option["correct"]:
            return [(tuple(option.get("behaviors", ())), True)]
        if option is not None and option.get("breaks"):
            return [(tuple(option["breaks"]), False)]
        return [(tuple(self.key_behaviors(served)), False)]

    def guess(self, public, guesser: Guesser, rng: random.Random):
        return guesser.pick(public["options"], rng)


class Multiple(_Choice):
    name = "multiple"
    label = _("Multiple response")
    entry = MultipleQuestion
    template = "quizzes/kinds/multiple.html"

    def case_problem(self, entry, facts):
        if not any(
            evaluate(o.correct_when, facts) if o.correct_when else o.correct for o in entry.options
        ):
            return f"no option is right when {facts}"
        return None

    def inputs(self, public):
        return [Input("answer", "many", indexed(public["options"]))]

    def read(self, values, public):
        picked = values.get("answer") or []
        if isinstance(picked, str):
            picked = [picked]
        return sorted({index_of(v, len(public["options"])) for v in picked}) or None

    def sheet(self, public, saved):
        picked = set(saved or ())
        return {
            "choices": [
                {"value": i, "text": t, "checked": i in picked}
                for i, t in enumerate(public["options"])
            ]
        }

    def right(self, served):
        return [i for i, o in enumerate(served["options"]) if o["correct"]]

    def grade(self, served, response):
        options = served["options"]
        picked = {int(i) for i in response}
        if any(not 0 <= i < len(options) for i in picked):
            raise ValueError("no such option")
        right = {i for i, o in enumerate(options) if o["correct"]}
        hits, wrong = len(picked & right), len(picked - right)
        evidence = tuple(
            Evidence(f"option {i}", i in right, i in picked, (i in right) == (i in picked))
            for i in range(len(options))
        )
        # Right picks minus wrong picks: picking everything is not rewarded.
        return Graded(ratio(hits - wrong, len(right)), evidence, frozenset(picked))

    def judge(self, served, graded):
        return [
            (
                tuple(o.get("behaviors", ()) if o["correct"] else o.get("breaks", ())),
                (i in graded.picked) == o["correct"],
            )
            for i, o in enumerate(served["options"])
        ]

    def guess(self, public, guesser: Guesser, rng: random.Random):
        # Half the options it likes best: picking all of them scores nothing.
        ranked = guesser.rank(public["options"], rng)
        return sorted(ranked[: math.ceil(len(ranked) / 2)])
