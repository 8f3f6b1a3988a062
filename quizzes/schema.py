"""The shape of quiz content (questions of each kind, facts, quiz settings), as pydantic models.

The pack validates files with these, and the stored ``Question.spec`` is the
part of a ``QuestionEntry`` that is not a column, so the admin can check an
edited spec with the same rules.
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from training.pack.curriculum import Code, Slug

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _identifier(value: str) -> str:
    if not _IDENTIFIER.fullmatch(value):
        raise ValueError(f"{value!r} is not a fact name: use lowercase letters, digits and _")
    return value


Text = Annotated[str, StringConstraints(strict=True), AfterValidator(_not_blank)]
ShortText = Annotated[
    str, StringConstraints(strict=True, max_length=500), AfterValidator(_not_blank)
]
FactName = Annotated[
    str, StringConstraints(strict=True, max_length=60), AfterValidator(_identifier)
]
NonNegative = Annotated[int, Field(strict=True, ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FactEntry(_Strict):
    name: FactName
    kind: Literal["int", "choice", "bool", "name"]
    label: ShortText
    min: int = 0
    max: int = 0
    choices: list[str | int] = []

    @model_validator(mode="after")
    def _check_range(self):
        if self.kind == "int" and self.min > self.max:
            raise ValueError("min must not be greater than max")
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError("a choice fact needs at least two choices")
        if self.kind in {"bool", "name"} and (self.min or self.max):
            raise ValueError(f"a {self.kind} fact takes no min or max")
        if self.kind in {"int", "bool"} and self.choices:
            raise ValueError(f"an {self.kind} fact takes no choices")
        return self


class OptionEntry(_Strict):
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


class PairEntry(_Strict):
    left: ShortText
    right: ShortText


class _QuestionBase(_Strict):
    key: Slug
    procedure: Slug
    stem: Text
    facts: list[FactEntry] = []
    behaviors: list[Code] = []
    explanation: Text
    manual: Text


def _distinct(texts: list[str], what: str) -> None:
    """Two identical texts on one question cannot be told apart by the trainee."""
    seen = set()
    for text in texts:
        if text.strip().casefold() in seen:
            raise ValueError(f"{what} {text!r} appears twice")
        seen.add(text.strip().casefold())


class SingleQuestion(_QuestionBase):
    kind: Literal["single"]
    options: Annotated[list[OptionEntry], Field(min_length=2, max_length=8)]

    @model_validator(mode="after")
    def _distinct_options(self):
        _distinct([o.text for o in self.options], "option")
        return self


class MultipleQuestion(_QuestionBase):
    kind: Literal["multiple"]
    options: Annotated[list[OptionEntry], Field(min_length=2, max_length=10)]

    @model_validator(mode="after")
    def _distinct_options(self):
        _distinct([o.text for o in self.options], "option")
        return self


class TrueFalseQuestion(_QuestionBase):
    kind: Literal["true_false"]
    answer: bool | None = None
    answer_when: str = ""

    @model_validator(mode="after")
    def _one_rule(self):
        if (self.answer is None) == (not self.answer_when):
            raise ValueError("give exactly one of answer or answer_when")
        return self


class OrderingQuestion(_QuestionBase):
    kind: Literal["ordering"]
    steps: Annotated[list[ShortText], Field(min_length=3, max_length=10)]

    @model_validator(mode="after")
    def _distinct_steps(self):
        _distinct(self.steps, "step")
        return self


class MatchingQuestion(_QuestionBase):
    kind: Literal["matching"]
    pairs: Annotated[list[PairEntry], Field(min_length=2, max_length=10)]
    distractors: list[ShortText] = []

    @model_validator(mode="after")
    def _distinct_sides(self):
        _distinct([p.left for p in self.pairs], "left item")
        # A right-hand text used twice would make two answers look the same but score apart.
        _distinct([p.right for p in self.pairs] + self.distractors, "right item")
        return self


class NumericQuestion(_QuestionBase):
    kind: Literal["numeric"]
    answer: int | float
    tolerance: int | float = 0
    unit: ShortText

    @model_validator(mode="after")
    def _non_negative(self):
        if self.tolerance < 0:
            raise ValueError("tolerance must not be negative")
        return self


QuestionEntry = Annotated[
    SingleQuestion
    | MultipleQuestion
    | TrueFalseQuestion
    | OrderingQuestion
    | MatchingQuestion
    | NumericQuestion,
    Field(discriminator="kind"),
]


class SlotEntry(_Strict):
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


class QuizEntry(_Strict):
    slug: Slug
    title: Annotated[
        str, StringConstraints(strict=True, max_length=200), AfterValidator(_not_blank)
    ]
    description: str = ""
    time_limit_minutes: Annotated[int, Field(strict=True, ge=1)] | None = None
    max_attempts: Annotated[int, Field(strict=True, ge=1)] | None = None
    wait_minutes: NonNegative = 0
    pass_mark: Annotated[int, Field(strict=True, ge=0, le=100)] = 70
    shuffle_questions: bool = True
    shuffle_options: bool = True
    review: Literal["immediately", "after_close"] = "immediately"
    slots: Annotated[list[SlotEntry], Field(min_length=1)]


class QuizFile(_Strict):
    module: Slug
    quiz: QuizEntry
    questions: list[QuestionEntry]


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
