"""The answer sheet: reading posted answers into normalised responses, and showing saved ones.

Each question's fields come from its kind (``quizzes.kinds``): named ``q<position>-<name>``
(``answer`` for the kinds that post one value, one per step or left item for the others).
Every question block also posts ``shown=<position>``, so an emptied question is told apart
from one that was not on the form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.utils.translation import gettext

from quizzes.kinds import kind_of
from quizzes.kinds.base import Input, InvalidAnswer
from quizzes.paper import public_question


def _field(spec: Input) -> forms.Field:
    if spec.mode == "one":
        return forms.ChoiceField(choices=spec.choices, required=False)
    if spec.mode == "many":
        return forms.MultipleChoiceField(choices=spec.choices, required=False)
    return forms.CharField(required=False, max_length=spec.max_length)


class AnswerForm(forms.Form):
    """One question's answer; ``response()`` is the normalised value, None when unanswered."""

    def __init__(self, *args, question: Mapping[str, object], **kwargs):
        kwargs.setdefault("prefix", f"q{question['position']}")
        super().__init__(*args, **kwargs)
        self.question = question
        self.kind = kind_of(question["kind"])
        for spec in self.kind.inputs(question):
            self.fields[spec.name] = _field(spec)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.cleaned_data["response"] = self.kind.read(cleaned, self.question)
            except InvalidAnswer as problem:
                raise forms.ValidationError(gettext(str(problem))) from None
        return self.cleaned_data

    def response(self) -> object:
        return self.cleaned_data["response"]


def read_answers(
    paper: Mapping[str, object], data: Mapping[str, object], shown: Sequence[str]
) -> tuple[dict[int, object], dict[int, list[str]]]:
    """Responses for the questions posted as ``shown``, and errors for the ones that were not
    valid (those are left as they were)."""
    questions = {q["position"]: q for q in paper["questions"]}
    responses, errors = {}, {}
    for raw in shown:
        try:
            position = int(raw)
        except (TypeError, ValueError):
            continue
        if position not in questions:
            continue
        form = AnswerForm(data, question=public_question(questions[position]))
        if form.is_valid():
            responses[position] = form.response()
        else:
            errors[position] = [str(e) for field in form.errors.values() for e in field]
    return responses, errors


def sheet_questions(
    paper: Mapping[str, object], saved: Mapping[int, object]
) -> list[dict[str, object]]:
    """What the answer sheet shows: each question's public view plus the trainee's saved answer,
    shaped for its kind's template (never the key)."""
    rows = []
    for served in paper["questions"]:
        question = public_question(served)
        kind = kind_of(question["kind"])
        question["number"] = question["position"] + 1
        question["input_prefix"] = f"q{question['position']}"
        question["template"] = kind.template
        question["saved"] = saved.get(question["position"])
        question.update(kind.sheet(question, saved.get(question["position"])))
        rows.append(question)
    return rows
