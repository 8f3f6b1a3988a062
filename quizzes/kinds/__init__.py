"""The registry of question kinds: one class per kind, each in its own module with its one
template. Everything that depends on a question's kind looks it up here."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from quizzes.kinds.base import QuestionKind
from quizzes.kinds.choice import Multiple, Single
from quizzes.kinds.matching import Matching
from quizzes.kinds.numeric import Numeric
from quizzes.kinds.ordering import Ordering
from quizzes.kinds.true_false import TrueFalse

KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Add a kind to the registry (the built-in ones below; a new kind registers itself)."""
    KINDS[kind.name] = kind
    return kind


for _kind in (Single(), Multiple(), TrueFalse(), Ordering(), Matching(), Numeric()):
    register(_kind)


def kind_of(name: str) -> QuestionKind:
    """The kind called ``name``; KeyError for one the registry does not know."""
    return KINDS[name]


def question_entry():
    """The pack schema of a question of any registered kind, told apart by ``kind``."""
    entries = tuple(kind.entry for kind in KINDS.values())
    return Annotated[Union[entries], Field(discriminator="kind")]  # noqa: UP007
