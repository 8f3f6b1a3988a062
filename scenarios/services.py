"""Writes for simulated calls: start a run, take a turn, finish and grade it; each in one
transaction, each checked on the server whatever the browser sent."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from scenarios import grading
from scenarios.chat import MAX_REPLY
from scenarios.graph import render
from scenarios.models import Run, Scenario, ScenarioVersion, Turn
from scenarios.selectors import graph_of
from training.events import announce_graded
from training.models import Judgement
from training.services import judgements_record


class ChoiceNotOnOffer(Exception):
    """The post names a step, choice or turn that is not the run's to take now."""


class RunClosed(Exception):
    """The run is finished; nothing more can be played on it."""


@dataclass(frozen=True)
class ChoiceOutcome:
    run: Run
    turn: Turn | None
    duplicate: bool  # True: this exact turn was already recorded; nothing was written


def run_start(
    *,
    user: AbstractBaseUser,
    scenario: Scenario,
    preview: bool = False,
    seed: int | None = None,
    facts: Mapping[str, object] | None = None,
) -> Run:
    """Start a call, or resume the one the user already has open on this scenario.

    The run draws its facts from a stored seed and keeps the scenario version it started
    on, so later edits to the call never change it. A trainer's preview may instead play the
    ``facts`` of a case they chose (any preview they had open on the call is dropped: previews
    count for nothing).
    """
    with transaction.atomic():
        if facts is not None:
            if not preview:
                raise ValueError("only a preview plays chosen facts")
            Run.objects.in_progress().filter(user=user, scenario=scenario, is_preview=True).delete()
        open_run = _open_run(user, scenario, preview)
        if open_run is not None:
            return open_run
        version = ScenarioVersion.objects.get(scenario=scenario, number=scenario.version)
        story = graph_of(version)
        seed = secrets.randbits(48) if seed is None else seed
        try:
            with transaction.atomic():
                return Run.objects.create(
                    user=user,
                    scenario=scenario,
                    version=version,
                    is_preview=preview,
                    seed=seed,
                    facts=dict(facts) if facts is not None else story.draw(seed),
                    current_step=story.start.id,
                )
        except IntegrityError:
            # Another request started it a moment ago: resume that one.
            found = _open_run(user, scenario, preview)
            if found is None:
                raise
            return found


def _open_run(user: AbstractBaseUser, scenario: Scenario, preview: bool) -> Run | None:
    return (
        Run.objects.in_progress()
        .select_related("version")
        .filter(user=user, scenario=scenario, is_preview=preview)
        .first()
    )


def run_choose(*, run: Run, turn: int, option: int) -> ChoiceOutcome:
    """Record, as turn number ``turn`` of ``run``, the choice shown at place ``option`` (from 1)
    of the run's current step.

    The browser names a place in the order it was shown, never a choice's id, so nothing of
    the rubric reaches it. ``turn`` must be the next turn. Posting a turn already recorded
    with the same place (a double click, a back-button replay) changes nothing. Anything else
    raises ChoiceNotOnOffer, with nothing written.
    """
    with transaction.atomic():
        locked, replayed = _claim_turn(run, turn, lambda recorded: recorded.position == option)
        if replayed is not None:
            return replayed
        story = graph_of(run.version)
        step = story.step(locked.current_step)
        if step is None or step.is_end:
            raise ChoiceNotOnOffer("the call is not waiting for a choice")
        shown = step.shown(locked.facts, locked.seed)
        if not 1 <= option <= len(shown):
            raise ChoiceNotOnOffer("that choice is not on offer")
        choice = shown[option - 1]
        target = choice.leads_to(locked.facts)
        if target is None or story.step(target) is None:
            # The authoring checks rule this out for loaded content; refuse rather than
            # strand the run on a missing step.
            raise ChoiceNotOnOffer("that choice leads nowhere")
        recorded = Turn.objects.create(
            run=locked,
            index=turn,
            step_id=step.id,
            offered=[c.id for c in shown],
            position=option,
            choice_id=choice.id,
            said=render(choice.say, locked.facts),
            behaviors=list(choice.performs(locked.facts)),
            next_step=target,
        )
        _advance(locked, run, story, target, turn)
        return ChoiceOutcome(run=locked, turn=recorded, duplicate=False)


def _claim_turn(run: Run, turn: int, same) -> tuple[Run, ChoiceOutcome | None]:
    """Lock the run for turn number ``turn``: the run, and the outcome to answer with when this
    turn was already recorded the same way (``same(recorded)``: a double post changes
    nothing). Raises ChoiceNotOnOffer for a turn taken otherwise or out of order, RunClosed
    when the call has ended."""
    locked = Run.objects.select_for_update().get(pk=run.pk)
    if turn <= locked.turn_count:
        recorded = Turn.objects.filter(run=locked, index=turn).first()
        if recorded and same(recorded):
            return locked, ChoiceOutcome(run=locked, turn=recorded, duplicate=True)
        raise ChoiceNotOnOffer("that turn was already taken otherwise")
    if locked.is_finished:
        raise RunClosed
    if turn != locked.turn_count + 1:
        raise ChoiceNotOnOffer("turns must be taken in order")
    return locked, None


def _advance(locked: Run, run: Run, story, target: str, turn: int) -> None:
    """Move the locked run to ``target`` after turn ``turn``; grade it if the call ended."""
    locked.current_step = target
    locked.turn_count = turn
    locked.version = run.version
    if story.step(target).is_end:
        _grade(locked, Run.Status.COMPLETED)
    else:
        locked.save(update_fields=["current_step", "turn_count"])


def run_reply(*, run: Run, turn: int, text: str) -> ChoiceOutcome:
    """Record, as turn number ``turn`` of ``run``, a reply the agent typed at the run's current
    (typed) step, graded at once on the step's concepts; the evidence is stored with the turn.

    The same text posted again for a turn already recorded (a double click, a resent form)
    changes nothing; anything else raises ChoiceNotOnOffer (or ReplyRefused for text that
    cannot be a reply), with nothing written.
    """
    text = clean_reply(text)
    with transaction.atomic():
        locked, replayed = _claim_turn(
            run, turn, lambda recorded: recorded.choice_id == Turn.TYPED and recorded.said == text
        )
        if replayed is not None:
            return replayed
        story = graph_of(run.version)
        step = story.step(locked.current_step)
        if step is None or step.typed is None:
            raise ChoiceNotOnOffer("the call is not waiting for a typed reply")
        target = step.typed.leads_to(locked.facts)
        if target is None or story.step(target) is None:
            raise ChoiceNotOnOffer("the reply leads nowhere")
        result = step.typed.grade(text, locked.facts)
        recorded = Turn.objects.create(
            run=locked,
            index=turn,
            step_id=step.id,
            offered=[],
            position=0,
            choice_id=Turn.TYPED,
            said=text,
            behaviors=list(result.performed),
            evidence=result.to_dict(),
            next_step=target,
        )
        _advance(locked, run, story, target, turn)
        return ChoiceOutcome(run=locked, turn=recorded, duplicate=False)


class ReplyRefused(ValueError):
    """The text posted cannot be a reply: empty, too long, or with control characters."""


def clean_reply(text: str | None) -> str:
    """A typed reply as it is graded and stored: trimmed, with its line breaks and inner spaces
    kept; refused when empty, longer than ``MAX_REPLY`` or carrying control characters."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ReplyRefused("empty")
    if len(text) > MAX_REPLY:
        raise ReplyRefused("too long")
    if any((ord(c) < 32 or 127 <= ord(c) < 160) and c not in "\n\t" for c in text):
        raise ReplyRefused("control characters")
    return text


def run_finish(*, run: Run) -> Run:
    """Hang up: end the call where it stands and grade what was done so far."""
    with transaction.atomic():
        locked = Run.objects.select_for_update().get(pk=run.pk)
        if locked.is_finished:
            return locked
        locked.version = run.version
        _grade(locked, Run.Status.HUNG_UP)
        return locked


def in_own_words(judged: dict, typed: set[int]) -> dict:
    """Behaviours kept only in replies the agent typed are marked so: the memory model reads
    producing a rule in one's own words as an easier recall than picking it from a menu."""
    if not typed:
        return judged
    return {
        code: replace(found, own_words=True)
        if found.kept and found.places and set(found.places) <= typed
        else found
        for code, found in judged.items()
    }


def _grade(run: Run, status: str) -> None:
    """Grade the run's transcript, store the result, and, for counted runs, the outcome of
    each behaviour the rubric judged."""
    story = graph_of(run.version)
    recorded = list(Turn.objects.filter(run=run).values_list("index", "behaviors", "choice_id"))
    turns = [
        grading.TurnRecord(index=index, behaviors=tuple(codes)) for index, codes, _ in recorded
    ]
    typed = {index for index, _codes, choice in recorded if choice == Turn.TYPED}
    result = grading.grade(turns, run.facts, story.rubric, completed=status == Run.Status.COMPLETED)
    now = timezone.now()
    run.status = status
    run.finished_at = now
    run.score = result.total
    run.compliance_score = result.compliance
    run.critical_errors = len(result.critical_errors)
    run.passed = result.passed
    run.result = result.to_dict()
    run.save(
        update_fields=[
            "current_step",
            "turn_count",
            "status",
            "finished_at",
            "score",
            "compliance_score",
            "critical_errors",
            "passed",
            "result",
        ]
    )
    if run.is_preview:
        return
    judgements_record(
        trainee_id=run.user_id,
        module_id=run.scenario.module_id,
        source=Judgement.Source.CALL,
        record=run.pk,
        content_version=run.version.number,
        seed=run.seed,
        judged=in_own_words(grading.behavior_judgements(result), typed),
        at=now,
    )
    # Certification and reporting hear of it once this transaction commits.
    announce_graded(
        trainee_id=run.user_id,
        module_id=run.scenario.module_id,
        source=Judgement.Source.CALL,
        record=run.pk,
        at=now,
        passed=result.passed,
    )
