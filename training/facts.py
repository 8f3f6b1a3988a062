"""Facts about a simulated customer and contract: their declared ranges and how runs draw them.

Pure Python. A question or a call scenario declares the facts it varies; each
attempt or run draws its own values from a seeded generator, stores them, and
can reproduce them from the seed.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from training.conditions import literals

FactKind = Literal["int", "choice", "bool", "name"]

# Used when a scenario or question declares a name fact without its own pool.
DEFAULT_NAMES = (
    "Ana Souza",
    "Bruno Lima",
    "Carla Menezes",
    "Diego Carvalho",
    "Eduarda Rocha",
    "Felipe Araújo",
    "Gabriela Nunes",
    "Henrique Teixeira",
    "Isabela Castro",
    "João Pereira",
    "Larissa Gomes",
    "Marcos Ribeiro",
    "Natália Freitas",
    "Otávio Barros",
    "Patrícia Moreira",
    "Rafael Cardoso",
    "Sandra Oliveira",
    "Tiago Fernandes",
    "Vanessa Martins",
    "Wagner Santos",
)


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: FactKind
    label: str = ""
    minimum: int = 0
    maximum: int = 0
    choices: tuple[object, ...] = field(default_factory=tuple)

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> FactSpec:
        """A fact as content declares it (``name``, ``kind``, ``label``, ``min``, ``max``,
        ``choices``), the form quiz questions and call scenarios share."""
        return cls(
            name=data["name"],
            kind=data["kind"],
            label=data.get("label") or "",
            minimum=data.get("min") or 0,
            maximum=data.get("max") or 0,
            choices=tuple(data.get("choices") or ()),
        )

    def values(self) -> tuple[object, ...]:
        """Every value this fact can take (for ``int``, the whole closed range)."""
        if self.kind == "bool":
            return (False, True)
        if self.kind == "int":
            return tuple(range(self.minimum, self.maximum + 1))
        if self.kind == "name":
            return self.choices or DEFAULT_NAMES
        return self.choices

    def draw(self, rng: random.Random) -> object:
        if self.kind == "int":
            return rng.randint(self.minimum, self.maximum)
        return rng.choice(self.values())


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(text: str, values: Mapping[str, object], show=str) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced by ``show(value)``. Nothing else is
    interpreted (no attribute or index lookups, no format specs); an unknown name stays as
    written, for the checks to report."""

    def value_of(match: re.Match) -> str:
        name = match.group(1)
        return show(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(value_of, text)


def placeholder_names(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text or "")


def draw_facts(specs: Sequence[FactSpec], seed: int) -> dict[str, object]:
    """Draw one value per fact; the same seed always gives the same facts."""
    rng = random.Random(seed)
    return {spec.name: spec.draw(rng) for spec in specs}


def boundary_values(spec: FactSpec, conditions: Iterable[str]) -> tuple[object, ...]:
    """The values of a fact that can change any of ``conditions``' outcomes.

    For integers these are the range's ends plus each compared literal and its
    neighbours (kept inside the range); other kinds are small and taken whole,
    except names, which conditions do not distinguish, so one stands for all.
    """
    if spec.kind == "name":
        return spec.values()[:1]
    if spec.kind != "int":
        return spec.values()
    points = {spec.minimum, spec.maximum}
    for source in conditions:
        for value in literals(source).get(spec.name, ()):
            if isinstance(value, int) and not isinstance(value, bool):
                points.update({value - 1, value, value + 1})
    return tuple(sorted(p for p in points if spec.minimum <= p <= spec.maximum))


# The most combinations of boundary values the checks will walk for one question or call.
MAX_COMBINATIONS = 20_000


class TooManyCombinations(ValueError):
    """The facts of one question or call combine into more cases than the checks walk."""

    def __init__(self, count: int):
        super().__init__(
            f"the facts combine into {count} cases, more than the {MAX_COMBINATIONS} the checks "
            "walk: draw fewer facts or fewer values"
        )


def fact_combinations(
    specs: Sequence[FactSpec], conditions: Iterable[str]
) -> Iterator[Mapping[str, object]]:
    """Every combination of the facts' boundary values: enough to cover every branch. Raises
    TooManyCombinations, before walking any, when there are too many."""
    conditions = list(conditions)
    axes = [boundary_values(spec, conditions) for spec in specs]
    count = 1
    for axis in axes:
        count *= max(len(axis), 1)
    if count > MAX_COMBINATIONS:
        raise TooManyCombinations(count)
    for combo in itertools.product(*axes):
        yield dict(zip((s.name for s in specs), combo, strict=True))
