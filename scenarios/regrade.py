"""Regrading after a trainer fixed a call: the graded runs of its earlier versions, each
graded again with the published version's choices, concepts and rubric
(``training.regrading`` counts the plan and applies it).

A regrade corrects how a call is judged, not what the trainee met: a run is graded again only
when every step it went through still shows the customer the same words and still offers
the choice it took with the same words (a typed reply is read again by the step's current
concepts). Otherwise the run is left as it was and counted apart. A run whose grade or
verdicts change moves to the published version, so its review and its replay read the
corrected call; the version it was first graded on stays in the regrade's record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch

from scenarios import grading
from scenarios.graph import render
from scenarios.models import Run, Scenario, ScenarioVersion, Turn
from scenarios.selectors import graph_of
from scenarios.services import in_own_words
from training import regrading
from training.models import Judgement, Regrade
from training.regrading import RegradePlan, StaleRegrade

__all__ = ["StaleRegrade", "regrade_apply", "regrade_plan"]


@dataclass(frozen=True)
class _Regraded:
    version: ScenarioVersion
    result: grading.GradeResult
    turns: dict[int, tuple[list[str], dict]]  # index: behaviours and evidence, where changed


def regrade_plan(scenario: Scenario) -> RegradePlan:
    """The dry run: what applying the regrade of ``scenario`` would change, for whom."""
    version = _published(scenario)
    return regrading.regrade_plan(
        _empty_plan(scenario), _batches(version, _graded_earlier(version)), Run
    )


def regrade_apply(
    *, scenario: Scenario, by, reason: str, fingerprint: str, now: datetime | None = None
) -> tuple[Regrade, RegradePlan]:
    """Grade again every run of an earlier version of ``scenario`` with the published one;
    those whose grade or verdicts change are regraded in the ledger. All or nothing, and
    only if it still changes what the trainer reviewed; StaleRegrade otherwise."""

    def locked():
        fixed = Scenario.objects.select_for_update().get(pk=scenario.pk)
        version = _published(fixed)
        runs = _graded_earlier(version).select_for_update(of=("self",))
        return _empty_plan(fixed), _batches(version, runs)

    return regrading.regrade_apply(
        locked, Run, _write, by=by, reason=reason, fingerprint=fingerprint, now=now
    )


def _published(scenario: Scenario) -> ScenarioVersion:
    return ScenarioVersion.objects.get(scenario=scenario, number=scenario.version)


def _empty_plan(scenario: Scenario) -> RegradePlan:
    return RegradePlan(source=Judgement.Source.CALL, item=scenario.slug, version=scenario.version)


def _graded_earlier(version: ScenarioVersion):
    turns = Prefetch(
        "turns",
        queryset=Turn.objects.only(
            "run_id", "index", "step_id", "choice_id", "said", "behaviors", "evidence"
        ).order_by("index"),
    )
    return (
        Run.objects.counted()
        .graded()
        .filter(scenario_id=version.scenario_id, version__number__lt=version.number)
        .select_related("version", "scenario", "user")
        .prefetch_related(turns)
        .order_by("pk")
    )


def _batches(version: ScenarioVersion, runs) -> Iterator[list[regrading.Outcome]]:
    return regrading.batched(
        _outcome(version, run) for run in runs.iterator(chunk_size=regrading.BATCH)
    )


def _outcome(version: ScenarioVersion, run: Run) -> regrading.Outcome:
    before = regrading.Outcome(
        record=run.pk,
        trainee_id=run.user_id,
        trainee=run.user.get_full_name() or run.user.get_username(),
        module_id=run.scenario.module_id,
        graded_at=run.finished_at,
        content_version=version.number,
        seed=run.seed,
        place=None,
        score_before=Decimal(str(run.score)),
        passed_before=bool(run.passed),
    )
    was, now = graph_of(run.version), graph_of(version)
    facts = run.facts
    records, typed, changed_turns = [], set(), {}
    for turn in run.turns.all():
        old, new = was.step(turn.step_id), now.step(turn.step_id)
        if old is None or new is None or render(old.customer, facts) != render(new.customer, facts):
            return before
        if turn.choice_id == Turn.TYPED:
            if new.typed is None:
                return before
            graded = new.typed.grade(turn.said, facts)
            behaviors, evidence = list(graded.performed), graded.to_dict()
            typed.add(turn.index)
        else:
            choice = new.choice(turn.choice_id)
            if choice is None or render(choice.say, facts) != turn.said:
                return before
            behaviors, evidence = list(choice.performs(facts)), turn.evidence
        if behaviors != list(turn.behaviors) or evidence != turn.evidence:
            changed_turns[turn.index] = (behaviors, evidence)
        records.append(grading.TurnRecord(index=turn.index, behaviors=tuple(behaviors)))
    result = grading.grade(records, facts, now.rubric, completed=run.status == Run.Status.COMPLETED)
    return replace(
        before,
        place=min(changed_turns, default=None),
        score_after=Decimal(str(result.total)),
        passed_after=result.passed,
        judged=in_own_words(grading.behavior_judgements(result), typed),
        payload=_Regraded(version, result, changed_turns),
        note={"version": [run.version.number, version.number]},
    )


def _write(regrade: Regrade, outcome: regrading.Outcome, changed: bool) -> None:
    """A run whose grade changes moves to the published version with its new result and its
    turns' behaviours (the ledger is corrected by the caller); the others stay as they were."""
    if not changed:
        return
    regraded: _Regraded = outcome.payload
    result = regraded.result
    Run.objects.filter(pk=outcome.record).update(
        version=regraded.version,
        score=result.total,
        compliance_score=result.compliance,
        critical_errors=len(result.critical_errors),
        passed=result.passed,
        result=result.to_dict(),
    )
    for index, (behaviors, evidence) in regraded.turns.items():
        Turn.objects.filter(run_id=outcome.record, index=index).update(
            behaviors=behaviors, evidence=evidence
        )
