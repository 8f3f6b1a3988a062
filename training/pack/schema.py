"""The pieces every section of the pack is written with: strict models, slugs, codes, texts,
fact names and the facts that questions and calls draw. One definition each, so the
curriculum, the quizzes and the calls refuse the same input with the same message."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z0-9]+(?:_[A-Z0-9]+)*(?:\.[A-Z0-9]+(?:_[A-Z0-9]+)*)*")
_FACT_NAME = re.compile(r"[a-z_][a-z0-9_]*")

# Bounds on what a fact may draw: enough for any real case, small enough that a typo cannot
# make the checks enumerate millions of combinations.
FACT_LIMIT = 1_000_000
MAX_CHOICES = 50


class Strict(BaseModel):
    """Unknown keys are errors, and a number or a list where text is expected is not
    converted silently."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid slug: use lowercase letters a-z, digits and hyphens"
        )
    return value


def _code(value: str) -> str:
    if not _CODE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid code: use UPPER_CASE words joined by dots, "
            "e.g. PROMESSA.VERIFICAR_APTIDAO"
        )
    return value


def _fact_name(value: str) -> str:
    if not _FACT_NAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a fact name: use lowercase letters, digits and _")
    return value


def text(max_length: int | None = None):
    """Non-empty text, at most ``max_length`` characters when given."""
    return Annotated[
        str, StringConstraints(strict=True, max_length=max_length), AfterValidator(_not_blank)
    ]


Text = text()
ShortText = text(500)
Title = text(200)
Slug = Annotated[str, StringConstraints(strict=True, max_length=80), AfterValidator(_slug)]
Code = Annotated[str, StringConstraints(strict=True, max_length=80), AfterValidator(_code)]
FactName = Annotated[str, StringConstraints(strict=True, max_length=60), AfterValidator(_fact_name)]
Bounded = Annotated[int, Field(strict=True, ge=-FACT_LIMIT, le=FACT_LIMIT)]
FactValue = Annotated[str, StringConstraints(strict=True, max_length=200)] | Bounded


class FactEntry(Strict):
    """A fact drawn anew for every attempt or run: a whole number between ``min`` and
    ``max``, one of ``choices``, yes or no, or a customer's name (from ``choices`` or a list
    of Brazilian names)."""

    name: FactName
    kind: Literal["int", "choice", "bool", "name"]
    label: ShortText
    min: Bounded | None = None
    max: Bounded | None = None
    choices: Annotated[list[FactValue], Field(max_length=MAX_CHOICES)] | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.kind == "int" and (self.min is None or self.max is None):
            raise ValueError("an int fact needs min and max")
        if self.kind == "int" and self.min > self.max:
            raise ValueError("min must not be above max")
        if self.kind != "int" and (self.min is not None or self.max is not None):
            raise ValueError("only int facts have min and max")
        if self.kind == "choice" and len(self.choices or ()) < 2:
            raise ValueError("a choice fact needs at least two choices")
        if self.kind in {"int", "bool"} and self.choices is not None:
            raise ValueError(f"an {self.kind} fact takes no choices")
        return self
