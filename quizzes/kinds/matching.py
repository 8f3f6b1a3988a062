"""Matching: pairs of left and right items, with extra right-hand distractors; scored by the
share of left items matched right."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from quizzes.kinds.base import Evidence, Graded, Input, QuestionKind, _, index_of, indexed, ratio
from quizzes.schema import PairEntry, QuestionBase, ShortText, distinct


class MatchingQuestion(QuestionBase):
    kind: Literal["matching"]
    pairs: Annotated[list[PairEntry], Field(min_length=2, max_length=10)]
    distractors: list[ShortText] = []

    @model_validator(mode="after")
    def _distinct_sides(self):
        distinct([p.left for p in self.pairs], "left item")
        # A right-hand text used twice would make two answers look the same but score apart.
        distinct([p.right for p in self.pairs] + self.distractors, "right item")
        return self


class Matching(QuestionKind):
    name = "matching"
    label = _("Matching")
    entry = MatchingQuestion
    template = "quizzes/kinds/matching.html"
    public_keys = ("left", "right")

    def serve(self, spec, facts, rng, *, shuffle_options):
        pairs = spec["pairs"]
        left = list(range(len(pairs)))
        rights = [p["right"] for p in pairs] + list(spec.get("distractors", ()))
        right_order = list(range(len(rights)))
        if shuffle_options:
            rng.shuffle(left)
        # The right column is always shuffled: in written order it would give the pairs away.
        rng.shuffle(right_order)
        return {
            "left": [pairs[i]["left"] for i in left],
            "right": [rights[i] for i in right_order],
            "pairs": [right_order.index(i) for i in left],
        }

    def rekey(self, served, spec, facts):
        pairs = {p["left"]: p["right"] for p in spec["pairs"]}
        rights = [*pairs.values(), *spec.get("distractors", ())]
        left, right = list(served["left"]), list(served["right"])
        if sorted(pairs) != sorted(left) or sorted(rights) != sorted(right):
            return None
        return {"left": left, "right": right, "pairs": [right.index(pairs[x]) for x in left]}

    def inputs(self, public):
        rights = indexed(public["right"])
        return [Input(str(i), "one", rights) for i in range(len(public["left"]))]

    def read(self, values, public):
        chosen = {
            str(i): index_of(values[str(i)], len(public["right"]))
            for i in range(len(public["left"]))
            if values.get(str(i)) not in (None, "")
        }
        return chosen or None

    def sheet(self, public, saved):
        chosen = dict(saved or {})
        return {
            "rows": [
                {
                    "index": i,
                    "text": text,
                    "choices": [
                        {"value": j, "label": right, "selected": chosen.get(str(i)) == j}
                        for j, right in enumerate(public["right"])
                    ],
                }
                for i, text in enumerate(public["left"])
            ]
        }

    def right(self, served):
        return {str(left): right for left, right in enumerate(served["pairs"])}

    def grade(self, served, response):
        given = {int(k): int(v) for k, v in dict(response).items()}
        evidence = tuple(
            Evidence(f"left {left}", right, given.get(left), given.get(left) == right)
            for left, right in enumerate(served["pairs"])
        )
        return Graded(ratio(sum(e.ok for e in evidence), len(served["pairs"])), evidence)

    def review(self, served, response):
        chosen = dict(response or {})
        matches = []
        for i, left in enumerate(served["left"]):
            pick = chosen.get(str(i))
            matches.append(
                {
                    "left": left,
                    "given": served["right"][pick] if pick is not None else "",
                    "right": served["right"][served["pairs"][i]],
                    "ok": pick == served["pairs"][i],
                }
            )
        return {"matches": matches}

    def guess(self, public, guesser, rng):
        lefts, rights = guesser.rank(public["left"], rng), guesser.rank(public["right"], rng)
        return {str(left): right for left, right in zip(lefts, rights, strict=False)}
