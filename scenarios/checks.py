"""Authoring checks for a call scenario, run when content loads and on demand: a broken graph,
unknown facts, rubric items no path can satisfy, and, under every combination of facts, the
proof that the call is a real test: some path earns full marks, every decision offers a wrong
line that breaks a rule, every such line fails the call, and no path through a violation
passes (pure Python, no Django).

Each problem carries the path of the definition key it is about, so the content pack can
point at the file and line.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scenarios.grading import ItemKind, TurnRecord, grade
from scenarios.graph import Scenario, placeholders
from training.conditions import ConditionError, evaluate, parse_condition
from training.facts import TooManyCombinations, fact_combinations

Path = tuple[str | int, ...]

# A guard against graphs with so many paths that the proof would hang a load.
MAX_EXPANSIONS = 50_000


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    message: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    cases: int = 0  # distinct fact cases the proof covered
    paths: int = 0  # complete paths through the call, summed over the cases
    passing_paths: int = 0  # of those, the ones that pass
    # One full-marks path per case (choice ids), for the trainer's page.
    witnesses: list[tuple[dict[str, object], list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_scenario(definition: Mapping[str, object], violations: Iterable[str] = ()) -> CheckReport:
    """Check a (schema-valid) definition; ``violations`` are the codes of the curriculum's
    violation behaviours (named ways of breaking a rule of the manual)."""
    scenario = Scenario.from_definition(definition)
    violations = set(violations)
    report = CheckReport()
    problems = report.problems
    if not scenario.steps:
        problems.append(Problem(("steps",), "a call needs at least one step"))
        return report
    problems.extend(_structure(scenario))
    problems.extend(_conditions_and_placeholders(scenario))
    problems.extend(_rubric_kinds(scenario, violations))
    problems.extend(_violations_uncaught(scenario, violations))
    problems.extend(_unreachable(scenario))
    if problems:
        # The proof walks the graph under every case; on a broken graph it would only
        # repeat the problems above in harder words.
        return report
    try:
        _prove(scenario, report, violations)
    except TooManyCombinations as exc:
        problems.append(Problem(("facts",), str(exc)))
    return report


def _choice_path(step, choice) -> Path:
    """Where a choice is written: a menu line, or a typed step's sample reply."""
    if step.typed is not None:
        return ("steps", step.index, "typed", "samples", choice.index)
    return ("steps", step.index, "choices", choice.index)


def fact_cases(scenario: Scenario) -> list[Mapping[str, object]]:
    """One combination of the facts per way the call can go: facts reach the call only
    through its conditions, so cases that agree on every condition play and grade alike."""
    conditions = scenario.conditions()
    cases: dict[tuple[bool, ...], Mapping[str, object]] = {}
    for facts in fact_combinations(scenario.fact_specs, conditions):
        cases.setdefault(tuple(evaluate(c, facts) for c in conditions), facts)
    return list(cases.values())


def _structure(scenario: Scenario) -> list[Problem]:
    problems = []
    seen_steps: set[str] = set()
    for step in scenario.steps:
        base: Path = ("steps", step.index)
        if step.id in seen_steps:
            problems.append(Problem((*base, "id"), f"duplicate step id {step.id!r}"))
        seen_steps.add(step.id)
        if step.is_end and step.choices:
            problems.append(
                Problem((*base, "choices"), "an end step (with an outcome) offers no choices")
            )
        if not step.is_end and not step.choices:
            problems.append(
                Problem(base, f"dead end: step {step.id!r} has no choices and no outcome")
            )
        seen_choices: set[str] = set()
        for choice in step.choices:
            where: Path = _choice_path(step, choice)
            if choice.id in seen_choices:
                problems.append(
                    Problem((*where, "id"), f"duplicate choice id {choice.id!r} in this step")
                )
            seen_choices.add(choice.id)
            if not choice.branches:
                problems.append(Problem((*where, "next"), "the choice leads nowhere"))
            for k, branch in enumerate(choice.branches):
                if scenario.step(branch.step) is None:
                    at = (
                        (*where, "next")
                        if len(choice.branches) == 1 and not branch.when
                        else (
                            *where,
                            "next",
                            k,
                            "step",
                        )
                    )
                    problems.append(
                        Problem(at, f"the choice leads nowhere: no step {branch.step!r}")
                    )
    seen_items: set[str] = set()
    for item in scenario.rubric.items:
        if item.id in seen_items:
            problems.append(
                Problem(("rubric", "items", item.index, "id"), f"duplicate item id {item.id!r}")
            )
        seen_items.add(item.id)
    seen_facts: set[str] = set()
    for i, spec in enumerate(scenario.fact_specs[1:]):
        if spec.name in seen_facts or spec.name == scenario.fact_specs[0].name:
            problems.append(Problem(("facts", i, "name"), f"duplicate fact {spec.name!r}"))
        seen_facts.add(spec.name)
        if spec.kind == "int" and spec.minimum > spec.maximum:
            problems.append(Problem(("facts", i, "max"), "max is below min"))
        if spec.kind == "choice" and not spec.choices:
            problems.append(Problem(("facts", i, "choices"), "a choice fact needs choices"))
    return problems


def _conditions_and_placeholders(scenario: Scenario) -> list[Problem]:
    problems = []
    known = scenario.fact_names()
    texts = scenario.placeholder_names()

    def condition(path: Path, source: str | None) -> None:
        if not source:
            return
        try:
            names = parse_condition(source).names
        except ConditionError as exc:
            problems.append(Problem(path, str(exc)))
            return
        for name in sorted(names - known):
            problems.append(Problem(path, f"the condition names an unknown fact {name!r}"))

    def text(path: Path, value: object) -> None:
        for name in placeholders(str(value)):
            if name not in texts:
                problems.append(Problem(path, f"the text names an unknown fact {{{name}}}"))

    for key, value in scenario.screen.items():
        for v in value if isinstance(value, list | tuple) else [value]:
            text(("screen", key), v)
    for step in scenario.steps:
        base: Path = ("steps", step.index)
        text((*base, "customer"), step.customer)
        if step.outcome:
            text((*base, "outcome"), step.outcome)
        for key, value in step.screen.items():
            for v in value if isinstance(value, list | tuple) else [value]:
                text((*base, "screen", key), v)
        for choice in step.choices:
            where: Path = _choice_path(step, choice)
            text((*where, "say"), choice.say)
            condition((*where, "when"), choice.when)
            for k, performed in enumerate(choice.performed):
                condition((*where, "behaviors", k, "when"), performed.when)
            for k, branch in enumerate(choice.branches):
                condition((*where, "next", k, "when"), branch.when)
        for k, concept in enumerate(step.typed.concepts if step.typed else ()):
            where = (*base, "typed", "concepts", k)
            condition((*where, "when"), concept.when)
            for j, phrasing in enumerate(concept.phrasings):
                text((*where, "phrasings", j), phrasing)
            if concept.value and concept.value.fact and concept.value.fact not in known:
                problems.append(
                    Problem(
                        (*where, "value", "fact"),
                        f"the value names an unknown fact {concept.value.fact!r}",
                    )
                )
    for item in scenario.rubric.items:
        condition(("rubric", "items", item.index, "when"), item.when)
    return problems


def _samples_flipped(scenario: Scenario, facts: Mapping[str, object], once) -> None:
    """Every sample reply of a typed step is graded as the author said it must be under these
    facts: a sample to accept carries every required concept and no forbidden one, a sample
    to reject does not. A sample that flips (after a phrasing was added or removed) is named
    with the concepts that decided it."""
    where = _describe(facts)
    for step in scenario.steps:
        if step.typed is None:
            continue
        for sample in step.on_offer(facts):
            result = sample.grade(facts)
            if result.accepted == sample.expect_accepted:
                continue
            labels = {c.id: c for c in step.typed.concepts}
            if sample.expect_accepted:
                why = ", ".join(
                    f"{f.concept} {'found' if f.matched else 'missing'}"
                    for f in result.found
                    if f.matched == (labels[f.concept].kind == "forbidden")
                )
                message = f"this sample should be accepted but the grader rejects it ({why})"
            else:
                message = (
                    "this sample should be rejected but the grader accepts it: every required "
                    "concept is found and no forbidden one"
                )
            once(
                f"flip:{step.id}:{sample.index}",
                Problem(_choice_path(step, sample), f"{message} when {where}"),
            )


def _rubric_kinds(scenario: Scenario, violations: set[str]) -> list[Problem]:
    """Forbidden and critical items judge violations, and only they do."""
    problems = []
    for item in scenario.rubric.items:
        path: Path = ("rubric", "items", item.index, "behavior")
        if item.kind.is_prohibition and item.behavior not in violations:
            problems.append(
                Problem(
                    path,
                    f"a {item.kind} item judges a violation: {item.behavior} is not a behaviour "
                    "of kind violation (name the wrong move as a violation in the curriculum)",
                )
            )
        if not item.kind.is_prohibition and item.behavior in violations:
            problems.append(
                Problem(
                    path,
                    f"{item.behavior} is a violation: judge it with a forbidden or critical item",
                )
            )
        if item.before in violations:
            problems.append(
                Problem(
                    ("rubric", "items", item.index, "before"),
                    f"{item.before} is a violation: it has no place in an order item",
                )
            )
    return problems


def _violations_uncaught(scenario: Scenario, violations: set[str]) -> list[Problem]:
    caught = {i.behavior for i in scenario.rubric.items if i.kind.is_prohibition}
    problems = []
    for step in scenario.steps:
        for choice in step.choices:
            for k, code in enumerate(choice.behaviors):
                if code in violations and code not in caught:
                    problems.append(
                        Problem(
                            (*_choice_path(step, choice), "behaviors", k),
                            f"{code} is a violation, but no critical or forbidden rubric item "
                            "catches it",
                        )
                    )
    return problems


def _unreachable(scenario: Scenario) -> list[Problem]:
    seen = reachable_steps(scenario, facts=None)
    return [
        Problem(("steps", step.index, "id"), f"step {step.id!r} cannot be reached")
        for step in scenario.steps
        if step.id not in seen
    ]


def reachable_steps(scenario: Scenario, facts: Mapping[str, object] | None) -> set[str]:
    """Step ids reachable from the start; with ``facts``, only along choices on offer."""
    start = scenario.start.id
    seen, queue = {start}, deque([start])
    while queue:
        step = scenario.step(queue.popleft())
        for choice in step.choices:
            if facts is None:
                targets = [b.step for b in choice.branches]
            elif choice.available(facts):
                targets = [choice.leads_to(facts)]
            else:
                continue
            for target in targets:
                if target is not None and target not in seen and scenario.step(target):
                    seen.add(target)
                    queue.append(target)
    return seen


def _describe(facts: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in facts.items())


def _prove(scenario: Scenario, report: CheckReport, violations: set[str]) -> None:
    """Under every case of the facts: no dead end, every step can still end the call, every
    applicable required item can be met, every choice performs something (or says why not),
    every decision offers a wrong line that breaks a rule and fails the call, some path earns
    full marks, and no path through a violation passes."""
    problems = report.problems
    reported: set[tuple[str, Path]] = set()

    def once(kind: str, problem: Problem) -> None:
        if (kind, problem.path) not in reported:
            reported.add((kind, problem.path))
            problems.append(problem)

    for facts in fact_cases(scenario):
        report.cases += 1
        where = _describe(facts)
        reachable = reachable_steps(scenario, facts)
        broken = False
        for step_id in sorted(reachable):
            step = scenario.step(step_id)
            if step.is_end:
                continue
            offered = step.on_offer(facts)
            if not offered:
                broken = True
                once("dead", Problem(("steps", step.index), f"dead end when {where}"))
            for choice in offered:
                if choice.leads_to(facts) is None:
                    broken = True
                    once(
                        "nowhere",
                        Problem(
                            (*_choice_path(step, choice), "next"),
                            f"the choice leads nowhere when {where}",
                        ),
                    )
        if broken:
            continue
        ending = _can_end(scenario, facts, reachable)
        for step_id in sorted(reachable - ending):
            step = scenario.step(step_id)
            once(
                "loop",
                Problem(("steps", step.index), f"the call cannot end from here when {where}"),
            )
        _check_choices(scenario, facts, reachable, violations, once)
        _samples_flipped(scenario, facts, once)
        performed = {
            code
            for step_id in reachable
            for choice in scenario.step(step_id).on_offer(facts)
            for code in choice.performs(facts)
        }
        unmet = False
        for item in scenario.rubric.items:
            if (
                item.kind in (ItemKind.REQUIRED, ItemKind.MANDATORY, ItemKind.BONUS)
                and item.applies(facts)
                and item.behavior not in performed
            ):
                unmet = True
                once(
                    "unmet",
                    Problem(
                        ("rubric", "items", item.index),
                        f"no path can satisfy this item ({item.behavior}) when {where}",
                    ),
                )
        if unmet or reachable - ending:
            continue
        _walk_paths(scenario, facts, violations, report, once)


def _check_choices(scenario, facts, reachable, violations, once) -> None:
    where = _describe(facts)
    for step_id in sorted(reachable):
        step = scenario.step(step_id)
        offered = step.on_offer(facts)
        for choice in offered:
            path: Path = _choice_path(step, choice)
            codes = choice.performs(facts)
            if not codes and not choice.neutral:
                once(
                    "idle",
                    Problem(
                        path,
                        f"the choice performs no behaviour when {where}: tag what it does or "
                        "breaks, or say in neutral: why it is fair",
                    ),
                )
            for code in codes:
                if code in violations and not scenario.rubric.failing_items(code, facts):
                    once(
                        f"free:{code}",
                        Problem(
                            path,
                            f"saying this breaks {code} but does not fail the call when "
                            f"{where}: make its item critical, or applicable to these facts",
                        ),
                    )
        if len(offered) >= 2 and not any(
            code in violations for choice in offered for code in choice.performs(facts)
        ):
            once(
                "no-trap",
                Problem(
                    ("steps", step.index, "choices"),
                    f"this decision offers no wrong line that breaks a rule when {where}: add "
                    "one an agent under pressure would say, tagged with its violation",
                ),
            )


def _can_end(scenario: Scenario, facts: Mapping[str, object], reachable: set[str]) -> set[str]:
    """Reachable steps from which some sequence of choices on offer reaches an end step."""
    ending = {s for s in reachable if scenario.step(s).is_end}
    changed = True
    while changed:
        changed = False
        for step_id in reachable - ending:
            step = scenario.step(step_id)
            if any(c.leads_to(facts) in ending for c in step.on_offer(facts)):
                ending.add(step_id)
                changed = True
    return ending


def complete_paths(scenario: Scenario, facts: Mapping[str, object], budget: int = MAX_EXPANSIONS):
    """Every simple path (no step twice) from the start to an end step under ``facts``, as
    (choice ids, turn records); raises TooManyPaths past ``budget`` expansions."""
    left = [budget]

    def walk(step, visited, choices, turns):
        if step.is_end:
            yield choices, turns
            return
        for choice in step.on_offer(facts):
            left[0] -= 1
            if left[0] < 0:
                raise TooManyPaths
            target = choice.leads_to(facts)
            if target is None or target in visited:
                continue
            turn = TurnRecord(index=len(turns) + 1, behaviors=choice.performs(facts))
            yield from walk(
                scenario.step(target), visited | {target}, [*choices, choice.id], [*turns, turn]
            )

    start = scenario.start
    yield from walk(start, frozenset({start.id}), [], [])


class TooManyPaths(Exception):
    """The call has more paths than the checks will walk."""


def _walk_paths(scenario, facts, violations, report: CheckReport, once) -> None:
    where = _describe(facts)
    witness = None
    try:
        for choices, turns in complete_paths(scenario, facts):
            result = grade(turns, facts, scenario.rubric)
            report.paths += 1
            if witness is None and result.full_marks:
                witness = choices
            if not result.passed:
                continue
            report.passing_paths += 1
            broken = sorted({c for t in turns for c in t.behaviors} & violations)
            if broken:
                once(
                    "passes-violating",
                    Problem(
                        ("rubric",),
                        f"a path through {', '.join(broken)} passes when {where}: "
                        f"{' > '.join(choices)}",
                    ),
                )
    except TooManyPaths:
        once("proof", Problem(("steps",), "too many paths to check the call; simplify the graph"))
        return
    if witness is None:
        once("proof", Problem(("rubric",), f"no path earns full marks when {where}"))
    else:
        report.witnesses.append((dict(facts), witness))
