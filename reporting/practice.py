"""What a trainee should practise next: every behaviour whose latest judgement in the ledger was
missed or broken, with where it happened and the quizzes and calls that exercise it; and what
their managers assigned to their teams, done or not."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Max

from certification.models import Certification, Recertification
from certification.services import fact_cases_of
from quizzes.models import Quiz
from reporting.models import Assignment
from scenarios.graph import Scenario as CallGraph
from scenarios.models import Run, Scenario, ScenarioVersion
from training.conditions import evaluate
from training.memory import LATE, OWN_WORDS, Memory, memory_of
from training.models import Behavior, Judgement

# How far back the ledger is read for what to practise.
PRACTICE_WINDOW_DAYS = 90
PRACTICE_SIZE = 5


@dataclass
class Practice:
    behavior: Behavior
    verdict: str
    at: datetime
    source: str
    record: int
    place: int | None
    calls: list[Scenario] = field(default_factory=list)
    quizzes: list[Quiz] = field(default_factory=list)


def calls_by_behavior() -> dict[str, list[int]]:
    """Which active calls judge each behaviour code (by their current version's rubric and
    lines), computed once per set of current versions."""
    versions = list(
        ScenarioVersion.objects.current()
        .filter(scenario__is_active=True)
        .values_list("pk", "scenario_id", "definition")
    )
    key = "practice:calls:" + ",".join(str(pk) for pk, _s, _d in sorted(versions))[-200:]
    found = cache.get(key)
    if found is None:
        found = {}
        for _pk, scenario_id, definition in versions:
            call = CallGraph.from_definition(definition)
            codes = {item.behavior for item in call.rubric.items}
            for step in call.steps:
                for choice in step.choices:
                    codes.update(choice.behaviors)
            for code in codes:
                found.setdefault(code, []).append(scenario_id)
        cache.set(key, found, timeout=3600)
    return found


def practice_for(trainee, now: datetime, limit: int = PRACTICE_SIZE) -> list[Practice]:
    """The behaviours the trainee last missed or broke (newest first), each with the calls
    and quizzes that practise it. A behaviour kept since drops off the list."""
    since = now - timedelta(days=PRACTICE_WINDOW_DAYS)
    rows = (
        Judgement.objects.filter(trainee=trainee, judged_at__gte=since)
        .order_by("-judged_at", "-pk")
        .values_list("behavior_id", "verdict", "judged_at", "source", "record", "place")
    )
    latest: dict[int, tuple] = {}
    for row in rows.iterator(chunk_size=2000):
        latest.setdefault(row[0], row)
    due = [row for row in latest.values() if row[1] != Judgement.Verdict.KEPT][:limit]
    if not due:
        return []
    behaviors = Behavior.objects.select_related("procedure__module").in_bulk(
        [row[0] for row in due]
    )
    by_code = calls_by_behavior()
    wanted_calls = {pk for row in due for pk in by_code.get(behaviors[row[0]].code, [])}
    calls = Scenario.objects.active().in_bulk(wanted_calls)
    quizzes: dict[int, list[Quiz]] = {}
    modules = {behavior.procedure.module_id for behavior in behaviors.values()}
    for quiz in Quiz.objects.published().filter(module_id__in=modules).order_by("pk"):
        quizzes.setdefault(quiz.module_id, []).append(quiz)
    found = []
    for behavior_id, verdict, at, source, record, place in due:
        behavior = behaviors[behavior_id]
        found.append(
            Practice(
                behavior=behavior,
                verdict=verdict,
                at=at,
                source=source,
                record=record,
                place=place,
                calls=sorted(
                    (calls[pk] for pk in by_code.get(behavior.code, []) if pk in calls),
                    key=lambda c: (c.order, c.slug),
                )[:3],
                quizzes=quizzes.get(behavior.procedure.module_id, [])[:1],
            )
        )
    return found


@dataclass
class AssignmentState:
    assignment: Assignment
    done: bool

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return not self.done and self.assignment.due_on < timezone.localdate()


def assignments_for(trainee, now: datetime) -> list[AssignmentState]:
    """What the trainee's managers assigned to their teams, each with whether it is done: a
    call passed since it was assigned, or the module's certificate valid."""
    assignments = list(
        Assignment.objects.filter(team__members=trainee)
        .select_related("module", "scenario", "team")
        .order_by("due_on", "pk")
        .distinct()
    )
    if not assignments:
        return []
    passed_calls = dict(
        Run.objects.counted()
        .filter(user=trainee, passed=True, scenario_id__in=[a.scenario_id for a in assignments])
        .values("scenario_id")
        .annotate(last=Max("finished_at"))
        .values_list("scenario_id", "last")
    )
    certified = set(
        Certification.objects.filter(trainee=trainee, is_current=True, revoked_at__isnull=True)
        .filter(expires_at__gt=now)
        .values_list("module_id", flat=True)
    )
    states = []
    for assignment in assignments:
        if assignment.scenario_id:
            last = passed_calls.get(assignment.scenario_id)
            done = last is not None and last >= assignment.created_at
        else:
            done = assignment.module_id in certified
        states.append(AssignmentState(assignment, done))
    return states


# --- due for review (memory model) ----------------------------------------------------------------

MEMORY_WINDOW_DAYS = 365
PREDICTION_ROWS = 50_000


@dataclass
class DueReview:
    behavior: Behavior
    memory: Memory


def _outcome(verdict: str, evidence) -> bool | str:
    """A judgement as a review of the memory model: kept, not kept, or kept in own words."""
    evidence = evidence if isinstance(evidence, dict) else {}
    if verdict != "kept":
        return LATE if evidence.get("late") else False
    return OWN_WORDS if evidence.get("own_words") else True


def due_for(trainee, now: datetime, *, exclude=(), limit: int = PRACTICE_SIZE) -> list[DueReview]:
    """Behaviours the trainee kept last time but is now likely to forget (the memory model
    says they are due), least likely recalled first."""
    rows = (
        Judgement.objects.filter(
            trainee=trainee, judged_at__gte=now - timedelta(days=MEMORY_WINDOW_DAYS)
        )
        .values_list("behavior_id", "behavior__kind", "judged_at", "verdict", "evidence")
        .order_by("judged_at")
    )
    reviews: dict[int, tuple[str, list]] = {}
    for behavior_id, kind, at, verdict, evidence in rows.iterator(chunk_size=2000):
        reviews.setdefault(behavior_id, (kind, []))[1].append((at, _outcome(verdict, evidence)))
    due = []
    for behavior_id, (kind, history) in reviews.items():
        if behavior_id in exclude or not history[-1][1]:
            continue  # missed last time: already listed as what to practise
        memory = memory_of(history, kind=kind, now=now)
        if memory is not None and memory.due <= now:
            due.append((memory.retrievability, behavior_id, memory))
    due.sort()
    chosen = due[:limit]
    behaviors = Behavior.objects.select_related("procedure__module").in_bulk(
        [pk for _r, pk, _m in chosen]
    )
    return [DueReview(behaviors[pk], memory) for _r, pk, memory in chosen]


def predicted_miss_rate(scope_judgements, now: datetime) -> float | None:
    """One minus the mean chance of recall now, over the trainees judged on the behaviour
    (``scope_judgements``: its judgements in scope), in percent."""
    histories: dict[int, tuple[str, list]] = {}
    for trainee_id, kind, at, verdict, evidence in (
        scope_judgements.filter(judged_at__gte=now - timedelta(days=MEMORY_WINDOW_DAYS))
        .values_list("trainee_id", "behavior__kind", "judged_at", "verdict", "evidence")
        .iterator(chunk_size=5000)
    ):
        histories.setdefault(trainee_id, (kind, []))[1].append((at, _outcome(verdict, evidence)))
    recalls = [
        memory.retrievability
        for kind, history in histories.values()
        if (memory := memory_of(history, kind=kind, now=now)) is not None
    ]
    return round(100 * (1 - sum(recalls) / len(recalls)), 1) if recalls else None


@dataclass
class RecertificationState:
    recertification: object
    module: object
    behaviors: list
    kept: set


def recertifications_for(trainee, now: datetime) -> list[RecertificationState]:
    """The trainee's open targeted recertifications: the manual's content changed behaviours
    their certificate rests on; each behaviour to pass again, and those already kept since."""
    open_ones = list(
        Recertification.objects.filter(
            certificate__trainee=trainee,
            certificate__revoked_at__isnull=True,
            completed_at__isnull=True,
            due_at__gt=now,
        ).select_related("certificate__module")
    )
    if not open_ones:
        return []
    codes = {code for r in open_ones for code in r.behaviors}
    behaviors = {
        b.code: b
        for b in Behavior.objects.filter(code__in=codes).select_related("procedure__module")
    }
    since = min(r.assigned_at for r in open_ones)
    kept = set(
        Judgement.objects.filter(
            trainee=trainee, behavior__code__in=codes, verdict=Judgement.Verdict.KEPT
        )
        .filter(judged_at__gte=since)
        .values_list("behavior__code", "judged_at")
    )
    return [
        RecertificationState(
            recertification=r,
            module=r.certificate.module,
            behaviors=[behaviors[c] for c in r.behaviors if c in behaviors],
            kept={code for code, at in kept if at >= r.assigned_at and code in r.behaviors},
        )
        for r in open_ones
    ]


# Seeds tried, at most, to find a run on a case of the facts the trainee has not played.
SEED_TRIES = 200


@dataclass(frozen=True)
class Drill:
    """One call to practise what is due: the active call that judges most of the behaviours
    the trainee is likely forgetting, on a case of its facts they have not played yet."""

    scenario: Scenario
    seed: int
    behaviors: tuple[Behavior, ...]
    fresh: bool  # False when every case has been played: any case, then


def drill_for(trainee, now: datetime) -> Drill | None:
    due = due_for(trainee, now, limit=PRACTICE_SIZE)
    if not due:
        return None
    by_code = calls_by_behavior()
    covered: dict[int, list[Behavior]] = {}
    for item in due:
        for scenario_id in by_code.get(item.behavior.code, []):
            covered.setdefault(scenario_id, []).append(item.behavior)
    if not covered:
        return None
    scenario_id = min(covered, key=lambda pk: (-len(covered[pk]), pk))
    scenario = Scenario.objects.get(pk=scenario_id)
    version = ScenarioVersion.objects.get(scenario=scenario, number=scenario.version)
    call = CallGraph.from_definition(version.definition)
    conditions = call.conditions()
    played = set(
        fact_cases_of(
            list(
                Run.objects.counted()
                .filter(user=trainee, scenario=scenario)
                .values_list("pk", "version_id", "facts")
            )
        ).values()
    )
    first = None
    for attempt in range(SEED_TRIES):
        digest = hashlib.sha256(f"{trainee.pk}:{scenario.pk}:{now:%Y%m%d}:{attempt}".encode())
        seed = int.from_bytes(digest.digest()[:6], "big")
        facts = call.draw(seed)
        case = json.dumps([bool(evaluate(c, facts)) for c in conditions])
        first = seed if first is None else first
        if case not in played:
            return Drill(scenario, seed, tuple(covered[scenario_id]), fresh=True)
    return Drill(scenario, first, tuple(covered[scenario_id]), fresh=False)
