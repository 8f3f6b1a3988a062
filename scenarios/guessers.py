"""Guessers played through calls: each picks a line by its look at every turn, under every fact
case of the call and several shown orders, and is graded like a trainee. A call they pass is a
call that gives its answers away (pure Python, no Django).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scenarios.checks import fact_cases
from scenarios.grading import GradeResult, TurnRecord, grade
from scenarios.graph import Scenario, render
from training.guessing import FIRST, GUESSERS, Guesser

# The most a guesser may pass of the (call, fact case) pairs of a pack.
MAX_PASS_SHARE = 0.20
# A guesser that walks in circles is cut off here: the call ends not completed.
MAX_TURNS = 40
# Shown orders tried for a guesser whose picks depend on the order (or on chance).
ORDERS = 8
# The author's own order, as if choices were not shuffled: is the right line written first?
AUTHORED_FIRST = "authored_first"


def play(
    scenario: Scenario,
    facts: Mapping[str, object],
    guesser: Guesser,
    seed: int,
    *,
    shuffled: bool = True,
) -> GradeResult:
    """One run of ``guesser`` through the call, shown in the order a run with ``seed`` shows."""
    rng = random.Random(seed)
    step = scenario.start
    turns: list[TurnRecord] = []
    while not step.is_end and len(turns) < MAX_TURNS:
        if step.typed is not None:
            replies = typed_guesses(step, facts)
            reply = replies[guesser.pick(replies, rng)]
            performed = step.typed.grade(reply, facts).performed
            turns.append(TurnRecord(index=len(turns) + 1, behaviors=performed))
            step = scenario.step(step.typed.leads_to(facts))
            continue
        offered = step.shown(facts, seed) if shuffled else step.on_offer(facts)
        choice = offered[guesser.pick([render(c.say, facts) for c in offered], rng)]
        turns.append(TurnRecord(index=len(turns) + 1, behaviors=choice.performs(facts)))
        step = scenario.step(choice.leads_to(facts))
    return grade(turns, facts, scenario.rubric, completed=step.is_end)


# What a guesser types when the call asks for words of its own: the customer's words back, a
# polite holding line, or every phrasing it can think of at once (keyword stuffing).
HOLDING_LINE = (
    "Entendi perfeitamente, {customer_first_name}, e peço desculpas pelo transtorno. Vou "
    "verificar tudo com muita atenção aqui no sistema e já te retorno, tudo bem?"
)


def typed_guesses(step, facts: Mapping[str, object]) -> list[str]:
    """The replies a guesser may type at a typed step, by look alone."""
    phrasings = [render(p, facts) for c in step.typed.concepts for p in c.phrasings]
    return [
        render(step.customer, facts),
        render(HOLDING_LINE, facts),
        ", ".join(phrasings) + ".",
    ]


@dataclass(frozen=True)
class CallFigures:
    """How often each guesser passes a call: the share of its fact cases, averaged over the
    orders tried."""

    cases: int
    passed: Mapping[str, float] = field(default_factory=dict)

    def worst(self) -> tuple[str, float]:
        return max(self.passed.items(), key=lambda pair: pair[1])


def call_figures(
    scenario: Scenario,
    *,
    cases: Sequence[Mapping[str, object]] | None = None,
    guessers: Iterable[Guesser] = GUESSERS,
    orders: int = ORDERS,
) -> CallFigures:
    cases = list(fact_cases(scenario) if cases is None else cases)
    passed: dict[str, float] = {}
    for guesser in guessers:
        seeds = range(orders) if guesser.uses_order else range(1)
        wins = sum(play(scenario, facts, guesser, seed).passed for facts in cases for seed in seeds)
        passed[guesser.name] = wins / (len(cases) * len(seeds)) if cases else 0.0
    wins = sum(play(scenario, facts, FIRST, 0, shuffled=False).passed for facts in cases)
    passed[AUTHORED_FIRST] = wins / len(cases) if cases else 0.0
    return CallFigures(cases=len(cases), passed=passed)


def pooled(figures: Iterable[CallFigures]) -> dict[str, float]:
    """Per guesser, the share of all (call, fact case) pairs it passes."""
    figures = list(figures)
    cases = sum(f.cases for f in figures)
    names = dict.fromkeys(name for f in figures for name in f.passed)
    return {
        name: sum(f.passed.get(name, 0.0) * f.cases for f in figures) / cases if cases else 0.0
        for name in names
    }
