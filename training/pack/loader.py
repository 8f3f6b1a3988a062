"""Loading and exporting the whole pack through its sections, all or nothing.

A section is one kind of content (curriculum, quizzes, scenarios), kept in its
own folder under the pack root. Every section validates before any writes; if
any file has a problem, nothing is written and every problem is reported.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from training.audit import audit_record
from training.models import AuditEvent, Behavior, Module, Procedure, Publication
from training.pack.source import PackError, PackInvalid, SourceFile, dump_yaml, read_yaml


@dataclass
class Report:
    """What a load did (or, on a dry run, would do), per kind of object."""

    counts: dict[str, Counter] = field(default_factory=dict)
    # Per kind, the keys of what was created, updated or deleted (where the section names them).
    keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Modules whose content version moved, and those of them edited in the browser since the
    # last export (a load refuses to overwrite these unless forced).
    modules_changed: list[str] = field(default_factory=list)
    overwrites: list[str] = field(default_factory=list)

    def add(self, kind: str, outcome: str, key: str | None = None) -> None:
        assert outcome in {"created", "updated", "unchanged", "deleted"}, outcome
        self.counts.setdefault(kind, Counter())[outcome] += 1
        if key is not None and outcome != "unchanged":
            self.keys.setdefault(kind, {}).setdefault(outcome, []).append(key)

    def changes(self) -> list[str]:
        """What a load changes, named: one line per kind and outcome."""
        return [
            f"{kind} {outcome}: {', '.join(sorted(keys))}"
            for kind, outcomes in self.keys.items()
            for outcome, keys in outcomes.items()
        ]

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged" + (f", {c['deleted']} deleted" if c["deleted"] else "")
            for kind, c in self.counts.items()
        ]


@dataclass
class PackIndex:
    """What validated sections define, so later sections can check their references."""

    modules: set[str] = field(default_factory=set)
    procedures: dict[str, str] = field(default_factory=dict)  # slug -> module slug
    behaviors: dict[str, str] = field(default_factory=dict)  # code -> procedure slug
    behavior_kinds: dict[str, str] = field(default_factory=dict)  # code -> kind
    # Every section adds the canonical form of each module's content here, so the
    # module's version moves whenever any of it (text, questions, calls) changes.
    module_content: dict[str, list[object]] = field(default_factory=dict)

    @property
    def violations(self) -> set[str]:
        """The codes of named ways of breaking a rule of the manual."""
        return {code for code, kind in self.behavior_kinds.items() if kind == "violation"}

    def add_module_content(self, module_slug: str, data: object) -> None:
        self.module_content.setdefault(module_slug, []).append(data)

    def module_digest(self, module_slug: str) -> str:
        return digest(self.module_content.get(module_slug, []))


def index_from_database() -> PackIndex:
    """What the database's curriculum defines, for checking one question or call written in
    the browser exactly as a pack's are checked against the pack's curriculum."""
    index = PackIndex(modules=set(Module.objects.values_list("slug", flat=True)))
    for code, procedure, kind in Behavior.objects.values_list("code", "procedure__slug", "kind"):
        index.behaviors[code] = procedure
        index.behavior_kinds[code] = kind
    index.procedures = dict(Procedure.objects.values_list("slug", "module__slug"))
    return index


def digest(data: object) -> str:
    """A fingerprint of content: the same data always gives the same text to hash."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Claims:
    """Where each slug, code or key was first defined in the pack, so a duplicate names both
    places."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], str] = {}

    def claim(self, kind: str, key: str, source: SourceFile, path: tuple) -> PackError | None:
        """None for the first definition; the error for any later one."""
        where = f"{source.name}:{source.line_of(path)}"
        first = self._first.setdefault((kind, key), where)
        if first != where:
            return source.error(path, f"duplicate {kind} {key!r}, also at {first}")
        return None


def parse_files(files: list[SourceFile], model, *, shape: str):
    """Each file checked against ``model``: (source, content) for the ones that fit, and every
    problem; a file that is not a mapping gets the ``shape`` message."""
    parsed, errors = [], []
    for source in files:
        if not isinstance(source.data, dict):
            errors.append(source.error((), shape))
            continue
        content, problems = source.validate(model)
        errors.extend(problems)
        if content is not None:
            parsed.append((source, content))
    return parsed, errors


def differs(row, values: dict[str, object]) -> bool:
    """Whether a database row holds other values than the pack gives it."""
    return any(getattr(row, name) != value for name, value in values.items())


def assign(row, values: dict[str, object]) -> None:
    for name, value in values.items():
        setattr(row, name, value)


class Section(Protocol):
    name: str
    folder: str  # sub-folder of the pack root holding this section's *.yaml files

    def validate(self, files: list[SourceFile], index: PackIndex) -> list[PackError]:
        """Check schema and references; record what this section defines in ``index``."""

    def write(self, index: PackIndex, report: Report) -> None:
        """Write the validated content; runs inside the load's transaction."""

    def export(self) -> dict[str, object]:
        """The database's content as pack data: relative file name -> data."""


def sections() -> list[Section]:
    return [import_string(path)() for path in settings.CONTENT_SECTIONS]


def read_section_files(root: Path, folder: str) -> tuple[list[SourceFile], list[PackError]]:
    files, errors = [], []
    for path in sorted((root / folder).glob("*.yaml")):
        name = f"{root.name}/{folder}/{path.name}"
        try:
            files.append(read_yaml(path, name))
        except PackInvalid as exc:
            errors.extend(exc.errors)
    return files, errors


def validate_pack(root: Path) -> tuple[list[Section], PackIndex]:
    """Validate every section of the pack at ``root``; raise PackInvalid listing every problem."""
    if not root.is_dir():
        raise PackInvalid([PackError(str(root), 1, "", "no such pack folder")])
    index = PackIndex()
    found, errors = sections(), []
    for section in found:
        files, read_errors = read_section_files(root, section.folder)
        errors.extend(read_errors)
        errors.extend(section.validate(files, index))
    if errors:
        raise PackInvalid(errors)
    return found, index


class EditedInBrowser(Exception):
    """The pack would overwrite modules edited in the browser since the last export."""

    def __init__(self, report: Report):
        super().__init__(", ".join(report.overwrites))
        self.report = report


def load_pack(root: Path, *, dry_run: bool = False, force: bool = False) -> Report:
    """Validate the whole pack, then write it in one transaction (rolled back on a dry run).

    The database is the truth once a pack is loaded: a module published in the browser since
    the last export is not overwritten (EditedInBrowser, nothing written) unless ``force``."""
    found, index = validate_pack(root)
    report = Report()
    with transaction.atomic():
        before = dict(Module.objects.values_list("slug", "version"))
        edited = set(Module.objects.filter(edited_at__isnull=False).values_list("slug", flat=True))
        for section in found:
            section.write(index, report)
        after = dict(Module.objects.values_list("slug", "version"))
        report.modules_changed = sorted(m for m, v in after.items() if before.get(m) != v)
        report.overwrites = [m for m in report.modules_changed if m in edited]
        if dry_run:
            transaction.set_rollback(True)
            return report
        if report.overwrites and not force:
            transaction.set_rollback(True)
            raise EditedInBrowser(report)
        Module.objects.filter(slug__in=report.modules_changed).update(edited_at=None)
        Publication.objects.bulk_create(
            Publication(
                module=module,
                version=module.version,
                source=Publication.Source.PACK,
            )
            for module in Module.objects.filter(slug__in=report.modules_changed)
        )
        audit_record(
            AuditEvent.Action.PACK_LOADED,
            subject=str(root)[-200:],
            details={
                kind: {k: v for k, v in counts.items() if v}
                for kind, counts in report.counts.items()
            },
        )
    return report


def export_pack(root: Path) -> list[Path]:
    """Write the database's content as a pack under ``root``; return the files written.

    Two sections may write parts of one file (the certification section adds a module's
    policy to the curriculum's module file): their mappings are merged, in section order."""
    files: dict[Path, dict] = {}
    for section in sections():
        for relative, data in section.export().items():
            path = root / section.folder / relative
            files[path] = _merged(files[path], data) if path in files else data
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(data), encoding="utf-8")
    _mark_exported(root)
    return list(files)


def _mark_exported(root: Path) -> None:
    """The pack just written is the truth again: each module takes the fingerprint a load of
    it computes (so loading it back changes no version) and loses its browser-edit mark."""
    try:
        _, index = validate_pack(root)
    except PackInvalid:
        return  # files of an earlier export clash with these: the command names them
    with transaction.atomic():
        for module in Module.objects.filter(slug__in=index.modules):
            module.content_hash = index.module_digest(module.slug)
            module.edited_at = None
            module.save(update_fields=["content_hash", "edited_at"])


def _merged(base: dict, more: dict) -> dict:
    merged = dict(base)
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged
