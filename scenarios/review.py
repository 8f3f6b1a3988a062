"""What the call screen and the review page show, assembled from a run, its frozen scenario
version and its turns (reads only; the pages' templates stay free of logic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from scenarios import selectors
from scenarios.chat import MAX_REPLY
from scenarios.grading import GradeResult, ItemKind, Verdict, turn_marks
from scenarios.graph import NAME_FACT, Scenario, render
from scenarios.models import Run, Turn
from training.models import Behavior

SECTION_LABELS = {
    "compliance": _("Compliance"),
    "resolution": _("Resolution"),
    "rapport": _("Rapport"),
}
VERDICT_LABELS = {
    Verdict.MET: _("Met"),
    Verdict.MISSED: _("Missed"),
    Verdict.VIOLATED: _("Violated"),
    Verdict.NOT_APPLICABLE: _("Not applicable"),
}
KIND_LABELS = {
    ItemKind.REQUIRED: _("Required"),
    ItemKind.MANDATORY: _("Mandatory"),
    ItemKind.FORBIDDEN: _("Forbidden"),
    ItemKind.CRITICAL: _("Critical"),
    ItemKind.ORDER: _("Order"),
    ItemKind.BONUS: _("Bonus"),
}


@dataclass
class Line:
    """One bubble of the transcript."""

    who: str  # "customer" or "agent"
    text: str
    at: str = ""  # minutes:seconds into the call
    turn: int | None = None
    met: list = field(default_factory=list)  # review only: the items this turn earned
    violated: list = field(default_factory=list)  # and those it broke
    # Review only, for a typed reply: the text in pieces, each (text, finding or None), and
    # per concept of the step what the grader found.
    segments: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@dataclass
class Finding:
    """What the grader made of one concept in a typed reply."""

    label: str
    forbidden: bool
    matched: bool
    denied: bool  # said under a negation, so it did not count
    quote: str
    number: int = 0  # the highlight's number in the reply, when it matched

    @property
    def good(self) -> bool:
        return self.matched != self.forbidden


def _evidence(turn: Turn, story: Scenario) -> tuple[list, list]:
    """A typed turn's reply in highlighted pieces, from the evidence stored at grading time:
    the review shows what was graded, never a regrade."""
    step = story.step(turn.step_id)
    concepts = step.typed.concepts if step and step.typed else ()
    return evidence_pieces(turn.said, turn.evidence or {}, concepts)


def evidence_pieces(text: str, evidence: dict, concepts) -> tuple[list, list]:
    """A reply in pieces, each (text, Finding or None), and the finding of each concept."""
    by_id = {c.id: c for c in concepts}
    findings, spans = [], []
    for found in evidence.get("found", []):
        concept = by_id.get(found["concept"])
        if concept is None:
            continue
        matched = found["matched"]
        start, end = found.get("start"), found.get("end")
        finding = Finding(
            label=concept.label,
            forbidden=concept.kind == "forbidden",
            matched=matched,
            denied=found.get("denied", False),
            quote=text[start:end] if matched and start is not None else "",
        )
        findings.append(finding)
        if matched and start is not None:
            spans.append((start, end, finding))
    segments, at = [], 0
    for number, (start, end, finding) in enumerate(sorted(spans, key=lambda s: s[:2]), start=1):
        finding.number = number
        if start < at:
            continue  # overlaps a span already shown; its finding still lists it
        segments.append((text[at:start], None))
        segments.append((text[start:end], finding))
        at = end
    segments.append((text[at:], None))
    return [s for s in segments if s[0]], findings


def _clock(start: datetime, moment: datetime) -> str:
    seconds = max(0, int((moment - start).total_seconds()))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _transcript(run: Run, story: Scenario, turns: list[Turn]) -> list[Line]:
    lines = [Line("customer", render(story.start.customer, run.facts), at="00:00")]
    for turn in turns:
        at = _clock(run.started_at, turn.created_at)
        lines.append(Line("agent", turn.said, at=at, turn=turn.index))
        step = story.step(turn.step_id)
        choice = step.choice(turn.choice_id) if step else None
        if choice is not None and choice.reply:
            # The customer reacts to what the agent just said before the call moves on.
            lines.append(Line("customer", render(choice.reply, run.facts), at=at))
        following = story.step(turn.next_step)
        if following is not None:
            lines.append(Line("customer", render(following.customer, run.facts), at=at))
    return lines


def _persona(run: Run, story: Scenario) -> dict[str, object]:
    return {
        "name": run.facts.get(NAME_FACT, ""),
        "mood": story.persona.mood,
        "segment": story.persona.segment,
        "description": story.persona.description,
    }


def call_state(run: Run, *, swapped: bool = False) -> dict[str, object]:
    """The call screen: the transcript so far, the choices on offer, the CRM panel."""
    story = selectors.graph_of(run.version)
    turns = selectors.turns_of(run)
    step = story.step(run.current_step)
    # Places, not ids: the page never learns which choice is which.
    choices = [
        (place, render(c.say, run.facts))
        for place, c in enumerate(step.shown(run.facts, run.seed), start=1)
    ]
    transcript = _transcript(run, story, turns)
    return {
        "run": run,
        "scenario": run.scenario,
        "persona": _persona(run, story),
        "transcript": transcript,
        "latest": transcript[-1],
        "step": step,
        "choices": choices,
        "typed": step.typed is not None,
        "max_reply": MAX_REPLY,
        "screen": story.screen_at(step, run.facts),
        "next_turn": run.turn_count + 1,
        "swapped": swapped,
    }


@dataclass
class ItemRow:
    id: str
    kind: str
    kind_label: str
    section_label: str
    verdict: str
    verdict_label: str
    weight: int
    turns: tuple[int, ...]
    behavior: Behavior | None
    code: str
    label: str
    before_label: str
    expert: str
    critical: bool  # going wrong on it fails the call
    prohibition: bool  # it judges a violation


def review_of(run: Run) -> dict[str, object]:
    story = selectors.graph_of(run.version)
    turns = selectors.turns_of(run)
    result = GradeResult.from_dict(run.result)
    codes = {i.behavior for i in result.items} | {i.before for i in result.items if i.before}
    behaviors = selectors.behaviors_by_code(codes)

    rows = []
    for item in result.items:
        authored = story.rubric.item(item.id)
        rows.append(
            ItemRow(
                id=item.id,
                kind=item.kind,
                kind_label=KIND_LABELS.get(item.kind, item.kind),
                section_label=SECTION_LABELS.get(item.section, item.section),
                verdict=str(item.verdict),
                verdict_label=VERDICT_LABELS[item.verdict],
                weight=item.weight,
                turns=item.turns,
                behavior=behaviors.get(item.behavior),
                code=item.behavior,
                label=_label(behaviors, item.behavior),
                before_label=_label(behaviors, item.before) if item.before else "",
                expert=_expert_words(story, run, authored),
                critical=item.kind.fails_call,
                prohibition=item.kind.is_prohibition,
            )
        )
    by_id = {row.id: row for row in rows}
    transcript = _transcript(run, story, turns)
    marks = turn_marks(result)
    typed = {t.index: t for t in turns if t.choice_id == Turn.TYPED}
    for line in transcript:
        if line.turn in marks:
            line.met = [by_id[i] for i in marks[line.turn]["met"]]
            line.violated = [by_id[i] for i in marks[line.turn]["violated"]]
        if line.turn in typed and line.who == "agent":
            line.segments, line.findings = _evidence(typed[line.turn], story)

    end = story.step(run.current_step)
    sections = [(SECTION_LABELS.get(name, name), score) for name, score in result.sections.items()]
    facts = [
        (spec.label or spec.name, _fact_value(run.facts.get(spec.name)))
        for spec in story.fact_specs
        if spec.name != NAME_FACT
    ]
    return {
        "run": run,
        "scenario": run.scenario,
        "persona": _persona(run, story),
        "result": result,
        "sections": sections,
        "rows": rows,
        "transcript": transcript,
        "critical_rows": [by_id[i] for i in result.critical_errors],
        "outcome": render(end.outcome, run.facts) if end and end.is_end else "",
        "facts": facts,
    }


def _label(behaviors: dict[str, Behavior], code: str) -> str:
    found = behaviors.get(code)
    return found.label if found else code


def _fact_value(value: object) -> object:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _expert_words(story: Scenario, run: Run, item) -> str:
    """What an expert would have said: the author's words, else the first choice of the call
    (on offer under this run's facts) that performs the behaviour."""
    if item is None:
        return ""
    if item.expert:
        return render(item.expert, run.facts)
    if item.kind.is_prohibition:
        return ""
    for step in story.steps:
        for choice in step.on_offer(run.facts):
            if getattr(choice, "expect_accepted", True) is False:
                continue  # a sample reply written to be rejected is no model
            if item.behavior in choice.performs(run.facts):
                return render(choice.say, run.facts)
    return ""
