"""Named reads for simulated calls, with their joins built in, and the parsed graph of a frozen
scenario version."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q

from scenarios import graph
from scenarios.checks import CheckReport, Problem, check_scenario
from scenarios.guessers import CallFigures, call_figures
from scenarios.models import Run, Scenario, ScenarioVersion, Turn
from training.guessing import guessers
from training.models import Behavior, Module, Procedure
from training.selectors import manual_text

_GRAPHS: OrderedDict[tuple[int, str], graph.Scenario] = OrderedDict()
_GRAPH_CACHE_SIZE = 256


def graph_of(version: ScenarioVersion) -> graph.Scenario:
    """The version's graph, parsed once per process (versions never change once written)."""
    key = (version.pk, version.content_hash)
    found = _GRAPHS.get(key)
    if found is None:
        found = graph.Scenario.from_definition(version.definition)
        _GRAPHS[key] = found
        if len(_GRAPHS) > _GRAPH_CACHE_SIZE:
            _GRAPHS.popitem(last=False)
    return found


def current_version(scenario: Scenario) -> ScenarioVersion:
    return ScenarioVersion.objects.get(scenario=scenario, number=scenario.version)


def active_scenario(slug: str) -> Scenario:
    """An active call with its module and the procedures to read first (each with its own
    module: a call may ask to read a procedure of another module)."""
    procedures = Procedure.objects.select_related("module").order_by("module__order", "order")
    return (
        Scenario.objects.active()
        .select_related("module")
        .prefetch_related(Prefetch("procedures", queryset=procedures))
        .get(slug=slug)
    )


def run_for_user(user, pk: int) -> Run:
    """The user's own run, with what every run page needs; DoesNotExist for anyone else's."""
    return Run.objects.select_related("version", "scenario__module").get(pk=pk, user=user)


def turns_of(run: Run) -> list[Turn]:
    return list(Turn.objects.filter(run=run).order_by("index"))


@dataclass(frozen=True)
class ScenarioStanding:
    """A trainee's record on one call: counted runs only."""

    runs: int = 0
    best: float | None = None
    passed: bool = False
    in_progress: int | None = None  # the id of the run to resume


def modules_with_calls(module_slug: str | None = None) -> list[Module]:
    scenarios = Scenario.objects.active().order_by("order", "slug")
    modules = (
        Module.objects.filter(scenarios__is_active=True)
        .distinct()
        .prefetch_related(Prefetch("scenarios", queryset=scenarios, to_attr="calls"))
        .order_by("order", "slug")
    )
    if module_slug is not None:
        modules = modules.filter(slug=module_slug)
    return list(modules)


def standings_for(user, scenario_ids) -> dict[int, ScenarioStanding]:
    rows = (
        Run.objects.counted()
        .filter(user=user, scenario_id__in=list(scenario_ids))
        .values("scenario_id")
        .annotate(
            runs=Count("pk", filter=~Q(status=Run.Status.IN_PROGRESS)),
            best=Max("score"),
            passes=Count("pk", filter=Q(passed=True)),
            open_run=Max("pk", filter=Q(status=Run.Status.IN_PROGRESS)),
        )
    )
    return {
        row["scenario_id"]: ScenarioStanding(
            runs=row["runs"],
            best=row["best"],
            passed=row["passes"] > 0,
            in_progress=row["open_run"],
        )
        for row in rows
    }


def recent_runs(user, scenario: Scenario, limit: int = 10) -> list[Run]:
    return list(Run.objects.filter(user=user, scenario=scenario).order_by("-started_at")[:limit])


def behaviors_by_code(codes) -> dict[str, Behavior]:
    return {
        b.code: b
        for b in Behavior.objects.filter(code__in=set(codes)).select_related("procedure__module")
    }


def violation_codes() -> set[str]:
    return set(Behavior.objects.violations().values_list("code", flat=True))


@dataclass(frozen=True)
class ScenarioCheck:
    scenario: Scenario
    version: ScenarioVersion
    report: CheckReport
    figures: CallFigures | None = None  # how often each guesser passes the call


def guesser_figures(version: ScenarioVersion, manual: str) -> CallFigures:
    """The guessers played through a version, computed once per content (versions never
    change, nor does the manual's wording often) and kept in the cache."""
    digest = hashlib.sha256(manual.encode()).hexdigest()[:16]
    key = f"guessers:call:{version.content_hash}:{digest}"
    found = cache.get(key)
    if found is None:
        found = call_figures(graph_of(version), guessers=guessers(manual))
        cache.set(key, found, timeout=None)
    return found


def scenario_checks(*, with_guessers: bool = False) -> list[ScenarioCheck]:
    """The authoring checks of every active scenario's current version, and with ``guessers``
    how often each guessing bot passes it."""
    versions = (
        ScenarioVersion.objects.current()
        .filter(scenario__is_active=True)
        .select_related("scenario__module")
        .order_by("scenario__module__order", "scenario__order", "scenario__slug")
    )
    violations = violation_codes()
    known = set(Behavior.objects.values_list("code", flat=True))
    manual = manual_text() if with_guessers else ""
    checks = []
    for version in versions:
        report = check_scenario(version.definition, violations)
        # The pack checks codes on load; a behaviour deleted since then breaks the call.
        report.problems.extend(_unknown_codes(version.definition, known))
        figures = guesser_figures(version, manual) if with_guessers and report.ok else None
        checks.append(ScenarioCheck(version.scenario, version, report, figures))
    return checks


def _unknown_codes(definition, known: set[str]) -> list[Problem]:
    problems = []
    for i, step in enumerate(definition.get("steps") or ()):
        for j, choice in enumerate(step.get("choices") or ()):
            for k, entry in enumerate(choice.get("behaviors") or ()):
                code = entry if isinstance(entry, str) else entry["code"]
                if code not in known:
                    path = ("steps", i, "choices", j, "behaviors", k)
                    problems.append(Problem(path, f"unknown behaviour {code!r}"))
    for i, item in enumerate((definition.get("rubric") or {}).get("items") or ()):
        for key in ("behavior", "before"):
            if item.get(key) and item[key] not in known:
                path = ("rubric", "items", i, key)
                problems.append(Problem(path, f"unknown behaviour {item[key]!r}"))
    return problems
