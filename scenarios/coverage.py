"""Which behaviours a call exercises, and under how many of its fact cases: a behaviour counts
when some choice the agent can reach performs it under those facts and a rubric item that
applies to them judges it (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scenarios.checks import fact_cases, reachable_steps
from scenarios.graph import Scenario


@dataclass(frozen=True)
class Exercise:
    judged: int  # fact cases in which the call can perform and judges the behaviour
    cases: int  # fact cases of the call


def exercised(definition: Mapping[str, object]) -> dict[str, Exercise]:
    scenario = Scenario.from_definition(definition)
    cases = fact_cases(scenario)
    counts: dict[str, int] = {}
    for facts in cases:
        reachable = reachable_steps(scenario, facts)
        performed = {
            code
            for step_id in reachable
            for choice in scenario.step(step_id).on_offer(facts)
            for code in choice.performs(facts)
        }
        judged = {
            code
            for item in scenario.rubric.items
            if item.applies(facts)
            for code in (item.behavior, item.before)
            if code
        }
        for code in performed & judged:
            counts[code] = counts.get(code, 0) + 1
    return {code: Exercise(judged=n, cases=len(cases)) for code, n in counts.items()}
