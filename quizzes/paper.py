"""Serving a paper: from question content and a seed to the frozen JSON an attempt keeps.

Pure Python. Each served question carries its key (computed for the drawn facts by its kind)
next to what the trainee sees; :func:`public_question` is the only view of a served question
that templates get before grading, and it keeps texts only.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from quizzes.kinds import kind_of
from training.facts import FactSpec, draw_facts, fill


@dataclass(frozen=True)
class QuestionContent:
    """A question as stored, with what the paper needs to cite its procedure."""

    id: int
    key: str
    version: int
    kind: str
    stem: str
    spec: Mapping[str, object]
    explanation: str
    manual_quote: str
    procedure_id: int
    procedure_slug: str
    procedure_title: str
    module_slug: str


@dataclass(frozen=True)
class Slot:
    """A place in a quiz's paper: one fixed question, or ``draw`` from a procedure's pool."""

    question_id: int | None = None
    procedure_id: int | None = None
    draw: int = 1


def draw_questions(
    slots: Sequence[Slot],
    questions: Mapping[int, QuestionContent],
    *,
    seen: Collection[int],
    rng: random.Random,
) -> list[QuestionContent]:
    """The questions of a new paper: each fixed one, then draws from each procedure's pool of
    ``questions`` (the active ones), those the trainee has not ``seen`` first, at random
    among equals."""
    chosen: list[QuestionContent] = []
    taken: set[int] = set()
    fixed = {s.question_id for s in slots if s.question_id is not None}
    for slot in slots:
        if slot.question_id is not None:
            if slot.question_id in questions and slot.question_id not in taken:
                chosen.append(questions[slot.question_id])
                taken.add(slot.question_id)
            continue
        candidates = [
            q
            for qid, q in sorted(questions.items())
            if q.procedure_id == slot.procedure_id and qid not in taken and qid not in fixed
        ]
        rng.shuffle(candidates)
        candidates.sort(key=lambda q: q.id in seen)  # stable: unseen first, shuffled within
        for question in candidates[: slot.draw]:
            chosen.append(question)
            taken.add(question.id)
    return chosen


def fact_specs(spec: Mapping[str, object]) -> list[FactSpec]:
    return [FactSpec.from_data(f) for f in spec.get("facts", ())]


def serve_question(
    content: QuestionContent,
    *,
    position: int,
    seed: int,
    shuffle_options: bool,
    facts: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """One served question: facts drawn (or the ``facts`` given, as a preview chooses them),
    stem filled in, options shuffled, key computed."""
    spec = content.spec
    specs = fact_specs(spec)
    facts = dict(facts) if facts is not None else draw_facts(specs, seed)
    rng = random.Random(seed + 1)
    served: dict[str, object] = {
        "position": position,
        "question_id": content.id,
        "key": content.key,
        "version": content.version,
        "kind": content.kind,
        "stem": fill(content.stem, facts),
        "facts": [{"label": s.label, "kind": s.kind, "value": facts[s.name]} for s in specs],
        "fact_values": facts,
        "behaviors": list(spec.get("behaviors", ())),
        "explanation": content.explanation,
        "manual_quote": content.manual_quote,
        "procedure": {
            "id": content.procedure_id,
            "slug": content.procedure_slug,
            "title": content.procedure_title,
            "module_slug": content.module_slug,
        },
    }
    served.update(kind_of(content.kind).serve(spec, facts, rng, shuffle_options=shuffle_options))
    return served


def build_paper(
    contents: Sequence[QuestionContent],
    *,
    seed: int,
    shuffle_questions: bool,
    shuffle_options: bool,
    quiz: Mapping[str, object],
) -> dict[str, object]:
    """The whole frozen paper: questions in served order, each with its own facts."""
    rng = random.Random(seed)
    chosen = list(contents)
    if shuffle_questions:
        rng.shuffle(chosen)
    questions = [
        serve_question(
            content,
            position=position,
            seed=rng.getrandbits(48),
            shuffle_options=shuffle_options,
        )
        for position, content in enumerate(chosen)
    ]
    return {"quiz": dict(quiz), "questions": questions}


# What a trainee may see of any served question before grading; its kind adds its own texts,
# never keys.
_PUBLIC_KEYS = ("position", "kind", "stem", "facts")


def public_question(served: Mapping[str, object]) -> dict[str, object]:
    public = {key: served[key] for key in _PUBLIC_KEYS if key in served}
    public.update(kind_of(served["kind"]).public(served))
    public["procedure"] = {
        key: served["procedure"][key] for key in ("slug", "title", "module_slug")
    }
    return public
