"""Coverage of the manual: for every behaviour of the curriculum, the questions and the calls
(with their fact cases) that exercise it, and whether that is enough for a certificate to
prove it (pure Python, no Django; the engines say what they exercise)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Every behaviour is exercised by at least this many calls and questions.
MIN_CALLS = 1
MIN_QUESTIONS = 2


@dataclass(frozen=True)
class BehaviorRef:
    module: str
    procedure: str
    code: str
    label: str
    kind: str


@dataclass(frozen=True)
class CallExercise:
    call: str
    judged: int  # fact cases in which the call can perform and judges the behaviour
    cases: int


@dataclass(frozen=True)
class BehaviorCoverage:
    behavior: BehaviorRef
    questions: tuple[str, ...]
    calls: tuple[CallExercise, ...]

    @property
    def ok(self) -> bool:
        return len(self.calls) >= MIN_CALLS and len(self.questions) >= MIN_QUESTIONS

    def gaps(self) -> list[str]:
        found = []
        if len(self.calls) < MIN_CALLS:
            found.append(f"no call judges it (needs {MIN_CALLS})")
        if len(self.questions) < MIN_QUESTIONS:
            found.append(f"{len(self.questions)} question(s) (needs {MIN_QUESTIONS})")
        return found


def coverage(
    behaviors: Iterable[BehaviorRef],
    question_tags: Mapping[str, Iterable[str]],
    call_exercises: Mapping[str, Mapping[str, tuple[int, int]]],
) -> list[BehaviorCoverage]:
    """``question_tags``: question key -> the codes it judges; ``call_exercises``: call slug ->
    code -> (fact cases judged, fact cases)."""
    questions: dict[str, list[str]] = {}
    for key, codes in question_tags.items():
        for code in set(codes):
            questions.setdefault(code, []).append(key)
    calls: dict[str, list[CallExercise]] = {}
    for slug, found in call_exercises.items():
        for code, (judged, cases) in found.items():
            calls.setdefault(code, []).append(CallExercise(slug, judged, cases))
    return [
        BehaviorCoverage(
            behavior=b,
            questions=tuple(sorted(questions.get(b.code, ()))),
            calls=tuple(sorted(calls.get(b.code, ()), key=lambda c: c.call)),
        )
        for b in behaviors
    ]
