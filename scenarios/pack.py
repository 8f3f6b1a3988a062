"""The scenarios section of the content pack: one YAML file per call under ``scenarios/``,
validated (schema, references to the curriculum, authoring checks), written as new scenario
versions when a call changes, and exported back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from scenarios.chat import MAX_REPLY
from scenarios.checks import check_scenario
from scenarios.grading import ITEM_KINDS, SECTIONS
from scenarios.models import Scenario, ScenarioVersion
from training.models import Module, Procedure
from training.pack.loader import Claims, PackIndex, Report, digest, parse_files
from training.pack.schema import (
    Code,
    FactEntry,
    FactName,
    ShortText,
    Slug,
    Strict,
    Text,
    Title,
)
from training.pack.source import PackError, PackInvalid, SourceFile, parse_yaml

# Keys of a scenario file that describe the call rather than play it.
META_KEYS = ("slug", "module", "title", "summary", "order", "procedures")
# Paths under /calls/ that a scenario's slug would shadow.
RESERVED_SLUGS = {"checks", "modules", "runs", "new", "editor", "drafts"}


class PersonaEntry(Strict):
    names: Annotated[list[Text], Field(min_length=1)]
    mood: Text
    segment: Text
    description: str = ""


class ScreenEntry(Strict):
    contract_status: str | None = None
    open_invoices: str | None = None
    contract_start: str | None = None
    products: list[Text] | None = None
    notes: list[Text] | None = None


class BranchEntry(Strict):
    step: Slug
    when: Text | None = None


class PerformedEntry(Strict):
    code: Code
    when: Text


class ChoiceEntry(Strict):
    id: Slug
    say: Text
    behaviors: list[Code | PerformedEntry] = []
    neutral: Text | None = None
    reply: Text | None = None
    when: Text | None = None
    next: Slug | Annotated[list[BranchEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _performs_or_says_why_not(self):
        if not self.behaviors and not self.neutral:
            raise ValueError(
                "a choice performs at least one behaviour, or says in neutral: why saying it "
                "is neither right nor wrong"
            )
        if self.behaviors and self.neutral:
            raise ValueError("a choice that performs behaviours is not neutral")
        return self

    def codes(self) -> list[str]:
        return [b if isinstance(b, str) else b.code for b in self.behaviors]


class ValueEntry(Strict):
    """A figure a typed reply must state: a fact of the run or a fixed number, in a unit."""

    fact: FactName | None = None
    equals: Annotated[float, Field(ge=0, le=10**9)] | None = None
    unit: ShortText = ""
    tolerance: Annotated[float, Field(ge=0, le=10**6)] = 0

    @model_validator(mode="after")
    def _one_target(self):
        if (self.fact is None) == (self.equals is None):
            raise ValueError("a value names a fact or says what it equals (one of the two)")
        return self


class ConceptEntry(Strict):
    """An idea a typed reply must carry (required) or must not (forbidden), the behaviours
    carrying it performs, and how it may be said."""

    id: Slug
    kind: Literal["required", "forbidden"] = "required"
    label: ShortText
    behaviors: Annotated[list[Code], Field(min_length=1)]
    phrasings: Annotated[list[ShortText], Field(max_length=60)] = []
    value: ValueEntry | None = None
    when: Text | None = None

    @model_validator(mode="after")
    def _said_somehow(self):
        if not self.phrasings and self.value is None:
            raise ValueError("a concept needs phrasings, a value, or both")
        return self


class SampleEntry(Strict):
    reply: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_REPLY)]
    expect: Literal["accepted", "rejected"]
    when: Text | None = None


class TypedEntry(Strict):
    """A step answered in the agent's own words instead of a menu."""

    concepts: Annotated[list[ConceptEntry], Field(min_length=1, max_length=30)]
    next: Slug | Annotated[list[BranchEntry], Field(min_length=1)]
    samples: Annotated[list[SampleEntry], Field(min_length=2, max_length=60)]

    @model_validator(mode="after")
    def _well_formed(self):
        ids = [c.id for c in self.concepts]
        if len(ids) != len(set(ids)):
            raise ValueError("two concepts share an id")
        if not any(c.kind == "required" for c in self.concepts):
            raise ValueError("a typed step needs at least one required concept")
        expected = {s.expect for s in self.samples}
        if expected != {"accepted", "rejected"}:
            raise ValueError("samples must include replies to accept and replies to reject")
        return self

    def codes(self) -> list[str]:
        return [code for concept in self.concepts for code in concept.behaviors]


class StepEntry(Strict):
    id: Slug
    customer: Text
    screen: ScreenEntry | None = None
    choices: list[ChoiceEntry] = []
    typed: TypedEntry | None = None
    outcome: Text | None = None

    @model_validator(mode="after")
    def _menu_or_typed(self):
        if self.typed is not None and (self.choices or self.outcome):
            raise ValueError("a typed step has neither choices nor an outcome")
        return self

    def codes(self) -> list[str]:
        found = [code for choice in self.choices for code in choice.codes()]
        return found + (self.typed.codes() if self.typed else [])


class ItemEntry(Strict):
    id: Slug
    section: Literal[tuple(str(s) for s in SECTIONS)]
    kind: Literal[tuple(str(k) for k in ITEM_KINDS)]
    behavior: Code
    before: Code | None = None
    weight: Annotated[int, Field(strict=True, ge=1, le=10)] = 1
    when: Text | None = None
    expert: str = ""

    @model_validator(mode="after")
    def _order(self):
        if self.kind == "order" and not self.before:
            raise ValueError("an order item needs before: the behaviour that must come later")
        if self.kind != "order" and self.before:
            raise ValueError("only order items have before")
        return self


class RubricEntry(Strict):
    pass_mark: Annotated[int, Field(strict=True, ge=0, le=100)] = 70
    items: Annotated[list[ItemEntry], Field(min_length=1)]


class ScenarioFile(Strict):
    slug: Slug
    module: Slug
    title: Title
    summary: Text
    order: Annotated[int, Field(strict=True, ge=0)] = 0
    procedures: list[Slug] = []
    persona: PersonaEntry
    facts: list[FactEntry] = []
    screen: ScreenEntry = ScreenEntry()
    steps: Annotated[list[StepEntry], Field(min_length=1)]
    rubric: RubricEntry

    @field_validator("slug")
    @classmethod
    def _not_a_page(cls, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(f"{value!r} is the address of another page; choose another slug")
        return value

    def data(self) -> dict[str, object]:
        """The file's canonical data: what an author writes, defaults left out."""
        return self.model_dump(exclude_defaults=True, exclude_none=True)

    def definition(self) -> dict[str, object]:
        """What a run plays and is graded against (frozen on each scenario version)."""
        return {k: v for k, v in self.data().items() if k not in META_KEYS}


@dataclass(frozen=True)
class _Parsed:
    file: SourceFile
    content: ScenarioFile


class ScenarioSection:
    """Simulated calls; they refer to the curriculum's modules, procedures and behaviours."""

    name = "scenarios"
    folder = "scenarios"

    def __init__(self) -> None:
        self._scenarios: list[ScenarioFile] = []

    # --- validation -----------------------------------------------------------------------

    def validate(self, files: list[SourceFile], index: PackIndex) -> list[PackError]:
        found, errors = parse_files(files, ScenarioFile, shape="a scenario file must be a mapping")
        parsed: list[_Parsed] = []
        claims = Claims()
        violations = index.violations
        for source, content in found:
            stem = source.name.rsplit("/", 1)[-1].removesuffix(".yaml")
            if stem != content.slug:
                errors.append(
                    source.error(("slug",), f"the file must be named {content.slug}.yaml")
                )
            if duplicate := claims.claim("scenario slug", content.slug, source, ("slug",)):
                errors.append(duplicate)
            errors.extend(_check_call(source, content, index, violations))
            parsed.append(_Parsed(source, content))
        self._scenarios = [p.content for p in parsed]
        for item in parsed:
            index.add_module_content(item.content.module, {"scenario": item.content.data()})
        return errors

    def definitions(self) -> dict[str, dict[str, object]]:
        """Per validated call, by slug, the definition a run plays, for checks that need no
        database."""
        return {content.slug: content.definition() for content in self._scenarios}

    # --- writing --------------------------------------------------------------------------

    def write(self, index: PackIndex, report: Report) -> None:
        if not self._scenarios:
            # A pack without scenario files must not read as "retire every call".
            return
        report.counts.setdefault("scenarios", Counter())
        modules = dict(Module.objects.values_list("slug", "pk"))
        procedures = dict(Procedure.objects.values_list("slug", "pk"))
        existing = {s.slug: s for s in Scenario.objects.prefetch_related("procedures")}
        hashes = dict(ScenarioVersion.objects.current().values_list("scenario_id", "content_hash"))
        new_versions = []
        for content in self._scenarios:
            definition = content.definition()
            fingerprint = digest(definition)
            values = {
                "module_id": modules[content.module],
                "title": content.title,
                "summary": content.summary,
                "order": content.order,
                "is_active": True,
            }
            wanted = {procedures[slug] for slug in content.procedures}
            row = existing.get(content.slug)
            if row is None:
                row = Scenario.objects.create(slug=content.slug, version=1, **values)
                row.procedures.set(wanted)
                new_versions.append(
                    ScenarioVersion(
                        scenario=row, number=1, definition=definition, content_hash=fingerprint
                    )
                )
                report.add("scenarios", "created")
                continue
            changed = any(getattr(row, k) != v for k, v in values.items())
            if hashes.get(row.pk) != fingerprint:
                row.version += 1
                new_versions.append(
                    ScenarioVersion(
                        scenario=row,
                        number=row.version,
                        definition=definition,
                        content_hash=fingerprint,
                    )
                )
                changed = True
            if {p.pk for p in row.procedures.all()} != wanted:
                row.procedures.set(wanted)
                changed = True
            if changed:
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
                report.add("scenarios", "updated")
            else:
                report.add("scenarios", "unchanged")
        ScenarioVersion.objects.bulk_create(new_versions)
        self._remove_missing(existing, report)

    def _remove_missing(self, existing: dict[str, Scenario], report: Report) -> None:
        """Calls gone from the pack: deleted when nobody played them, else retired, since
        their runs are trainees' results."""
        kept = {c.slug for c in self._scenarios}
        gone = [s for slug, s in existing.items() if slug not in kept and s.is_active]
        if not gone:
            return
        played = set(
            Scenario.objects.filter(pk__in=[s.pk for s in gone], runs__isnull=False).values_list(
                "pk", flat=True
            )
        )
        Scenario.objects.filter(pk__in=played).update(is_active=False)
        Scenario.objects.filter(pk__in=[s.pk for s in gone if s.pk not in played]).delete()
        for _ in gone:
            report.add("scenarios", "deleted")

    # --- export ---------------------------------------------------------------------------

    def export(self) -> dict[str, object]:
        scenarios = (
            Scenario.objects.active()
            .select_related("module")
            .prefetch_related("procedures")
            .order_by("module__order", "order", "slug")
        )
        versions = {v.scenario_id: v.definition for v in ScenarioVersion.objects.current()}
        return {
            f"{scenario.slug}.yaml": call_file_data(scenario, versions[scenario.pk])
            for scenario in scenarios
        }


def call_file_data(scenario: Scenario, definition: dict[str, object]) -> dict[str, object]:
    """A call as its pack file holds it: what the scenario says of itself, then the
    ``definition`` of one of its versions (procedures prefetched or not)."""
    data: dict[str, object] = {
        "slug": scenario.slug,
        "module": scenario.module.slug,
        "title": scenario.title,
        "summary": scenario.summary,
    }
    if scenario.order:
        data["order"] = scenario.order
    slugs = sorted((p for p in scenario.procedures.all()), key=lambda p: (p.order, p.slug))
    if slugs:
        data["procedures"] = [p.slug for p in slugs]
    return data | definition


def call_codes(content: ScenarioFile) -> set[str]:
    """Every behaviour code a call judges: its choices' and its rubric's."""
    codes = {code for step in content.steps for code in step.codes()}
    for item in content.rubric.items:
        codes |= {item.behavior, *([item.before] if item.before else [])}
    return codes


def _check_call(
    source: SourceFile, content: ScenarioFile, index: PackIndex, violations: set[str]
) -> list[PackError]:
    """A call's references to the curriculum, then (when they hold) its graph, conditions,
    rubric and the proof that every way of breaking a rule costs."""
    errors = _references(source, content, index)
    if not errors:
        report = check_scenario(content.definition(), violations)
        errors.extend(source.error(p.path, p.message) for p in report.problems)
    return errors


def call_errors(text: str, index: PackIndex) -> tuple[ScenarioFile | None, list[PackError]]:
    """One call file's text checked exactly as the loader checks a file of the pack (same
    parser, schema, references and proof, same messages and lines); the call when it passes."""
    try:
        source = parse_yaml(text, "call.yaml")
    except PackInvalid as exc:
        return None, list(exc.errors)
    found, errors = parse_files([source], ScenarioFile, shape="a scenario file must be a mapping")
    if errors or not found:
        return None, errors
    content = found[0][1]
    errors = _check_call(source, content, index, index.violations)
    return (None if errors else content), errors


def _references(source: SourceFile, content: ScenarioFile, index: PackIndex) -> list[PackError]:
    errors = []
    if content.module not in index.modules:
        errors.append(source.error(("module",), f"unknown module {content.module!r}"))
    for i, slug in enumerate(content.procedures):
        if slug not in index.procedures:
            errors.append(source.error(("procedures", i), f"unknown procedure {slug!r}"))

    def code(path: tuple, value: str | None) -> None:
        if value and value not in index.behaviors:
            errors.append(source.error(path, f"unknown behaviour {value!r}"))

    for i, step in enumerate(content.steps):
        for j, choice in enumerate(step.choices):
            for k, value in enumerate(choice.codes()):
                path = ("steps", i, "choices", j, "behaviors", k)
                code(path if isinstance(choice.behaviors[k], str) else (*path, "code"), value)
        for j, concept in enumerate(step.typed.concepts if step.typed else ()):
            for k, value in enumerate(concept.behaviors):
                code(("steps", i, "typed", "concepts", j, "behaviors", k), value)
    for i, item in enumerate(content.rubric.items):
        code(("rubric", "items", i, "behavior"), item.behavior)
        code(("rubric", "items", i, "before"), item.before)
    return errors
