"""A call scenario's graph as plain data: steps, the choices on offer under a run's facts, where
each choice leads, and the customer's text with its facts filled in (pure Python, no Django).

A scenario's definition is the JSON stored on its version; ``Scenario.from_definition``
turns it into these frozen dataclasses once, and every run, check and grade reads them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from scenarios.chat import Concept, ReplyGrade, concepts_from, grade_reply
from scenarios.grading import ItemKind, Rubric, RubricItem, Section
from training.conditions import evaluate
from training.facts import FactSpec, draw_facts, fill, placeholder_names

# The customer's name is a fact every call has, drawn from the persona's name pool.
NAME_FACT = "customer_name"
FIRST_NAME = "customer_first_name"
SCREEN_FIELDS = ("contract_status", "open_invoices", "contract_start", "products", "notes")


@dataclass(frozen=True)
class Branch:
    step: str
    when: str | None = None


@dataclass(frozen=True)
class Performed:
    """A behaviour a choice performs; with ``when``, only in runs whose facts satisfy it (the
    same words can keep a rule for one customer and break it for another)."""

    code: str
    when: str | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    say: str
    performed: tuple[Performed, ...]
    branches: tuple[Branch, ...]
    when: str | None = None
    index: int = 0
    neutral: str = ""  # why a choice that performs nothing is fair to offer
    reply: str = ""  # the customer's reaction to these words, before the next step

    @property
    def behaviors(self) -> tuple[str, ...]:
        """Every code the choice can perform, whatever the facts."""
        return tuple(dict.fromkeys(p.code for p in self.performed))

    def performs(self, facts: Mapping[str, object]) -> tuple[str, ...]:
        """The codes the choice performs under these facts, in the order written."""
        return tuple(dict.fromkeys(p.code for p in self.performed if evaluate(p.when, facts)))

    def available(self, facts: Mapping[str, object]) -> bool:
        return evaluate(self.when, facts)

    def leads_to(self, facts: Mapping[str, object]) -> str | None:
        """The first branch whose condition holds; None when none does."""
        return first_branch(self.branches, facts)


def first_branch(branches: tuple[Branch, ...], facts: Mapping[str, object]) -> str | None:
    return next((b.step for b in branches if evaluate(b.when, facts)), None)


@dataclass(frozen=True)
class Typed:
    """A step the agent answers in their own words: the concepts the reply is graded on,
    where the call goes next, and the author's sample replies with what the grader must
    make of each."""

    concepts: tuple[Concept, ...]
    branches: tuple[Branch, ...]

    def grade(self, reply: str, facts: Mapping[str, object]) -> ReplyGrade:
        return grade_reply(reply, self.concepts, facts)

    def leads_to(self, facts: Mapping[str, object]) -> str | None:
        return first_branch(self.branches, facts)


@dataclass(frozen=True)
class SampleReply(Choice):
    """An author's sample reply to a typed step. The checks walk samples as they walk
    choices (a sample performs what the grader reads in it), so every typed step is proved
    like a menu: a right reply earns full marks, a wrong one costs; no trainee is shown
    them."""

    expect_accepted: bool = True
    concepts: tuple[Concept, ...] = ()

    def grade(self, facts: Mapping[str, object]) -> ReplyGrade:
        return grade_reply(render(self.say, facts), self.concepts, facts)

    def performs(self, facts: Mapping[str, object]) -> tuple[str, ...]:
        return self.grade(facts).performed


@dataclass(frozen=True)
class Step:
    id: str
    customer: str
    choices: tuple[Choice, ...] = ()
    screen: Mapping[str, object] = field(default_factory=dict)
    outcome: str | None = None
    index: int = 0
    typed: Typed | None = None  # answered in the agent's own words; ``choices`` are samples

    @property
    def is_end(self) -> bool:
        return self.outcome is not None

    def on_offer(self, facts: Mapping[str, object]) -> tuple[Choice, ...]:
        """The choices on offer under these facts, in the order the author wrote them (on a
        typed step, the sample replies that apply)."""
        return tuple(c for c in self.choices if c.available(facts))

    def shown(self, facts: Mapping[str, object], seed: int) -> tuple[Choice, ...]:
        """The choices on offer in the order a run with this seed shows them: shuffled per run
        and step, so neither the first nor any fixed place gives the answer away, and the
        same on every view, replay and review of the run. A typed step shows none."""
        if self.typed is not None:
            return ()
        offered = list(self.on_offer(facts))
        random.Random(f"{seed}:{self.id}").shuffle(offered)
        return tuple(offered)

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Persona:
    names: tuple[str, ...]
    mood: str
    segment: str
    description: str = ""


@dataclass(frozen=True)
class Scenario:
    persona: Persona
    facts: tuple[FactSpec, ...]
    steps: tuple[Step, ...]
    rubric: Rubric
    screen: Mapping[str, object] = field(default_factory=dict)
    _by_id: Mapping[str, Step] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_definition(cls, data: Mapping[str, object]) -> Scenario:
        persona_data = data.get("persona") or {}
        persona = Persona(
            names=tuple(persona_data.get("names") or ()),
            mood=persona_data.get("mood", ""),
            segment=persona_data.get("segment", ""),
            description=persona_data.get("description", ""),
        )
        facts = tuple(FactSpec.from_data(f) for f in data.get("facts") or ())
        steps = tuple(_step(s, i) for i, s in enumerate(data.get("steps") or ()))
        rubric_data = data.get("rubric") or {}
        rubric = Rubric(
            items=tuple(_item(it, i) for i, it in enumerate(rubric_data.get("items") or ())),
            pass_mark=rubric_data.get("pass_mark", 70),
        )
        by_id: dict[str, Step] = {}
        for step in steps:
            by_id.setdefault(step.id, step)
        return cls(
            persona=persona,
            facts=facts,
            steps=steps,
            rubric=rubric,
            screen=dict(data.get("screen") or {}),
            _by_id=by_id,
        )

    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step | None:
        return self._by_id.get(step_id)

    @property
    def fact_specs(self) -> tuple[FactSpec, ...]:
        """The declared facts plus the customer's name from the persona's pool."""
        name = FactSpec(NAME_FACT, "name", label="Nome do cliente", choices=self.persona.names)
        return (name, *self.facts)

    def fact_names(self) -> set[str]:
        return {spec.name for spec in self.fact_specs}

    def placeholder_names(self) -> set[str]:
        return self.fact_names() | {FIRST_NAME}

    def draw(self, seed: int) -> dict[str, object]:
        return draw_facts(self.fact_specs, seed)

    def screen_at(self, step: Step, facts: Mapping[str, object]) -> dict[str, object]:
        """The CRM panel at ``step``: the scenario's screen with the step's fields on top."""
        merged = {**self.screen, **step.screen}
        shown: dict[str, object] = {}
        for key in SCREEN_FIELDS:
            value = merged.get(key)
            if value in (None, "", []):
                continue
            if isinstance(value, list | tuple):
                shown[key] = [render(str(v), facts) for v in value]
            else:
                shown[key] = render(str(value), facts)
        return shown

    def conditions(self) -> list[str]:
        """Every condition the scenario uses, for enumerating the facts that matter."""
        found = []
        for step in self.steps:
            if step.typed is not None:
                found.extend(b.when for b in step.typed.branches if b.when)
                found.extend(c.when for c in step.typed.concepts if c.when)
            for choice in step.choices:
                found.extend(c for c in [choice.when] if c)
                found.extend(b.when for b in choice.branches if b.when)
                found.extend(p.when for p in choice.performed if p.when)
        found.extend(item.when for item in self.rubric.items if item.when)
        return found


def render(text: str, facts: Mapping[str, object]) -> str:
    """Fill ``{fact}`` placeholders (yes/no facts as "sim"/"não", and the customer's first
    name); an unknown name stays as written (the checks report it)."""
    values = dict(facts)
    name = values.get(NAME_FACT)
    if isinstance(name, str) and name:
        values.setdefault(FIRST_NAME, name.split()[0])
    return fill(text, values, show=_shown)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "sim" if value else "não"
    return str(value)


placeholders = placeholder_names


def _step(data: Mapping[str, object], index: int) -> Step:
    typed_data = data.get("typed")
    if typed_data:
        typed = Typed(
            concepts=concepts_from(typed_data.get("concepts") or ()),
            branches=_branches(typed_data.get("next")),
        )
        choices = tuple(
            _sample(sample, i, typed) for i, sample in enumerate(typed_data.get("samples") or ())
        )
    else:
        typed = None
        choices = tuple(_choice(c, i) for i, c in enumerate(data.get("choices") or ()))
    return Step(
        id=data["id"],
        customer=data.get("customer", ""),
        choices=choices,
        screen=dict(data.get("screen") or {}),
        outcome=data.get("outcome"),
        index=index,
        typed=typed,
    )


def _branches(target) -> tuple[Branch, ...]:
    if isinstance(target, str):
        return (Branch(step=target),)
    return tuple(Branch(step=b["step"], when=b.get("when")) for b in target or ())


def _sample(data: Mapping[str, object], index: int, typed: Typed) -> SampleReply:
    accepted = data.get("expect") == "accepted"
    return SampleReply(
        id=f"amostra-{index + 1}",
        say=data.get("reply", ""),
        performed=tuple(
            Performed(code) for concept in typed.concepts for code in concept.behaviors
        ),
        branches=typed.branches,
        when=data.get("when"),
        index=index,
        neutral="" if accepted else "amostra recusada",
        expect_accepted=accepted,
        concepts=typed.concepts,
    )


def _choice(data: Mapping[str, object], index: int) -> Choice:
    branches = _branches(data.get("next"))
    return Choice(
        id=data["id"],
        say=data.get("say", ""),
        performed=tuple(_performed(p) for p in data.get("behaviors") or ()),
        branches=branches,
        when=data.get("when"),
        index=index,
        neutral=data.get("neutral") or "",
        reply=data.get("reply") or "",
    )


def _performed(data: str | Mapping[str, object]) -> Performed:
    if isinstance(data, str):
        return Performed(code=data)
    return Performed(code=data["code"], when=data.get("when"))


def _item(data: Mapping[str, object], index: int) -> RubricItem:
    return RubricItem(
        id=data["id"],
        kind=ItemKind(data["kind"]),
        behavior=data["behavior"],
        section=Section(data["section"]),
        weight=data.get("weight", 1),
        before=data.get("before"),
        when=data.get("when"),
        expert=data.get("expert", ""),
        index=index,
    )
