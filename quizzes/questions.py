"""The checks every question goes through, wherever it comes from (a pack file, the admin, the
editor): references to the curriculum, facts and placeholders, the behaviours its options may
carry, conditions in the safe language, and the kind's own rule for every drawable case of the
facts. One function, so every path refuses the same input with the same message."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from quizzes.kinds import kind_of
from quizzes.paper import fact_specs
from quizzes.schema import placeholders
from training.conditions import ConditionError, parse_condition, unknown_names
from training.facts import TooManyCombinations, fact_combinations

Where = tuple[str | int, ...]


def question_problems(
    question,
    *,
    module: str,
    procedures: Mapping[str, str],
    behavior_kinds: Mapping[str, str],
) -> list[tuple[Where, str]]:
    """(path inside the question, message) of every problem of a schema-valid question of
    ``module``; ``procedures`` maps procedure slugs to their module's slug and
    ``behavior_kinds`` behaviour codes to their kind."""
    problems: list[tuple[Where, str]] = []
    procedure_module = procedures.get(question.procedure)
    if procedure_module is None:
        problems.append((("procedure",), f"unknown procedure {question.procedure!r}"))
    elif procedure_module != module:
        problems.append(
            (
                ("procedure",),
                f"procedure {question.procedure!r} belongs to module {procedure_module!r}",
            )
        )
    names = [f.name for f in question.facts]
    for k, name in enumerate(names):
        if names.index(name) != k:
            problems.append((("facts", k, "name"), f"duplicate fact {name!r}"))
    kinds = {f.name: f.kind for f in question.facts}
    try:
        for name in placeholders(question.stem):
            if name not in kinds:
                problems.append((("stem",), f"unknown fact {{{name}}}"))
            elif kinds[name] == "bool":
                problems.append((("stem",), f"{{{name}}} is yes/no: list it in facts only"))
    except ValueError as exc:
        problems.append((("stem",), str(exc)))

    for where, code in code_paths(question):
        if code not in behavior_kinds:
            problems.append((where, f"unknown behaviour {code!r}"))
        elif (
            where[0] == "options"
            and where[-2] == "behaviors"
            and (behavior_kinds[code] == "violation")
        ):
            problems.append(
                (
                    where,
                    f"{code} is a violation: a right answer does not perform it (tag the "
                    "wrong options with it, in breaks)",
                )
            )

    kind = kind_of(question.kind)
    conditions = kind.conditions(question)
    valid = True
    for where, condition in conditions:
        try:
            parse_condition(condition)
            missing = unknown_names(condition, names)
        except ConditionError as exc:
            problems.append((where, str(exc)))
            valid = False
            continue
        if missing:
            problems.append((where, "unknown fact " + ", ".join(repr(m) for m in missing)))
            valid = False
    if valid:
        problems.extend(_case_problems(question, conditions))
    return problems


def _case_problems(question, conditions) -> list[tuple[Where, str]]:
    """The kind's rule (a single choice has one right option, a multiple response at least
    one...) must hold for every drawable set of facts; checked on the boundary values of every
    fact, the first broken case reported."""
    kind = kind_of(question.kind)
    specs = fact_specs({"facts": [f.model_dump() for f in question.facts]})
    sources = [c for _, c in conditions]
    where = ("options",) if hasattr(question, "options") else ()
    try:
        for facts in fact_combinations(specs, sources):
            try:
                problem = kind.case_problem(question, facts)
            except ConditionError as exc:
                return [(conditions[0][0] if conditions else (), str(exc))]
            if problem:
                return [(where, problem)]
    except TooManyCombinations as exc:
        return [(("facts",), str(exc))]
    return []


def code_paths(question) -> Iterator[tuple[Where, str]]:
    """Every behaviour code a question names, with where."""
    for k, code in enumerate(question.behaviors):
        yield ("behaviors", k), code
    for k, option in enumerate(getattr(question, "options", ())):
        for m, code in enumerate(option.behaviors):
            yield ("options", k, "behaviors", m), code
        for m, code in enumerate(option.breaks):
            yield ("options", k, "breaks", m), code


def codes_of(question) -> set[str]:
    return {code for _, code in code_paths(question)}
