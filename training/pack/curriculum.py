"""The curriculum section of the pack: one YAML file per module under ``modules/``, holding its
procedures and their behaviours, validated, written by slug and code, and exported back."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Literal

from django.db.models import Prefetch
from pydantic import Field

from training.coverage import BehaviorRef
from training.models import Behavior, Module, Procedure
from training.pack.loader import Claims, PackIndex, Report, assign, differs, parse_files
from training.pack.schema import Code, Slug, Strict, text
from training.pack.source import PackError, SourceFile

Kind = Literal["disclosure", "probe", "action", "rapport", "violation"]


class BehaviorEntry(Strict):
    code: Code
    label: text(300)
    kind: Kind
    description: Annotated[str, Field(strict=True)] = ""
    manual: text()
    interpretation: Annotated[str, Field(strict=True)] = ""


class ProcedureEntry(Strict):
    slug: Slug
    title: text(200)
    guidance: text()
    behaviors: list[BehaviorEntry]


class ModuleHeader(Strict):
    slug: Slug
    title: text(200)
    summary: text()
    order: Annotated[int, Field(strict=True, ge=0)]
    # The module's certification policy: validated and written by the certification section
    # (certification.pack), which reads the same files.
    certification: dict[str, object] | None = None


class ModuleFile(Strict):
    module: ModuleHeader
    procedures: list[ProcedureEntry]


# Keys allowed at each level, for "did you mean" hints on unknown keys.
_KEYS_BY_DEPTH = {
    re.compile(r"[^.\[]+"): ModuleFile,
    re.compile(r"module\.[^.\[]+"): ModuleHeader,
    re.compile(r"procedures\[\d+\]\.[^.\[]+"): ProcedureEntry,
    re.compile(r"procedures\[\d+\]\.behaviors\[\d+\]\.[^.\[]+"): BehaviorEntry,
}


def _explain_unknown_keys(errors: list[PackError]) -> list[PackError]:
    """Name the allowed keys, or the one a misspelt key was meant to be; a misspelt key then
    needs no second message saying that the intended one is missing."""
    explained, meant = [], set()
    for error in errors:
        if error.message == "unknown key":
            error, key = _explain_unknown_key(error)
            if key:
                parent = error.path.rpartition(".")[0]
                meant.add(f"{parent}.{key}" if parent else key)
        explained.append(error)
    return [
        e for e in explained if not (e.message == "required key is missing" and e.path in meant)
    ]


def _explain_unknown_key(error: PackError) -> tuple[PackError, str | None]:
    for pattern, model in _KEYS_BY_DEPTH.items():
        if pattern.fullmatch(error.path):
            key = re.split(r"[.\]]", error.path)[-1]
            allowed = list(model.model_fields)
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(allowed)
            fixed = PackError(error.file, error.line, error.path, f"unknown key, {hint}")
            return fixed, close[0] if close else None
    return error, None


@dataclass(frozen=True)
class _Parsed:
    file: SourceFile
    content: ModuleFile


class CurriculumSection:
    """Modules, procedures and behaviours: the vocabulary every other section refers to."""

    name = "curriculum"
    folder = "modules"

    def __init__(self) -> None:
        self._modules: list[ModuleFile] = []

    # --- validation -----------------------------------------------------------------------

    def validate(self, files: list[SourceFile], index: PackIndex) -> list[PackError]:
        found, problems = parse_files(
            files, ModuleFile, shape="a module file must be a mapping with module and procedures"
        )
        parsed = [_Parsed(source, content) for source, content in found]
        errors = _explain_unknown_keys(problems)
        errors.extend(self._check_across_files(parsed, index))
        self._modules = [p.content for p in parsed]
        for item in parsed:
            # The policy is not content: changing it must not move the module's version.
            data = item.content.model_dump(exclude={"module": {"certification"}})
            index.add_module_content(item.content.module.slug, data)
        return errors

    def behavior_refs(self) -> list[BehaviorRef]:
        """Every validated behaviour, in the pack's order, for checks that need no database."""
        return [
            BehaviorRef(content.module.slug, procedure.slug, b.code, b.label, b.kind)
            for content in self._modules
            for procedure in content.procedures
            for b in procedure.behaviors
        ]

    def manual_text(self) -> str:
        """The manual's words as the pack quotes them, for the guesser who echoes them."""
        return "\n".join(b.manual for c in self._modules for p in c.procedures for b in p.behaviors)

    def _check_across_files(self, parsed: list[_Parsed], index: PackIndex) -> list[PackError]:
        errors: list[PackError] = []
        claims = Claims()

        def claim(kind: str, key: str, source: SourceFile, path: tuple) -> bool:
            duplicate = claims.claim(kind, key, source, path)
            if duplicate:
                errors.append(duplicate)
            return duplicate is None

        for source, content in ((p.file, p.content) for p in parsed):
            module = content.module.slug
            if claim("module slug", module, source, ("module", "slug")):
                index.modules.add(module)
            if not content.procedures:
                errors.append(
                    source.error(("procedures",), "a module needs at least one procedure")
                )
            for i, procedure in enumerate(content.procedures):
                path = ("procedures", i)
                if claim("procedure slug", procedure.slug, source, (*path, "slug")):
                    index.procedures[procedure.slug] = module
                if not procedure.behaviors:
                    errors.append(
                        source.error(
                            (*path, "behaviors"), "a procedure needs at least one behaviour"
                        )
                    )
                for j, behavior in enumerate(procedure.behaviors):
                    code_path = (*path, "behaviors", j, "code")
                    if claim("behaviour code", behavior.code, source, code_path):
                        index.behaviors[behavior.code] = procedure.slug
                        index.behavior_kinds[behavior.code] = behavior.kind
        return errors

    # --- writing --------------------------------------------------------------------------

    def write(self, index: PackIndex, report: Report) -> None:
        if not self._modules:
            # A pack without module files (a wrong folder, a quizzes-only pack) must not be
            # read as "delete the whole curriculum".
            return
        for kind in ("modules", "procedures", "behaviors"):
            report.counts.setdefault(kind, Counter())  # report lines in this order
        # One read per model; rows are matched by slug and code, never by id.
        modules = {m.slug: m for m in Module.objects.all()}
        procedures = {p.slug: p for p in Procedure.objects.all()}
        behaviors = {b.code: b for b in Behavior.objects.all()}
        module_of_procedure = {p.pk: p.module_id for p in procedures.values()}
        # Modules whose procedures or behaviours change in this load: their version moves even
        # when the pack did not change, since the database did (an edit made outside the pack).
        touched: set[int] = set()

        new_modules = [
            Module(
                slug=c.module.slug,
                version=1,
                content_hash=index.module_digest(c.module.slug),
                **_module_values(c.module),
            )
            for c in self._modules
            if c.module.slug not in modules
        ]
        Module.objects.bulk_create(new_modules)
        module_rows = {**modules, **{m.slug: m for m in new_modules}}

        procedure_rows = self._write_procedures(module_rows, procedures, report, touched)
        self._write_behaviors(procedure_rows, behaviors, module_of_procedure, report, touched)

        # Children first: rows that moved elsewhere were updated above, so these deletes only
        # remove what the pack no longer has, and no cascade removes anything unreported.
        codes = {b.code for c in self._modules for p in c.procedures for b in p.behaviors}
        gone_behaviors = [b for code, b in behaviors.items() if code not in codes]
        touched.update(module_of_procedure[b.procedure_id] for b in gone_behaviors)
        _delete(Behavior, gone_behaviors, "behaviors", report)
        gone_procedures = [p for slug, p in procedures.items() if slug not in procedure_rows]
        touched.update(p.module_id for p in gone_procedures)
        _delete(Procedure, gone_procedures, "procedures", report)

        self._finish_modules(index, modules, report, touched)
        slugs = {c.module.slug for c in self._modules}
        _delete(Module, [m for slug, m in modules.items() if slug not in slugs], "modules", report)

    def _write_procedures(self, module_rows, existing, report, touched) -> dict[str, Procedure]:
        rows, new, changed = {}, [], []
        for content in self._modules:
            module = module_rows[content.module.slug]
            for position, entry in enumerate(content.procedures, start=1):
                values = {
                    "module_id": module.pk,
                    "title": entry.title,
                    "order": position,
                    "guidance": entry.guidance,
                }
                row = existing.get(entry.slug)
                if row is None:
                    row = Procedure(slug=entry.slug, **values)
                    new.append(row)
                    outcome = "created"
                elif differs(row, values):
                    touched.add(row.module_id)
                    assign(row, values)
                    changed.append(row)
                    outcome = "updated"
                else:
                    outcome = "unchanged"
                if outcome != "unchanged":
                    touched.add(module.pk)
                report.add("procedures", outcome)
                rows[entry.slug] = row
        Procedure.objects.bulk_create(new)
        Procedure.objects.bulk_update(changed, ["module_id", "title", "order", "guidance"])
        return rows

    def _write_behaviors(self, procedure_rows, existing, module_of, report, touched) -> None:
        new, changed = [], []
        for content in self._modules:
            for procedure in content.procedures:
                parent = procedure_rows[procedure.slug]
                for position, entry in enumerate(procedure.behaviors, start=1):
                    values = {
                        "procedure_id": parent.pk,
                        "label": entry.label,
                        "kind": entry.kind,
                        "description": entry.description,
                        "manual_quote": entry.manual,
                        "interpretation": entry.interpretation,
                        "order": position,
                    }
                    row = existing.get(entry.code)
                    if row is None:
                        new.append(Behavior(code=entry.code, **values))
                        outcome = "created"
                    elif differs(row, values):
                        touched.add(module_of.get(row.procedure_id, parent.module_id))
                        assign(row, values)
                        changed.append(row)
                        outcome = "updated"
                    else:
                        outcome = "unchanged"
                    if outcome != "unchanged":
                        touched.add(parent.module_id)
                    report.add("behaviors", outcome)
        Behavior.objects.bulk_create(new)
        Behavior.objects.bulk_update(changed, _BEHAVIOR_FIELDS)

    def _finish_modules(self, index, existing, report, touched) -> None:
        """Bump the version of every existing module whose content changed; count them all."""
        changed = []
        for content in self._modules:
            slug = content.module.slug
            digest = index.module_digest(slug)
            row = existing.get(slug)
            if row is None:
                report.add("modules", "created")
                continue
            values = _module_values(content.module)
            if differs(row, values) or row.content_hash != digest or row.pk in touched:
                assign(row, values)
                row.version += 1
                row.content_hash = digest
                changed.append(row)
                report.add("modules", "updated")
            else:
                report.add("modules", "unchanged")
        Module.objects.bulk_update(
            changed, ["title", "summary", "order", "version", "content_hash"]
        )

    # --- export ---------------------------------------------------------------------------

    def export(self) -> dict[str, object]:
        modules = Module.objects.order_by("order", "slug").prefetch_related(
            Prefetch(
                "procedures",
                queryset=Procedure.objects.order_by("order", "slug").prefetch_related(
                    Prefetch("behaviors", queryset=Behavior.objects.order_by("order", "code"))
                ),
            )
        )
        return {f"{m.order:02d}-{m.slug}.yaml": _module_data(m) for m in modules}


_BEHAVIOR_FIELDS = [
    "procedure_id",
    "label",
    "kind",
    "description",
    "manual_quote",
    "interpretation",
    "order",
]


def _module_values(header: ModuleHeader) -> dict[str, object]:
    return {"title": header.title, "summary": header.summary, "order": header.order}


def _delete(model, rows: list, kind: str, report: Report) -> None:
    if rows:
        model.objects.filter(pk__in=[r.pk for r in rows]).delete()
    for _ in rows:
        report.add(kind, "deleted")


def _module_data(module: Module) -> dict[str, object]:
    """A module as its author writes it: keys in the documented order, defaults left out."""
    header: dict[str, object] = {
        "slug": module.slug,
        "title": module.title,
        "summary": module.summary,
        "order": module.order,
    }
    return {
        "module": header,
        "procedures": [
            {
                "slug": procedure.slug,
                "title": procedure.title,
                "guidance": procedure.guidance,
                "behaviors": [_behavior_data(b) for b in procedure.behaviors.all()],
            }
            for procedure in module.procedures.all()
        ],
    }


def _behavior_data(behavior: Behavior) -> dict[str, object]:
    data: dict[str, object] = {
        "code": behavior.code,
        "label": behavior.label,
        "kind": behavior.kind,
    }
    if behavior.description:
        data["description"] = behavior.description
    data["manual"] = behavior.manual_quote
    if behavior.interpretation:
        data["interpretation"] = behavior.interpretation
    return data
