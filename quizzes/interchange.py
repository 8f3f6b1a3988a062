"""Question banks in and out in Moodle's formats (Moodle XML and GIFT), as entries of the pack's
question format. What both sides can express comes across; what cannot is listed with the reason,
never dropped in silence. Pure Python: text in, entries and skips out (and back).

What maps to what (also in content/README.md):

| Moodle                         | Trilha                                        |
| ------------------------------ | ---------------------------------------------------- |
| multichoice, one right answer  | single                                        |
| multichoice, several (weights) | multiple: a positive weight is right (weights lost) |
| truefalse                      | true_false                                    |
| matching                       | matching                                      |
| numerical (tolerance)          | numeric (the unit is left for the trainer)    |
| shortanswer, essay, cloze...   | skipped: Trilha has no free-text question kind |
| general feedback               | explanation                                   |
| answer feedback                | lost                                          |
| categories                     | each mapped to a procedure on the preview page |

Trilha's scenario questions (drawn facts and conditions), ordering questions, behaviours and the
manual's words have no Moodle equivalent and are skipped on export or left for the trainer on
import.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from xml.etree import ElementTree

import nh3
from defusedxml import ElementTree as SafeElementTree

MAX_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 2000


class FileRefused(Exception):
    """The file cannot be read; the message says why (and the line, when known)."""


def _text(markup: str) -> str:
    """Moodle's HTML as plain text: tags dropped (sanitised; a line or paragraph break is a
    space), entities decoded, spaces tidied."""
    spaced = re.sub(r"<br\s*/?>|</(p|div|li|h\d)>", " ", markup or "", flags=re.I)
    cleaned = nh3.clean(spaced, tags=set())
    return re.sub(r"\s+", " ", html.unescape(cleaned)).strip()


def _key(name: str, used: set[str]) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80] or "questao"
    key, n = base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return key


def _entry(key: str, kind: str, stem: str, explanation: str, **spec) -> dict:
    return {"key": key, "kind": kind, "stem": stem, **spec, "explanation": explanation}


# --- GIFT ----------------------------------------------------------------------------------------

_GIFT_SPECIAL = "~=#{}:"


def _gift_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in _GIFT_SPECIAL else c for c in text)


def _gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).strip()


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """(mark, text) pieces of an answer block, split at unescaped ``marks``."""
    pieces, current, mark, i = [], "", "", 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current += text[i : i + 2]
            i += 2
            continue
        if c in marks:
            if current.strip() or mark:
                pieces.append((mark, current))
            mark, current = c, ""
        else:
            current += c
        i += 1
    if current.strip() or mark:
        pieces.append((mark, current))
    return pieces


def _cut_unescaped(text: str, mark: str) -> tuple[str, str]:
    """``text`` before and after the first unescaped ``mark`` (all of it and "" if none)."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(mark, i):
            return text[:i], text[i + len(mark) :]
        i += 1
    return text, ""


def from_gift(text: str, categories: list[str] | None = None) -> tuple[list[dict], list[str]]:
    """GIFT text as question entries, and what was skipped with the reason; with
    ``categories``, each entry's category ($CATEGORY) is appended to it, in step."""
    if len(text.encode()) > MAX_BYTES:
        raise FileRefused("the file is over 5 MB")
    if "\x00" in text:
        raise FileRefused("the file holds a NUL character")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    blocks, current, start, number, category = [], [], 0, 0, ""
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith("$CATEGORY"):
            if current:
                blocks.append((start, "\n".join(current), category))
                current = []
            category = category_name(line.strip().removeprefix("$CATEGORY").lstrip(": "))
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current), category))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current), category))
    if len(blocks) > MAX_QUESTIONS:
        raise FileRefused(f"more than {MAX_QUESTIONS} questions in one file")
    entries, skipped, used = [], [], set()
    for line, block, in_category in blocks:
        try:
            entry = _gift_question(block, used)
        except ValueError as exc:
            skipped.append(f"line {line}: {exc}")
            continue
        if entry is not None:
            entries.append(entry)
            if categories is not None:
                categories.append(in_category)
    return entries, skipped


def category_name(path: str) -> str:
    """A Moodle category path as a person reads it: "$course$/top/Promessa/Regras" is
    "Promessa/Regras" (the context and the implicit top level left out)."""
    parts = [p.strip() for p in path.strip().split("/") if p.strip()]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def _gift_question(block: str, used: set[str]) -> dict | None:
    title = ""
    if block.startswith("::"):
        title, block = _cut_unescaped(block[2:], "::")
    before, rest = _cut_unescaped(block, "{")
    if not rest:
        raise ValueError("no answer block { }: a description, not a question")
    answers, after = _cut_unescaped(rest, "}")
    stem = _gift_unescape(
        re.sub(r"^\[(html|moodle|plain|markdown)\]", "", (before + " " + after).strip())
    )
    stem = _text(stem)
    answers = answers.strip()
    explanation = ""
    answers, general = _cut_unescaped(answers, "####")
    answers = answers.strip()
    explanation = _gift_unescape(general)
    key = _key(_gift_unescape(title) or stem[:60], used)
    if not stem:
        raise ValueError("the question has no text")
    # True/false may carry feedback after the answer: "FALSE#wrong answer#right answer".
    verdict = _cut_unescaped(answers, "#")[0].strip().upper()
    if verdict in {"T", "TRUE", "F", "FALSE"}:
        return _entry(key, "true_false", stem, explanation, answer=verdict.startswith("T"))
    if answers.startswith("#"):
        number, margin = _gift_number(answers[1:])
        return _entry(
            key, "numeric", stem, explanation, answer=_num(number), tolerance=_num(margin), unit=""
        )
    pieces = [(m, t) for m, t in _split_unescaped(answers, "=~") if t.strip() or m]
    if not pieces:
        raise ValueError("an essay (an empty answer block): Trilha has no free-text kind")
    if all(m == "=" for m, _t in pieces) and any("->" in t for _m, t in pieces):
        pairs = []
        for _m, text in pieces:
            left, _sep, right = text.partition("->")
            pairs.append(
                {
                    "left": _gift_text(_cut_unescaped(left, "#")[0]),
                    "right": _gift_text(_cut_unescaped(right, "#")[0]),
                }
            )
        return _entry(key, "matching", stem, explanation, pairs=pairs)
    if all(m == "=" for m, _t in pieces):
        raise ValueError("a short answer question: Trilha has no free-text kind")
    options = []
    for mark, text in pieces:
        text, _feedback = _cut_unescaped(text, "#")
        weight = None
        found = re.match(r"\s*%(-?\d+(?:\.\d+)?)%(.*)", text, re.S)
        if found:
            weight, text = float(found.group(1)), found.group(2)
        correct = weight > 0 if weight is not None else mark == "="
        options.append({"text": _gift_text(text), "correct": correct})
    right = sum(o["correct"] for o in options)
    if right == 0:
        raise ValueError("no right answer")
    kind = "single" if right == 1 else "multiple"
    return _entry(key, kind, stem, explanation, options=[_option(o) for o in options])


_FORMAT_MARK = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.I)


def _gift_text(text: str) -> str:
    """An answer's text: its format marker ("[html]", "[plain]"...) dropped, escapes undone,
    HTML reduced to text."""
    return _text(_gift_unescape(_FORMAT_MARK.sub("", text)))


def _gift_number(block: str) -> tuple[float, float]:
    """The right answer of a numerical block (after its "#"): "3:2" (value and tolerance),
    "1..5" (a range), or the first of several "=" answers, with any feedback or weight left
    out."""
    answers = [t for m, t in _split_unescaped("=" + block.lstrip(), "=~") if m == "=" and t.strip()]
    for text in answers:
        text = _cut_unescaped(text, "#")[0].strip()
        weighted = re.match(r"%(-?\d+(?:\.\d+)?)%(.*)", text, re.S)
        if weighted:
            if float(weighted.group(1)) < 100:
                continue
            text = weighted.group(2).strip()
        text = _gift_unescape(text)
        try:
            if ".." in text:
                low, high = (float(x) for x in text.split("..", 1))
                return (low + high) / 2, (high - low) / 2
            value, _sep, tolerance = text.partition(":")
            return float(value), float(tolerance or 0)
        except ValueError:
            break
    raise ValueError("a numerical answer that is not a number")


def _option(option: Mapping) -> dict:
    return {"text": option["text"], **({"correct": True} if option.get("correct") else {})}


def _num(value: float):
    return int(value) if float(value).is_integer() else value


def to_gift(entries: Iterable[Mapping]) -> tuple[str, list[str]]:
    """Question entries as GIFT, and the keys skipped with the reason."""
    out, skipped = [], []
    for entry in entries:
        reason = _unexportable(entry)
        if reason:
            skipped.append(f"{entry['key']}: {reason}")
            continue
        kind = entry["kind"]
        head = f"::{_gift_escape(entry['key'])}:: {_gift_escape(entry['stem'])} {{"
        if kind == "true_false":
            body = "TRUE" if entry["answer"] else "FALSE"
        elif kind == "numeric":
            body = f"#{entry['answer']}:{entry.get('tolerance', 0)}"
        elif kind == "matching":
            body = " ".join(
                f"={_gift_escape(p['left'])} -> {_gift_escape(p['right'])}" for p in entry["pairs"]
            )
        elif kind == "single":
            body = " ".join(
                f"{'=' if o.get('correct') else '~'}{_gift_escape(o['text'])}"
                for o in entry["options"]
            )
        else:  # multiple: the right ones share the credit, the wrong ones cost it all
            right = [o for o in entry["options"] if o.get("correct")]
            share = _weight(100 / len(right))
            body = " ".join(
                f"~%{share if o.get('correct') else -100}%{_gift_escape(o['text'])}"
                for o in entry["options"]
            )
        general = f" ####{_gift_escape(entry['explanation'])}" if entry.get("explanation") else ""
        out.append(f"{head}{body}{general}}}")
    return "\n\n".join(out) + ("\n" if out else ""), skipped


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _unexportable(entry: Mapping) -> str:
    if entry.get("facts"):
        return "a scenario question (drawn facts and conditions) has no Moodle equivalent"
    if entry["kind"] not in {"single", "multiple", "true_false", "numeric", "matching"}:
        return f"{entry['kind']} questions have no Moodle equivalent"
    if entry["kind"] == "true_false" and entry.get("answer_when"):
        return "a conditional true/false has no Moodle equivalent"
    if any(o.get("correct_when") for o in entry.get("options", ())):
        return "conditional options have no Moodle equivalent"
    return ""


# --- Moodle XML ----------------------------------------------------------------------------------


def from_moodle_xml(
    data: bytes, categories: list[str] | None = None
) -> tuple[list[dict], list[str]]:
    """A Moodle XML quiz file as question entries, and what was skipped with the reason; with
    ``categories``, each entry's category (the last ``type="category"`` question before it) is
    appended to it, in step."""
    if len(data) > MAX_BYTES:
        raise FileRefused("the file is over 5 MB")
    try:
        root = SafeElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise FileRefused(
            f"line {line}: malformed XML ({exc.msg if hasattr(exc, 'msg') else exc})"
        ) from None
    except Exception as exc:  # defusedxml refuses entities and DTDs by raising its own errors
        raise FileRefused(f"refused XML: {exc.__class__.__name__}") from None
    if root.tag != "quiz":
        raise FileRefused("not a Moodle XML quiz file (the root element is not <quiz>)")
    questions = root.findall("question")
    if len(questions) > MAX_QUESTIONS:
        raise FileRefused(f"more than {MAX_QUESTIONS} questions in one file")
    entries, skipped, used, category = [], [], set(), ""
    for number, question in enumerate(questions, start=1):
        kind = question.get("type", "")
        name = _text(question.findtext("name/text", ""))
        if kind == "category":
            category = category_name(_text(question.findtext("category/text", "")))
            continue
        try:
            entry = _xml_question(question, kind, name, used)
        except ValueError as exc:
            skipped.append(f"question {number} ({name or kind}): {exc}")
            continue
        entries.append(entry)
        if categories is not None:
            categories.append(category)
    return entries, skipped


def _xml_question(question, kind: str, name: str, used: set[str]) -> dict:
    stem = _text(question.findtext("questiontext/text", ""))
    explanation = _text(question.findtext("generalfeedback/text", ""))
    if not stem:
        raise ValueError("the question has no text")
    key = _key(name or stem[:60], used)
    answers = question.findall("answer")
    if kind == "multichoice":
        options = []
        for answer in answers:
            fraction = float(answer.get("fraction", "0") or 0)
            options.append({"text": _text(answer.findtext("text", "")), "correct": fraction > 0})
        right = sum(o["correct"] for o in options)
        single = question.findtext("single", "true").strip().lower() == "true"
        if right == 0:
            raise ValueError("no right answer")
        return _entry(
            key,
            "single" if single and right == 1 else "multiple",
            stem,
            explanation,
            options=[_option(o) for o in options],
        )
    if kind == "truefalse":
        right = next(
            (
                _text(a.findtext("text", "")).lower()
                for a in answers
                if float(a.get("fraction", "0") or 0) > 0
            ),
            None,
        )
        if right not in {"true", "false"}:
            raise ValueError("no right answer")
        return _entry(key, "true_false", stem, explanation, answer=right == "true")
    if kind == "matching":
        pairs = [
            {
                "left": _text(sub.findtext("text", "")),
                "right": _text(sub.findtext("answer/text", "")),
            }
            for sub in question.findall("subquestion")
        ]
        distractors = [p["right"] for p in pairs if not p["left"]]
        pairs = [p for p in pairs if p["left"]]
        entry = _entry(key, "matching", stem, explanation, pairs=pairs)
        if distractors:
            entry["distractors"] = distractors
        return entry
    if kind == "numerical":
        best = max(answers, key=lambda a: float(a.get("fraction", "0") or 0), default=None)
        if best is None:
            raise ValueError("no answer")
        try:
            value = float(_text(best.findtext("text", "")))
            tolerance = float(best.findtext("tolerance", "0") or 0)
        except ValueError:
            raise ValueError("a numerical answer that is not a number") from None
        return _entry(
            key,
            "numeric",
            stem,
            explanation,
            answer=_num(value),
            tolerance=_num(tolerance),
            unit="",
        )
    raise ValueError(f"{kind or 'unknown'} questions: Trilha has no such kind")


def to_moodle_xml(entries: Iterable[Mapping]) -> tuple[str, list[str]]:
    """Question entries as a Moodle XML quiz file, and the keys skipped with the reason."""
    quiz = ElementTree.Element("quiz")
    skipped = []
    for entry in entries:
        reason = _unexportable(entry)
        if reason:
            skipped.append(f"{entry['key']}: {reason}")
            continue
        kind = entry["kind"]
        moodle = {
            "single": "multichoice",
            "multiple": "multichoice",
            "true_false": "truefalse",
            "numeric": "numerical",
            "matching": "matching",
        }[kind]
        question = ElementTree.SubElement(quiz, "question", type=moodle)
        _text_element(question, "name", entry["key"])
        _text_element(question, "questiontext", entry["stem"], fmt="plain_text")
        _text_element(question, "generalfeedback", entry.get("explanation", ""), fmt="plain_text")
        if kind in {"single", "multiple"}:
            ElementTree.SubElement(question, "single").text = (
                "true" if kind == "single" else "false"
            )
            right = sum(1 for o in entry["options"] if o.get("correct"))
            for option in entry["options"]:
                fraction = (
                    ("100" if kind == "single" else _weight(100 / right))
                    if option.get("correct")
                    else ("0" if kind == "single" else "-100")
                )
                answer = ElementTree.SubElement(
                    question, "answer", fraction=fraction, format="plain_text"
                )
                ElementTree.SubElement(answer, "text").text = option["text"]
        elif kind == "true_false":
            for value in ("true", "false"):
                fraction = "100" if (value == "true") == bool(entry["answer"]) else "0"
                answer = ElementTree.SubElement(question, "answer", fraction=fraction)
                ElementTree.SubElement(answer, "text").text = value
        elif kind == "numeric":
            answer = ElementTree.SubElement(question, "answer", fraction="100")
            ElementTree.SubElement(answer, "text").text = str(entry["answer"])
            ElementTree.SubElement(answer, "tolerance").text = str(entry.get("tolerance", 0))
        else:
            for pair in entry["pairs"]:
                sub = ElementTree.SubElement(question, "subquestion", format="plain_text")
                ElementTree.SubElement(sub, "text").text = pair["left"]
                ElementTree.SubElement(ElementTree.SubElement(sub, "answer"), "text").text = pair[
                    "right"
                ]
            for extra in entry.get("distractors", ()):
                sub = ElementTree.SubElement(question, "subquestion", format="plain_text")
                ElementTree.SubElement(sub, "text").text = ""
                ElementTree.SubElement(ElementTree.SubElement(sub, "answer"), "text").text = extra
    ElementTree.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        quiz, encoding="unicode"
    ) + "\n", skipped


def _text_element(parent, tag: str, text: str, fmt: str | None = None) -> None:
    element = ElementTree.SubElement(parent, tag, **({"format": fmt} if fmt else {}))
    ElementTree.SubElement(element, "text").text = text
