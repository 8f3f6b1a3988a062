"""The shape of quiz content shared by every kind (a question's common keys, options, pairs,
facts) and of a quiz's settings, as pydantic models. Each kind's own keys are in its class
(``quizzes.kinds``); ``quizzes.pack`` puts them together into the file's schema.

The stored ``Question.spec`` is the part of a question that is not a column, so the admin
checks an edited spec with the same rules as the pack.
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from training.pack.schema import Code, FactEntry, ShortText, Slug, Strict, Text, Title

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


class OptionEntry(Strict):
    text: ShortText
    correct: bool = False
    correct_when: str = ""
    behaviors: list[Code] = []  # what picking it demonstrates, when it is right
    breaks: list[Code] = []  # what picking it breaks, when it is wrong

    @model_validator(mode="after")
    def _one_rule(self):
        if self.correct and self.correct_when:
            raise ValueError("give either correct or correct_when, not both")
        if self.correct and self.breaks:
            raise ValueError("an option that is always right breaks nothing: drop breaks")
        if not self.correct and not self.correct_when and self.behaviors:
            raise ValueError(
                "an option that is never right demonstrates nothing: say what picking it "
                "breaks in breaks"
            )
        if not self.correct and not self.breaks:
            raise ValueError(
                "say what picking this option breaks (breaks: a violation, or the rule it "
                "gets wrong)"
            )
        return self


class PairEntry(Strict):
    left: ShortText
    right: ShortText


class QuestionBase(Strict):
    """What every question has; each kind (``quizzes.kinds``) adds its own keys."""

    key: Slug
    procedure: Slug
    stem: Text
    facts: list[FactEntry] = []
    behaviors: list[Code] = []
    explanation: Text
    manual: Text


def distinct(texts: list[str], what: str) -> None:
    """Two identical texts on one question cannot be told apart by the trainee."""
    seen = set()
    for text in texts:
        if text.strip().casefold() in seen:
            raise ValueError(f"{what} {text!r} appears twice")
        seen.add(text.strip().casefold())


class SlotEntry(Strict):
    question: Slug | None = None
    procedure: Slug | None = None
    draw: Annotated[int, Field(strict=True, ge=1)] = 1

    @model_validator(mode="after")
    def _one_source(self):
        if (self.question is None) == (self.procedure is None):
            raise ValueError("give exactly one of question or procedure")
        if self.question is not None and "draw" in self.model_fields_set:
            raise ValueError("draw applies only to a procedure")
        return self


# Upper bounds of a quiz's settings: a working day, a hundred attempts, a week's wait.
LIMITS = {"time_limit_minutes": 600, "max_attempts": 100, "wait_minutes": 7 * 24 * 60}


class QuizEntry(Strict):
    slug: Slug
    title: Title
    description: str = ""
    time_limit_minutes: (
        Annotated[int, Field(strict=True, ge=1, le=LIMITS["time_limit_minutes"])] | None
    ) = None
    max_attempts: Annotated[int, Field(strict=True, ge=1, le=LIMITS["max_attempts"])] | None = None
    wait_minutes: Annotated[int, Field(strict=True, ge=0, le=LIMITS["wait_minutes"])] = 0
    pass_mark: Annotated[int, Field(strict=True, ge=0, le=100)] = 70
    shuffle_questions: bool = True
    shuffle_options: bool = True
    review: Literal["immediately", "after_close"] = "immediately"
    slots: Annotated[list[SlotEntry], Field(min_length=1)]


# The columns of Question; everything else of an entry is kept in Question.spec.
COLUMNS = ("key", "procedure", "kind", "stem", "explanation", "manual")


def spec_of(entry: BaseModel) -> dict[str, object]:
    """The kind-specific part of a question entry, defaults left out (as authors write it)."""
    return entry.model_dump(exclude=set(COLUMNS), exclude_defaults=True)


def placeholders(stem: str) -> list[str]:
    """The ``{fact}`` names a stem shows; ValueError for anything but plain names."""
    names = []
    for _, field_name, format_spec, conversion in string.Formatter().parse(stem):
        if field_name is None:
            continue
        if not _IDENTIFIER.fullmatch(field_name) or format_spec or conversion:
            raise ValueError(f"{{{field_name}}} is not a fact placeholder: write {{fact_name}}")
        names.append(field_name)
    return names
