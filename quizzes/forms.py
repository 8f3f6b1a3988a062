"""The answer sheet: reading posted answers into normalised responses, and showing saved ones.

Field names are ``q<position>-answer`` (single, multiple, true/false, numeric)
and ``q<position>-<index>`` (one per step of an ordering item, one per left
item of a matching item). Every question block also posts ``shown=<position>``,
so an emptied question is told apart from one that was not on the form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.paper import public_question


class AnswerForm(forms.Form):
    """One question's answer; ``response()`` is the normalised value, None when unanswered."""

    def __init__(self, *args, question: Mapping[str, object], **kwargs):
        kwargs.setdefault("prefix", f"q{question['position']}")
        super().__init__(*args, **kwargs)
        self.question = question
        kind = question["kind"]
        if kind == "single":
            self.fields["answer"] = forms.TypedChoiceField(
                choices=_indexed(question["options"]), coerce=int, required=False, empty_value=None
            )
        elif kind == "multiple":
            self.fields["answer"] = forms.TypedMultipleChoiceField(
                choices=_indexed(question["options"]), coerce=int, required=False
            )
        elif kind == "true_false":
            self.fields["answer"] = forms.TypedChoiceField(
                choices=[("true", _("True")), ("false", _("False"))],
                coerce=lambda value: value == "true",
                required=False,
                empty_value=None,
            )
        elif kind == "numeric":
            self.fields["answer"] = forms.CharField(required=False, max_length=40)
        elif kind == "ordering":
            places = [(i, str(i + 1)) for i in range(len(question["steps"]))]
            for index in range(len(question["steps"])):
                self.fields[str(index)] = forms.TypedChoiceField(
                    choices=places, coerce=int, required=False, empty_value=None
                )
        elif kind == "matching":
            for index in range(len(question["left"])):
                self.fields[str(index)] = forms.TypedChoiceField(
                    choices=_indexed(question["right"]),
                    coerce=int,
                    required=False,
                    empty_value=None,
                )

    def clean_answer(self):
        value = self.cleaned_data.get("answer")
        if self.question["kind"] != "numeric" or value in (None, ""):
            return value
        try:
            # Brazilian decimals use a comma; accept both.
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number.")) from None
        if not number.is_finite():
            raise forms.ValidationError(_("Enter a number."))
        return number

    def clean(self):
        cleaned = super().clean()
        kind = self.question["kind"]
        if kind == "ordering":
            places = [cleaned.get(str(i)) for i in range(len(self.question["steps"]))]
            given = [p for p in places if p is not None]
            # A half-placed list is work in progress (saved as unanswered, no complaint);
            # two steps in one place is a mistake worth saying.
            if len(set(given)) < len(given):
                raise forms.ValidationError(_("Give each step a different place."))
        return cleaned

    def response(self) -> object:
        data = self.cleaned_data
        kind = self.question["kind"]
        if kind == "multiple":
            return sorted(set(data["answer"])) or None
        if kind == "numeric":
            return None if data["answer"] in (None, "") else str(data["answer"].normalize())
        if kind == "ordering":
            places = {i: data.get(str(i)) for i in range(len(self.question["steps"]))}
            if any(p is None for p in places.values()):
                return None
            return [step for step, _ in sorted(places.items(), key=lambda kv: kv[1])]
        if kind == "matching":
            chosen = {
                str(i): data[str(i)]
                for i in range(len(self.question["left"]))
                if data.get(str(i)) is not None
            }
            return chosen or None
        return data["answer"]


def _indexed(texts: Sequence[str]) -> list[tuple[int, str]]:
    return list(enumerate(texts))


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
    shaped for the template (never the key)."""
    rows = []
    for served in paper["questions"]:
        question = public_question(served)
        response = saved.get(question["position"])
        question["number"] = question["position"] + 1
        question["input_prefix"] = f"q{question['position']}"
        kind = question["kind"]
        if kind == "single":
            question["choices"] = [
                {"value": i, "text": t, "checked": response == i}
                for i, t in enumerate(question["options"])
            ]
        elif kind == "multiple":
            picked = set(response or ())
            question["choices"] = [
                {"value": i, "text": t, "checked": i in picked}
                for i, t in enumerate(question["options"])
            ]
        elif kind == "true_false":
            question["choices"] = [
                {"value": "true", "text": _("True"), "checked": response is True},
                {"value": "false", "text": _("False"), "checked": response is False},
            ]
        elif kind == "ordering":
            order = list(response or ())
            count = len(question["steps"])
            question["rows"] = [
                {
                    "index": i,
                    "text": text,
                    "choices": [
                        {"value": p, "label": p + 1, "selected": i in order and order.index(i) == p}
                        for p in range(count)
                    ],
                }
                for i, text in enumerate(question["steps"])
            ]
        elif kind == "matching":
            chosen = dict(response or {})
            question["rows"] = [
                {
                    "index": i,
                    "text": text,
                    "choices": [
                        {"value": j, "label": right, "selected": chosen.get(str(i)) == j}
                        for j, right in enumerate(question["right"])
                    ],
                }
                for i, text in enumerate(question["left"])
            ]
        elif kind == "numeric":
            question["value"] = response or ""
        rows.append(question)
    return rows
