"""Grading a typed chat reply, deterministically and offline (pure Python, no Django).

A typed step declares *concepts*: ideas the reply must carry (``required``) or must not
(``forbidden``), each as a list of phrasings and, for figures, a value with its unit. A reply
is read the same way on every machine:

- accents and case do not count; words are reduced to their Portuguese stems (Snowball);
- a word written with a typo still counts (one edit in a stem of four letters or more, two
  from eight), but figures and negations count only as written;
- figures read the same as digits or words ("duas horas", "2h", "02 horas" are all 2 hours),
  and amounts in Brazilian notation ("R$ 1.234,56");
- a phrasing's words must come in its order, in one sentence, with at most a few words
  between them (an aside in parentheses does not count); filler words (articles,
  prepositions) are left out on both sides, and chat abbreviations ("vc", "q", "pq", "hj",
  "próx.") read as the words they stand for;
- a match is denied when a negation ("não", "nem", "nunca", "sem"...) comes just before it
  in its clause, or between its words, and the phrasing does not carry one itself, so "não
  tem multa" never counts as "tem multa", and a phrasing "não tem multa" needs the negation.

The evidence of each concept is the span of the reply that matched it, for the review to
highlight; a concept that did not match says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import Levenshtein

from training.conditions import evaluate
from training.facts import fill

# The longest reply a trainee may send on one turn.
MAX_REPLY = 1500
# Words allowed between two consecutive words of a phrasing.
GAP = 3
# Words allowed between two words of a phrasing that carries a negation.
NEGATION_GAP = 1
# Words before a match in which a negation denies it (within the clause).
NEGATION_REACH = 3

NEGATIONS = frozenset(
    {"nao", "nem", "nunca", "jamais", "sem", "nenhum", "nenhuma", "ninguem", "nada"}
)
# Words that carry no idea of their own: left out of phrasings and replies alike.
_FILLER_WORDS = """a o as os um uns umas de da do das dos em na no nas nos num numa por pela
pelo pelas pelos para pra pro ao aos e ou que se me te lhe voce voces senhor senhora sr sra ja
so bem la aqui isso isto esse essa este esta aquele aquela entao tipo ta ok certo"""
FILLER = frozenset(_FILLER_WORDS.split())
# How chat writes some words: read as the word itself.
ABBREVIATIONS = {
    "vc": "voce",
    "vcs": "voces",
    "q": "que",
    "pq": "porque",
    "tb": "tambem",
    "tbm": "tambem",
    "hj": "hoje",
    "n": "nao",
    "td": "tudo",
    "msg": "mensagem",
    "qdo": "quando",
    "qnd": "quando",
    "prox": "proximo",
    "proxs": "proximos",
    "cel": "celular",
    "obg": "obrigado",
}
# Words often abbreviated with a dot that does not end the sentence ("próx. dia", "Sra. Ana").
DOTTED = frozenset({"prox", "sr", "sra", "dr", "dra", "av", "tel", "obs"})
# Units written short.
UNIT_ALIASES = {
    "h": "hora",
    "hs": "hora",
    "hr": "hora",
    "hrs": "hora",
    "min": "minuto",
    "mins": "minuto",
    "reais": "real",
    "rs": "real",
}
_UNITS = {
    "zero": 0,
    "um": 1,
    "uma": 1,
    "dois": 2,
    "duas": 2,
    "tres": 3,
    "quatro": 4,
    "cinco": 5,
    "seis": 6,
    "sete": 7,
    "oito": 8,
    "nove": 9,
    "dez": 10,
    "onze": 11,
    "doze": 12,
    "treze": 13,
    "catorze": 14,
    "quatorze": 14,
    "quinze": 15,
    "dezesseis": 16,
    "dezessete": 17,
    "dezoito": 18,
    "dezenove": 19,
}
_TENS = {
    "vinte": 20,
    "trinta": 30,
    "quarenta": 40,
    "cinquenta": 50,
    "sessenta": 60,
    "setenta": 70,
    "oitenta": 80,
    "noventa": 90,
}
_HUNDREDS = {
    "cem": 100,
    "cento": 100,
    "duzentos": 200,
    "duzentas": 200,
    "trezentos": 300,
    "trezentas": 300,
    "quatrocentos": 400,
    "quinhentos": 500,
    "seiscentos": 600,
    "setecentos": 700,
    "oitocentos": 800,
    "novecentos": 900,
}
NUMBER_WORDS = {**_UNITS, **_TENS, **_HUNDREDS}

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[.!?;:,()]")
_CLAUSE_END = frozenset(".!?;:,")
_SENTENCE_END = frozenset(".!?;")


class ConceptKind(StrEnum):
    REQUIRED = "required"  # the reply must carry it
    FORBIDDEN = "forbidden"  # the reply must not


@dataclass(frozen=True)
class Value:
    """A figure the reply must state: a fact of the run (or a fixed number), in a unit."""

    fact: str | None = None
    equals: Decimal | None = None
    unit: str = ""
    tolerance: Decimal = Decimal(0)

    def target(self, facts: Mapping[str, object]) -> Decimal | None:
        if self.fact is not None:
            return _decimal(str(facts.get(self.fact, "")))
        return self.equals


@dataclass(frozen=True)
class Concept:
    id: str
    kind: ConceptKind
    label: str
    behaviors: tuple[str, ...]
    phrasings: tuple[str, ...] = ()
    value: Value | None = None
    when: str | None = None

    def applies(self, facts: Mapping[str, object]) -> bool:
        return evaluate(self.when, facts)


@dataclass(frozen=True)
class Token:
    stem: str  # the normalised stem, a number as a plain decimal string, or punctuation
    start: int
    end: int
    number: Decimal | None = None
    aside: bool = False  # within parentheses: not counted between a phrasing's words

    @property
    def is_punctuation(self) -> bool:
        return self.stem in _CLAUSE_END


@dataclass(frozen=True)
class Found:
    """How one concept fared on a reply: matched, with the span of the reply that did."""

    concept: str
    matched: bool
    start: int | None = None
    end: int | None = None
    phrasing: str = ""
    denied: bool = False  # it was said, but under a negation


@dataclass(frozen=True)
class ReplyGrade:
    found: tuple[Found, ...]
    performed: tuple[str, ...]  # behaviour codes the reply performed, in concept order
    accepted: bool  # every required concept carried, no forbidden one

    def to_dict(self) -> dict[str, object]:
        return {
            "accepted": self.accepted,
            "performed": list(self.performed),
            "found": [
                {
                    "concept": f.concept,
                    "matched": f.matched,
                    "start": f.start,
                    "end": f.end,
                    "phrasing": f.phrasing,
                    "denied": f.denied,
                }
                for f in self.found
            ],
        }


def grade_reply(text: str, concepts: Sequence[Concept], facts: Mapping[str, object]) -> ReplyGrade:
    """Which concepts the reply carries under the run's facts, and what that performs."""
    tokens = tokenize(text)
    found: list[Found] = []
    performed: dict[str, None] = {}
    accepted = True
    for concept in concepts:
        if not concept.applies(facts):
            continue
        result = find(concept, tokens, facts)
        found.append(result)
        if result.matched:
            performed.update(dict.fromkeys(concept.behaviors))
        if result.matched == (concept.kind is ConceptKind.FORBIDDEN):
            accepted = False
    return ReplyGrade(found=tuple(found), performed=tuple(performed), accepted=accepted)


def find(concept: Concept, tokens: Sequence[Token], facts: Mapping[str, object]) -> Found:
    """The first place ``tokens`` carry the concept (a phrasing or its value), not denied."""
    denied = False
    for phrasing in concept.phrasings:
        pattern = [t for t in tokenize(fill(phrasing, facts, show=str)) if not t.is_punctuation]
        negative = any(t.stem in NEGATIONS for t in pattern)
        for start, end in _occurrences(pattern, tokens):
            inside = any(t.stem in NEGATIONS for t in tokens[start : end + 1])
            if not negative and (inside or _negated(tokens, start)):
                denied = True
                continue
            return Found(concept.id, True, tokens[start].start, tokens[end].end, phrasing=phrasing)
    if concept.value is not None:
        for start, end in _value_occurrences(concept.value, tokens, facts):
            if _negated(tokens, start):
                denied = True
                continue
            return Found(concept.id, True, tokens[start].start, tokens[end].end, phrasing="")
    return Found(concept.id, False, denied=denied)


# --- reading text ----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """The reply's words as comparable tokens (filler left out), with their place in it."""
    raw = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    tokens: list[Token] = []
    depth = 0
    i = 0
    while i < len(raw):
        word, start, end = raw[i]
        plain = _plain(word)
        if plain in DOTTED and i + 1 < len(raw) and raw[i + 1][0] == "." and raw[i + 1][1] == end:
            del raw[i + 1]
        plain = ABBREVIATIONS.get(plain, plain)
        aside = depth > 0
        if plain in "()":
            depth = depth + 1 if plain == "(" else max(depth - 1, 0)
            i += 1
            continue
        if plain in _CLAUSE_END:
            tokens.append(Token(plain, start, end, aside=aside))
            i += 1
            continue
        if plain[0].isdigit():
            number = _decimal(plain)
            tokens.append(Token(_number_stem(number, plain), start, end, number, aside))
            i += 1
            continue
        if plain in NUMBER_WORDS:
            number, last = _spelled(raw, i)
            stem = _number_stem(Decimal(number), "")
            tokens.append(Token(stem, start, raw[last][2], Decimal(number), aside))
            i = last + 1
            continue
        i += 1
        if plain in FILLER:
            continue
        plain = UNIT_ALIASES.get(plain, plain)
        stem = plain if plain in NEGATIONS else _stem(plain)
        tokens.append(Token(stem, start, end, aside=aside))
    return tuple(tokens)


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    stem = _STEMMER.stemWord(word)
    # The stemmer keeps the plural of short words ("dias", "mês"/"meses"): drop it.
    return stem[:-1] if len(stem) <= 4 and stem.endswith("s") and len(stem) > 2 else stem


_STEMMER = snowballstemmer.stemmer("portuguese")


def _decimal(text: str) -> Decimal | None:
    """A figure in Brazilian notation: "1.234,56", "189,90", "02" (None when it is not one)."""
    text = text.strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.rsplit(".", 1)[1]) != 3:
        pass  # a decimal point written the English way: "2.5"
    else:
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _number_stem(number: Decimal | None, fallback: str) -> str:
    if number is None:
        return fallback
    return format(number.normalize(), "f")


def _spelled(raw, i: int) -> tuple[int, int]:
    """A number written in words from ``raw[i]`` ("vinte e cinco", "cento e dez"): its value
    and the index of its last word."""
    total, last, j = 0, i, i
    while j < len(raw):
        plain = _plain(raw[j][0])
        if plain in NUMBER_WORDS:
            total += NUMBER_WORDS[plain]
            last = j
            j += 1
            if (
                j + 1 < len(raw)
                and _plain(raw[j][0]) == "e"
                and _plain(raw[j + 1][0]) in NUMBER_WORDS
            ):
                j += 1
                continue
            if plain in _UNITS or j >= len(raw) or _plain(raw[j][0]) not in NUMBER_WORDS:
                break
        else:
            break
    return total, last


# --- matching --------------------------------------------------------------------------------


def _same(expected: Token, said: Token) -> bool:
    if expected.stem == said.stem:
        return True
    if expected.number is not None or said.number is not None:
        return False
    if expected.stem in NEGATIONS or said.stem in NEGATIONS or said.is_punctuation:
        return False
    if len(expected.stem) < 4 or len(said.stem) < 3:
        return False
    allowed = 2 if min(len(expected.stem), len(said.stem)) >= 8 else 1
    return Levenshtein.distance(expected.stem, said.stem, score_cutoff=allowed) <= allowed


def _occurrences(pattern: Sequence[Token], tokens: Sequence[Token]) -> Iterable[tuple[int, int]]:
    """Every (first, last) token index where the pattern's words come in order, in one
    sentence, with at most GAP words between two of them."""
    if not pattern:
        return
    # A phrasing that says something is not so is read closely: "não precisa pagar" is not
    # "não precisa de mais nada além de pagar".
    gap = NEGATION_GAP if any(t.stem in NEGATIONS for t in pattern) else GAP
    for first, token in enumerate(tokens):
        if not _same(pattern[0], token):
            continue
        position, ok = first, True
        for expected in pattern[1:]:
            position = _next_match(expected, tokens, position, gap)
            if position is None:
                ok = False
                break
        if ok:
            yield first, position


def _next_match(expected: Token, tokens: Sequence[Token], after: int, gap: int) -> int | None:
    skipped = 0
    for index in range(after + 1, len(tokens)):
        token = tokens[index]
        if token.stem in _SENTENCE_END:
            return None
        if _same(expected, token):
            return index
        if not token.is_punctuation and not token.aside:
            skipped += 1
            if skipped > gap:
                return None
    return None


def _negated(tokens: Sequence[Token], start: int) -> bool:
    """A negation stands within NEGATION_REACH words before ``start``, in the same clause."""
    for token in reversed(tokens[max(0, start - NEGATION_REACH) : start]):
        if token.is_punctuation or token.stem in _NEGATION_STOPS:
            return False
        if token.stem in NEGATIONS:
            return True
    return False


# Words after which a negation no longer reaches: "nada além de pagar" is a payment, "não
# é no fim do mês, mas no próximo dia útil" a deadline.
_NEGATION_STOPS = frozenset(_stem(w) for w in ("alem", "senao", "exceto", "salvo", "mas", "porem"))


def _value_occurrences(
    value: Value, tokens: Sequence[Token], facts: Mapping[str, object]
) -> Iterable[tuple[int, int]]:
    target = value.target(facts)
    if target is None:
        return
    unit = _unit_stem(value.unit) if value.unit else ""
    for index, token in enumerate(tokens):
        if token.number is None or abs(token.number - target) > value.tolerance:
            continue
        if not unit:
            yield index, index
            continue
        following = tokens[index + 1 : index + 3]
        for offset, after in enumerate(following, start=1):
            if after.is_punctuation:
                break
            if _same(Token(unit, 0, 0), after):
                yield index, index + offset
                break
        # "R$ 189,90": the unit written before the figure.
        if index and unit == _unit_stem("real") and tokens[index - 1].stem == _unit_stem("r"):
            yield index - 1, index


def _unit_stem(unit: str) -> str:
    plain = _plain(unit.strip())
    plain = UNIT_ALIASES.get(plain, plain)
    return _stem(plain)


# --- building concepts from content ----------------------------------------------------------


def concepts_from(data: Iterable[Mapping[str, object]]) -> tuple[Concept, ...]:
    """Concepts as a typed step's ``concepts:`` declares them."""
    concepts = []
    for entry in data:
        value = entry.get("value")
        concepts.append(
            Concept(
                id=entry["id"],
                kind=ConceptKind(entry.get("kind", ConceptKind.REQUIRED)),
                label=entry.get("label", ""),
                behaviors=tuple(entry.get("behaviors") or ()),
                phrasings=tuple(entry.get("phrasings") or ()),
                value=_value(value) if value else None,
                when=entry.get("when"),
            )
        )
    return tuple(concepts)


def _value(data: Mapping[str, object]) -> Value:
    equals = data.get("equals")
    return Value(
        fact=data.get("fact"),
        equals=_decimal(str(equals)) if equals is not None else None,
        unit=str(data.get("unit", "")),
        tolerance=_decimal(str(data.get("tolerance", 0))) or Decimal(0),
    )
