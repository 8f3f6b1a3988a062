"""The shipped pack says only what the manual says: every quote is the manual's own words, and
no line graded as right (a call line that breaks no rule, an expert line, an outcome, a quiz
key or explanation) states a figure the manual does not give. Case data (invoice values, days
open, what the system shows) reaches those lines only through the facts' placeholders."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

MANUAL = Path(settings.BASE_DIR).parent / "shared" / "manual" / "procedimentos-atendimento.txt"
CONTENT = Path(settings.BASE_DIR) / "content"
_NUMBER = re.compile(r"\d+")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def normalised(text: str) -> str:
    # Bullets and line breaks are layout, not words.
    return re.sub(r"\s+", " ", re.sub(r"\s*[•·*]\s*", " ", text)).strip()


def numbers(text: str) -> set[int]:
    return {int(n) for n in _NUMBER.findall(_PLACEHOLDER.sub("", text or ""))}


@pytest.fixture(scope="module")
def manual():
    if not MANUAL.exists():
        pytest.skip(f"{MANUAL} is not here")
    return MANUAL.read_text(encoding="utf-8")


def load(folder: str):
    return {
        p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (CONTENT / folder).glob("*.yaml")
    }


def violations() -> set[str]:
    return {
        b["code"]
        for module in load("modules").values()
        for procedure in module["procedures"]
        for b in procedure["behaviors"]
        if b["kind"] == "violation"
    }


def codes(entries) -> set[str]:
    return {e if isinstance(e, str) else e["code"] for e in entries or ()}


def test_every_behaviour_quotes_the_manual_word_for_word(manual):
    text = normalised(manual)
    wrong = [
        (name, b["code"])
        for name, module in load("modules").items()
        for procedure in module["procedures"]
        for b in procedure["behaviors"]
        if normalised(b["manual"]) not in text
    ]
    assert not wrong


def test_no_line_graded_as_right_states_a_figure_the_manual_does_not_give(manual):
    allowed = numbers(manual)
    broken = violations()
    found = []
    for name, call in load("scenarios").items():
        for step in call["steps"]:
            if step.get("outcome"):
                found.append((name, step["id"], step["outcome"]))
            for choice in step.get("choices", ()):
                if not codes(choice.get("behaviors")) & broken:
                    found.append((name, choice["id"], choice["say"]))
        for item in call["rubric"]["items"]:
            if item.get("expert"):
                found.append((name, item["id"], item["expert"]))
    for name, quiz in load("quizzes").items():
        for question in quiz["questions"]:
            found.append((name, question["key"], question["explanation"]))
            for option in question.get("options", ()):
                if option.get("correct"):
                    found.append((name, question["key"], option["text"]))
    invented = [(n, where, text) for n, where, text in found if numbers(text) - allowed]
    assert not invented
