"""The trainers' question editor: a form for what every question has, formsets for its facts
and options, and a part of its own for each kind of the registry, all turned into the same
entry a pack file holds and checked by the same rules (``quizzes.questions``).

A kind without a part here (one added later, a test's toy kind) is edited as the JSON of its
own keys, still checked by its schema and rules.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import TypeAdapter

from quizzes import grading
from quizzes.guessers import giveaways
from quizzes.kinds import KINDS, kind_of
from quizzes.pack import QuestionEntry, question_entry_errors
from quizzes.paper import QuestionContent, fact_specs, serve_question
from quizzes.schema import COLUMNS, spec_of
from quizzes.selectors import ReviewedItem
from training.facts import TooManyCombinations, fact_combinations
from training.forms import PlainTextField
from training.guessing import absolute_words
from training.models import Behavior, Procedure
from training.pack.loader import index_from_database

_QUESTION = TypeAdapter(QuestionEntry)
FACT_KINDS = [("int", _("Number")), ("choice", _("One of a list")), ("bool", _("Yes or no"))]
FACT_KINDS.append(("name", _("A person's name")))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """What every question has."""

    key = forms.SlugField(
        label=_("Key"), max_length=100, help_text=_("Stable id, e.g. promessa-prazo")
    )
    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=Procedure.objects.none())
    kind = forms.ChoiceField(label=_("Kind"))
    stem = PlainTextField(
        label=_("Question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("May show a fact as {fact_name}."),
    )
    behaviors = forms.MultipleChoiceField(
        label=_("Behaviours judged by the whole question"),
        required=False,
        help_text=_(
            "Kept when the answer is fully right (true/false, ordering, matching, numeric)."
        ),
    )
    explanation = PlainTextField(
        label=_("Explanation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    manual = PlainTextField(
        label=_("The manual's words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Copied from the manual, word for word."),
    )

    def __init__(self, *args, module, codes, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.filter(module=module).order_by(
            "order"
        )
        self.fields["kind"].choices = [(k.name, _(k.label)) for k in KINDS.values()]
        self.fields["kind"].disabled = True  # chosen before the form; fixed after
        self.fields["kind"].widget = forms.HiddenInput()
        self.fields["behaviors"].choices = codes
        if editing:
            self.fields["key"].disabled = True


class FactForm(forms.Form):
    name = forms.RegexField(
        label=_("Name"), regex=r"^[a-z_][a-z0-9_]*$", max_length=40, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FACT_KINDS, required=False)
    label = PlainTextField(label=_("Label"), max_length=120, required=False)
    min = forms.IntegerField(label=_("From"), required=False, min_value=-(10**6), max_value=10**6)
    max = forms.IntegerField(label=_("To"), required=False, min_value=-(10**6), max_value=10**6)
    choices = PlainTextField(
        label=_("Values"),
        max_length=2000,
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def entry(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("name"):
            return None
        fact = {"name": data["name"], "kind": data["kind"] or "int", "label": data["label"]}
        if fact["kind"] == "int":
            fact["min"], fact["max"] = data["min"] or 0, data["max"] or 0
        if fact["kind"] in ("choice", "name") and data["choices"]:
            fact["choices"] = [_typed(v) for v in _lines(data["choices"])]
        return fact


class OptionForm(forms.Form):
    text = PlainTextField(label=_("Option"), max_length=1000, required=False)
    correct = forms.BooleanField(label=_("Always right"), required=False)
    correct_when = PlainTextField(
        label=_("Right when"), max_length=1000, required=False, help_text=_("e.g. dias > 4")
    )
    behaviors = forms.MultipleChoiceField(label=_("Picking it shows"), required=False)
    breaks = forms.MultipleChoiceField(label=_("Picking it breaks"), required=False)

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["behaviors"].choices = codes
        self.fields["breaks"].choices = codes

    def entry(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("text"):
            return None
        option = {"text": data["text"]}
        if data["correct"]:
            option["correct"] = True
        if data["correct_when"]:
            option["correct_when"] = data["correct_when"]
        for key in ("behaviors", "breaks"):
            if data[key]:
                option[key] = list(data[key])
        return option


_BOUNDS = {
    "facts": {"max_num": 12, "validate_max": True, "absolute_max": 12},
    "options": {"max_num": 10, "validate_max": True, "absolute_max": 10},
}


class TrueFalseForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False")), ("when", _("True when..."))],
    )
    answer_when = PlainTextField(label=_("True when"), max_length=1000, required=False)

    def entry(self) -> dict:
        data = self.cleaned_data
        if data["answer"] == "when":
            return {"answer_when": data["answer_when"]}
        return {"answer": data["answer"] == "true"}


class NumericForm(forms.Form):
    answer = forms.DecimalField(label=_("Answer"), max_digits=12, decimal_places=3)
    tolerance = forms.DecimalField(
        label=_("Tolerance"), max_digits=12, decimal_places=3, min_value=0, initial=0
    )
    unit = PlainTextField(label=_("Unit"), max_length=40)

    def entry(self) -> dict:
        data = self.cleaned_data
        return {
            "answer": _number(data["answer"]),
            "tolerance": _number(data["tolerance"] or Decimal(0)),
            "unit": data["unit"],
        }


class OrderingForm(forms.Form):
    steps = PlainTextField(
        label=_("Steps, in the right order"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line."),
    )

    def entry(self) -> dict:
        return {"steps": _lines(self.cleaned_data["steps"])}


class MatchingForm(forms.Form):
    pairs = PlainTextField(
        label=_("Pairs"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: left => right"),
    )
    distractors = PlainTextField(
        label=_("Right-hand items that match nothing"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )

    def clean_pairs(self):
        pairs = []
        for line in _lines(self.cleaned_data["pairs"]):
            left, sep, right = line.partition("=>")
            if not sep:
                raise forms.ValidationError(_("Write each pair as: left => right"))
            pairs.append({"left": left.strip(), "right": right.strip()})
        return pairs

    def entry(self) -> dict:
        entry = {"pairs": self.cleaned_data["pairs"]}
        if self.cleaned_data["distractors"]:
            entry["distractors"] = _lines(self.cleaned_data["distractors"])
        return entry


class JsonKindForm(forms.Form):
    """The kind's own keys as JSON, for a kind without a form of its own."""

    spec = forms.JSONField(label=_("The kind's own keys (JSON)"))

    def entry(self) -> dict:
        spec = self.cleaned_data["spec"]
        if not isinstance(spec, dict):
            raise forms.ValidationError(_("Write a JSON object."))
        return spec


# The part of the form each kind adds; choice kinds use the options formset instead.
KIND_FORMS: dict[str, type[forms.Form] | None] = {
    "single": None,
    "multiple": None,
    "true_false": TrueFalseForm,
    "numeric": NumericForm,
    "ordering": OrderingForm,
    "matching": MatchingForm,
}
WITH_OPTIONS = {"single", "multiple"}


def kind_form_class(kind: str) -> type[forms.Form] | None:
    return KIND_FORMS.get(kind, JsonKindForm)


def _typed(value: str):
    """A listed value as the pack writes it: numbers as numbers, the rest as text."""
    try:
        return int(value)
    except ValueError:
        return value


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def behavior_codes(module) -> list[tuple[str, str]]:
    """Every behaviour a question of ``module`` may judge: the curriculum's, its module's
    first (calls and questions may judge rapport codes of other modules)."""
    rows = Behavior.objects.select_related("procedure__module").order_by(
        "procedure__module__order", "procedure__order", "order", "code"
    )
    mine = [(b.code, f"{b.code} · {b.label}") for b in rows if b.procedure.module_id == module.pk]
    others = [(b.code, f"{b.code} · {b.label}") for b in rows if b.procedure.module_id != module.pk]
    return mine + others


class Editor:
    """The question editor's forms bound together, and the entry they make. ``entry`` is what
    the editor starts from (a draft, a published question, or just the kind and procedure of
    a new one); its kind is fixed, and so is its key once the question exists."""

    def __init__(self, module, *, entry: Mapping, data=None, editing=False):
        self.module = module
        codes = behavior_codes(module)
        initial = _initial(entry)
        self.kind = entry["kind"]
        self.question = QuestionForm(
            data, initial=initial, module=module, codes=codes, editing=editing
        )
        facts, options = initial.get("facts", []), initial.get("options", [])
        # Room for what a question usually needs: two facts and four options at least.
        self.facts = formset_factory(
            FactForm, extra=max(1, 2 - len(facts)), can_delete=True, **_BOUNDS["facts"]
        )(data, initial=facts, prefix="facts")
        self.options = formset_factory(
            OptionForm, extra=max(1, 4 - len(options)), can_delete=True, **_BOUNDS["options"]
        )(data, initial=options, prefix="options", form_kwargs={"codes": codes})
        part = kind_form_class(self.kind)
        self.part = part(data, initial=initial.get("part", {}), prefix="part") if part else None
        self.with_options = self.kind in WITH_OPTIONS
        self.entry: dict | None = None
        self.problems: list[str] = []

    def field_problems(self) -> list[str]:
        """Every field error, named by its field (and its row in the facts and options), for
        the checks shown beside the form."""
        problems = []

        def add(form, prefix=""):
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    problems.append(f"{prefix}{label}: {error}" if label else f"{prefix}{error}")

        add(self.question)
        if self.part is not None:
            add(self.part)
        for title, formset in ((_("Fact"), self.facts), (_("Option"), self.options)):
            problems.extend(str(e) for e in formset.non_form_errors())
            for number, form in enumerate(formset.forms, start=1):
                add(form, f"{title} {number} · ")
        return problems or [str(_("Correct the fields marked below."))]

    def forms(self):
        return [self.question, self.facts, self.options, *([self.part] if self.part else [])]

    def check(self) -> bool:
        """Build the entry and check it as the pack would; ``problems`` says what is wrong."""
        if not self.question.is_bound:
            return False
        if not all(form.is_valid() for form in self.forms()):
            self.problems = self.field_problems()
            return False
        data = self.question.cleaned_data
        entry = {
            "key": data["key"],
            "procedure": data["procedure"].slug,
            "kind": self.kind,
            "stem": data["stem"],
            "facts": [f for f in (form.entry() for form in self.facts) if f],
            "behaviors": list(data["behaviors"]),
            "explanation": data["explanation"],
            "manual": data["manual"],
        }
        if self.kind in WITH_OPTIONS:
            entry["options"] = [o for o in (form.entry() for form in self.options) if o]
        elif self.part is not None:
            try:
                entry.update(self.part.entry())
            except forms.ValidationError as exc:
                self.problems = list(exc.messages)
                return False
        self.entry = {k: v for k, v in entry.items() if v not in ([], "") or k in COLUMNS}
        self.problems = entry_problems(self.entry, self.module)
        return not self.problems


def entry_problems(entry: Mapping, module) -> list[str]:
    """Every problem of a question entry of ``module``, found by the loader's own check of a
    question (``quizzes.pack.question_entry_errors``) against the curriculum in the database:
    the editor and the loader refuse the same input with the same message."""
    index = index_from_database()
    errors = question_entry_errors(dict(entry), module=module.slug, index=index)
    return [f"{e.path}: {e.message}" if e.path else e.message for e in errors]


def entry_of(question) -> dict:
    """A stored question as the entry a pack file holds."""
    return {
        "key": question.key,
        "procedure": question.procedure.slug,
        "kind": question.kind,
        "stem": question.stem,
        **question.spec,
        "explanation": question.explanation,
        "manual": question.manual_quote,
    }


def validated(entry: Mapping):
    """The entry as the pack's model (after ``entry_problems`` found nothing)."""
    return _QUESTION.validate_python(dict(entry))


def _initial(entry: Mapping) -> dict:
    """Form initial data from an entry."""
    initial = {
        "key": entry.get("key"),
        "kind": entry.get("kind"),
        "stem": entry.get("stem"),
        "behaviors": list(entry.get("behaviors", [])),
        "explanation": entry.get("explanation"),
        "manual": entry.get("manual"),
        "facts": [
            {
                "name": f.get("name"),
                "kind": f.get("kind"),
                "label": f.get("label", ""),
                "min": f.get("min"),
                "max": f.get("max"),
                "choices": "\n".join(str(c) for c in f.get("choices", [])),
            }
            for f in entry.get("facts", [])
        ],
        "options": [
            {
                "text": o.get("text"),
                "correct": o.get("correct", False),
                "correct_when": o.get("correct_when", ""),
                "behaviors": o.get("behaviors", []),
                "breaks": o.get("breaks", []),
            }
            for o in entry.get("options", [])
        ],
    }
    procedure = entry.get("procedure")
    if procedure:
        initial["procedure"] = Procedure.objects.filter(slug=procedure).first()
    kind = entry.get("kind")
    if kind == "true_false":
        if entry.get("answer_when"):
            initial["part"] = {"answer": "when", "answer_when": entry["answer_when"]}
        else:
            initial["part"] = {"answer": "true" if entry.get("answer") else "false"}
    elif kind == "numeric":
        initial["part"] = {k: entry.get(k) for k in ("answer", "tolerance", "unit")}
    elif kind == "ordering":
        initial["part"] = {"steps": "\n".join(entry.get("steps", []))}
    elif kind == "matching":
        initial["part"] = {
            "pairs": "\n".join(f"{p['left']} => {p['right']}" for p in entry.get("pairs", [])),
            "distractors": "\n".join(entry.get("distractors", [])),
        }
    elif kind not in WITH_OPTIONS and kind:
        own = {k: v for k, v in entry.items() if k not in (*COLUMNS, "facts", "behaviors")}
        initial["part"] = {"spec": json.dumps(own, ensure_ascii=False)}
    return initial


# --- preview and warnings -------------------------------------------------------------------


def _content(entry, procedure) -> QuestionContent:
    return QuestionContent(
        id=0,
        key=entry.key,
        version=0,
        kind=entry.kind,
        stem=entry.stem,
        spec=spec_of(entry),
        explanation=entry.explanation,
        manual_quote=entry.manual,
        procedure_id=procedure.pk,
        procedure_slug=procedure.slug,
        procedure_title=procedure.title,
        module_slug=procedure.module.slug,
    )


def fact_cases(entry: Mapping) -> list[dict]:
    """Every fact case of a checked entry the preview may show: the boundary values of each
    fact, combined (one empty case for a question without facts)."""
    question = validated(entry)
    conditions = [c for _, c in kind_of(question.kind).conditions(question)]
    specs = fact_specs({"facts": [f.model_dump() for f in question.facts]})
    try:
        return [dict(case) for case in fact_combinations(specs, conditions)]
    except TooManyCombinations:
        return []


def preview(entry: Mapping, facts: Mapping) -> ReviewedItem:
    """The question as a trainee would get it with these ``facts``, options in authored order,
    shown as its review with the right answer given."""
    question = validated(entry)
    procedure = Procedure.objects.select_related("module").get(slug=question.procedure)
    served = serve_question(
        _content(question, procedure), position=0, seed=0, shuffle_options=False, facts=facts
    )
    kind = kind_of(served["kind"])
    right = kind.right(served)
    return ReviewedItem(
        served=served,
        response=right,
        result=grading.grade_item(grading.item_from_served(served), right),
        review=kind.review(served, right),
        template=kind.template,
    )


def entry_warnings(entry: Mapping) -> list[str]:
    """What the look of the options gives away (a checked entry): a key longer than every
    wrong option in every fact case, absolute words only in the wrong options."""
    question = validated(entry)
    procedure = Procedure.objects.select_related("module").get(slug=question.procedure)
    content = _content(question, procedure)
    found = giveaways([content])
    warnings = []
    if found.longest_keys:
        ratio = found.longest_keys[0][1]
        warnings.append(
            gettext(
                "The right option is the longest in every fact case (%(ratio)s× the longest "
                "wrong one): a candidate who picks the longest line gets it without reading. "
                "Make a wrong option as long and as complete."
            )
            % {"ratio": ratio}
        )
    if found.cases and found.wrong_absolute > 0 and found.key_absolute == 0:
        words = sorted(
            {
                word
                for option in content.spec.get("options", ())
                for word in absolute_words(option["text"])
            }
        )
        warnings.append(
            gettext(
                "Only wrong options carry absolute words (%(words)s): a candidate who avoids "
                "them gets it without reading."
            )
            % {"words": ", ".join(words)}
        )
    return warnings
