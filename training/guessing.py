"""Guessers: candidates who never read the manual and pick what they see by its look (the first
line, the longest, the most polite, the one without an absolute word, or any at random). The
quiz and call engines run them over every paper and call; a pack where one of them passes is
giving its answers away (pure Python, no Django).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Words that make a claim absolute. Test-wise candidates learn that options carrying them are
# usually wrong; in a fair bank they are no more frequent in wrong options than in keys.
ABSOLUTE_WORDS = (
    "sempre",
    "nunca",
    "jamais",
    "apenas",
    "somente",
    "so",
    "qualquer",
    "quaisquer",
    "todo",
    "toda",
    "todos",
    "todas",
    "nenhum",
    "nenhuma",
    "exclusivamente",
    "obrigatoriamente",
    "necessariamente",
    "imediatamente",
    "garantido",
    "garantida",
)
# Courtesy a candidate may take for the right answer.
POLITE_MARKERS = (
    "por favor",
    "obrigad",
    "agradec",
    "desculp",
    "lament",
    "compreendo",
    "entendo",
    "claro",
    "com certeza",
    "fique tranquil",
    "a disposicao",
    "fico feliz",
    "com prazer",
    "perfeito",
    "otimo",
    "senhor",
    "senhora",
    "vou te ajudar",
    "vou ajudar",
    "pode contar",
)

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents, for matching words whatever their spelling."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def absolute_words(text: str) -> list[str]:
    words = set(ABSOLUTE_WORDS)
    return [w for w in _WORD.findall(fold(text)) if w in words]


def politeness(text: str) -> int:
    folded = fold(text)
    return sum(folded.count(marker) for marker in POLITE_MARKERS) + text.count("!")


Pick = Callable[[Sequence[str], random.Random], int]
Believe = Callable[[str, random.Random], bool]


def _agree(statement: str, rng: random.Random) -> bool:
    """A guesser asked "true or false?" says true: the usual bias of those who do not know."""
    return True


@dataclass(frozen=True)
class Guesser:
    """A way of picking one of several texts without knowing which is right."""

    name: str
    pick: Pick
    # Whether its picks depend on the order shown (then it is run under many orders).
    uses_order: bool = False
    uses_chance: bool = False
    believes: Believe = _agree  # its answer to a true-or-false statement

    def rank(self, texts: Sequence[str], rng: random.Random) -> list[int]:
        """Every index, best first by this guesser's taste."""
        left = list(range(len(texts)))
        ranked = []
        while left:
            chosen = left[self.pick([texts[i] for i in left], rng)]
            ranked.append(chosen)
            left.remove(chosen)
        return ranked


def _first(texts: Sequence[str], rng: random.Random) -> int:
    return 0


def _longest(texts: Sequence[str], rng: random.Random) -> int:
    return max(range(len(texts)), key=lambda i: (len(texts[i]), -i))


def _random(texts: Sequence[str], rng: random.Random) -> int:
    return rng.randrange(len(texts))


def _shortest(texts: Sequence[str], rng: random.Random) -> int:
    return min(range(len(texts)), key=lambda i: (len(texts[i]), i))


def _polite(texts: Sequence[str], rng: random.Random) -> int:
    return max(range(len(texts)), key=lambda i: (politeness(texts[i]), len(texts[i]), -i))


def _test_wise(texts: Sequence[str], rng: random.Random) -> int:
    """Never an absolute claim when a hedged one is on offer; then the longest."""
    return max(range(len(texts)), key=lambda i: (not absolute_words(texts[i]), len(texts[i]), -i))


FIRST = Guesser("first", _first, uses_order=True)
LONGEST = Guesser("longest", _longest)
SHORTEST = Guesser("shortest", _shortest)
RANDOM = Guesser(
    "random",
    _random,
    uses_order=True,
    uses_chance=True,
    believes=lambda statement, rng: rng.random() < 0.5,
)
POLITE = Guesser("polite", _polite)
TEST_WISE = Guesser(
    "test_wise", _test_wise, believes=lambda statement, rng: not absolute_words(statement)
)

GUESSERS = (FIRST, LONGEST, SHORTEST, RANDOM, POLITE, TEST_WISE)

# Short words that say nothing about a rule, left out when comparing a text with the manual.
_STOPWORDS = frozenset(
    [
        "a",
        "ao",
        "aos",
        "as",
        "com",
        "da",
        "das",
        "de",
        "do",
        "dos",
        "e",
        "em",
        "na",
        "nas",
        "no",
        "nos",
        "o",
        "os",
        "ou",
        "para",
        "pela",
        "pelo",
        "por",
        "que",
        "se",
        "um",
        "uma",
        "o",
        "a",
        "voce",
        "senhor",
        "senhora",
        "cliente",
    ]
)


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in _STOPWORDS}


def echo(manual: str) -> Guesser:
    """A guesser who picks the text that sounds most like the manual: the largest share of its
    words found in ``manual``. Right answers paraphrase the manual; a fair pack words its wrong
    ones in the manual's language too."""
    vocabulary = frozenset(words(manual))

    def pick(texts: Sequence[str], rng: random.Random) -> int:
        def share(i: int) -> float:
            found = words(texts[i])
            return len(found & vocabulary) / len(found) if found else 0.0

        return max(range(len(texts)), key=lambda i: (share(i), len(texts[i]), -i))

    return Guesser("echo", pick)


def guessers(manual: str = "") -> tuple[Guesser, ...]:
    """Every guesser; with the manual's words, also the one who echoes them."""
    return (*GUESSERS, echo(manual)) if manual else GUESSERS
