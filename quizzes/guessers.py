"""Guessers answering quiz papers: each answers every question by its look alone (the first
option, the longest, the most polite, never an absolute word, at random), on many papers drawn
the way trainees' papers are, and is graded like a trainee. A quiz that a guesser comes near
passing is a quiz that gives its answers away (pure Python, no Django).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quizzes.grading import grade_paper, items_from_paper
from quizzes.kinds import kind_of
from quizzes.paper import (
    QuestionContent,
    Slot,
    build_paper,
    draw_questions,
    fact_specs,
    public_question,
)
from training.conditions import evaluate
from training.facts import TooManyCombinations, fact_combinations
from training.guessing import GUESSERS, Guesser, absolute_words

# Papers drawn per quiz: enough for the mean to settle within about a point.
PAPERS = 200
# How far under a quiz's pass mark every guesser's mean score stays, in points.
MIN_MARGIN = 20


def answer(question: Mapping[str, object], guesser: Guesser, rng: random.Random) -> object:
    """The guesser's response to one question, from what the trainee sees of it."""
    seen = public_question(question)
    return kind_of(seen["kind"]).guess(seen, guesser, rng)


@dataclass(frozen=True)
class QuizFigures:
    """Per guesser, its mean score and the share of papers it passes."""

    pass_mark: int
    papers: int
    mean: Mapping[str, float] = field(default_factory=dict)
    passed: Mapping[str, float] = field(default_factory=dict)

    def margin(self) -> float:
        """How far under the pass mark the best guesser stays, in points."""
        return self.pass_mark - max(self.mean.values(), default=0.0)


def quiz_figures(
    slots: Sequence[Slot],
    questions: Mapping[int, QuestionContent],
    *,
    pass_mark: int,
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
    papers: int = PAPERS,
    guessers: Iterable[Guesser] = GUESSERS,
) -> QuizFigures:
    means: dict[str, float] = {}
    passes: dict[str, float] = {}
    for guesser in guessers:
        scores = []
        for seed in range(papers):
            contents = draw_questions(slots, questions, seen=(), rng=random.Random(seed))
            paper = build_paper(
                contents,
                seed=seed,
                shuffle_questions=shuffle_questions,
                shuffle_options=shuffle_options,
                quiz={"pass_mark": pass_mark},
            )
            rng = random.Random(f"{guesser.name}:{seed}")
            responses = {q["position"]: answer(q, guesser, rng) for q in paper["questions"]}
            result = grade_paper(items_from_paper(paper), responses, pass_mark)
            scores.append(float(result.percent))
        means[guesser.name] = round(sum(scores) / len(scores), 1) if scores else 0.0
        passes[guesser.name] = sum(s >= pass_mark for s in scores) / len(scores) if scores else 0.0
    return QuizFigures(pass_mark=pass_mark, papers=papers, mean=means, passed=passes)


@dataclass(frozen=True)
class Giveaways:
    """How much the look of the options tells, over a bank's single and multiple choice items
    (each fact case of a scenario question counted once)."""

    cases: int  # question × fact case pairs looked at
    key_longest: float  # share where a key is strictly the longest option
    chance: float  # the share expected if the longest option were any option
    key_absolute: float  # share of keys carrying an absolute word
    wrong_absolute: float  # share of wrong options carrying one
    # Questions whose key stands out by its length in every fact case, with the ratio of the
    # key's length to the longest wrong option's.
    longest_keys: list[tuple[str, float]] = field(default_factory=list)


def giveaways(questions: Iterable[QuestionContent], *, max_cases: int = 64) -> Giveaways:
    cases = longest = 0
    chance = 0.0
    keys = keys_absolute = wrong = wrong_absolute = 0
    flagged: list[tuple[str, float]] = []
    for content in questions:
        if "options" not in content.spec:
            continue
        ratios = []
        for facts in _cases(content, max_cases):
            options = [
                (
                    o["text"],
                    evaluate(o["correct_when"], facts)
                    if o.get("correct_when")
                    else bool(o.get("correct")),
                )
                for o in content.spec["options"]
            ]
            right = [len(t) for t, ok in options if ok]
            others = [len(t) for t, ok in options if not ok]
            if not right or not others:
                continue
            cases += 1
            chance += len(right) / len(options)
            longest += max(right) > max(others)
            ratios.append(max(right) / max(others))
            for text, ok in options:
                carries = bool(absolute_words(text))
                if ok:
                    keys, keys_absolute = keys + 1, keys_absolute + carries
                else:
                    wrong, wrong_absolute = wrong + 1, wrong_absolute + carries
        if ratios and min(ratios) > 1:
            flagged.append((content.key, round(min(ratios), 2)))
    return Giveaways(
        cases=cases,
        key_longest=longest / cases if cases else 0.0,
        chance=chance / cases if cases else 0.0,
        key_absolute=keys_absolute / keys if keys else 0.0,
        wrong_absolute=wrong_absolute / wrong if wrong else 0.0,
        longest_keys=sorted(flagged, key=lambda pair: -pair[1]),
    )


def _cases(content: QuestionContent, limit: int) -> list[Mapping[str, object]]:
    specs = fact_specs(content.spec)
    conditions = [o["correct_when"] for o in content.spec["options"] if o.get("correct_when")]
    try:
        return list(itertools.islice(fact_combinations(specs, conditions), limit)) or [{}]
    except TooManyCombinations:  # refused on load; nothing to measure
        return [{}]
