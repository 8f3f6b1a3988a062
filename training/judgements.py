"""The results ledger's vocabulary (pure Python, no Django): how one behaviour fared in one
graded attempt or run, and where, so a report can open the exact question or turn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Judged:
    """One behaviour in one graded attempt or run: kept or not, and the places (question
    numbers or call turns, from 1) and the items (question keys or rubric item ids) that
    decided it: where it went wrong when it was not kept, else where it was kept."""

    kept: bool
    places: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    own_words: bool = False  # kept in a reply the agent typed (not picked from a menu)
    late: bool = False  # not kept only because it came after what it had to precede

    def merge(self, other: Judged) -> Judged:
        """Kept only if kept everywhere; a miss is located where it went wrong."""
        if self.kept != other.kept:
            return self if not self.kept else other
        return Judged(
            kept=self.kept,
            places=tuple(sorted(set(self.places) | set(other.places))),
            items=tuple(dict.fromkeys((*self.items, *other.items))),
        )


def merged(judgements: Iterable[tuple[str, Judged]]) -> dict[str, Judged]:
    """Per behaviour code, the judgements merged."""
    found: dict[str, Judged] = {}
    for code, judged in judgements:
        found[code] = found[code].merge(judged) if code in found else judged
    return found


def kept(judgements: Mapping[str, Judged]) -> dict[str, bool]:
    return {code: j.kept for code, j in judgements.items()}
