"""Regrades, whatever the engine: the dry run's plan (who changes, and how) and applying it
all or nothing, with the ledger corrected and an audit entry.

An engine says, for one corrected item (a question, a call), which graded results it touches
and what each would be graded now (``Outcome``), and how to store a result graded again
(``write``). This module counts the plan, refuses a plan that is no longer the one the
trainer read (its ``fingerprint``), retires and rewrites the ledger rows of each result that
changes, records the regrade and its audit entry, and lets the house hear of each changed
result as it hears of any grade (``result_graded``, after commit).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from training.audit import SUBJECT_SEPARATOR, audit_record
from training.events import announce_graded
from training.judgements import Judged, kept
from training.models import AuditEvent, Judgement, Regrade
from training.services import behavior_index, judgement_rows

# Results are read, counted and written this many at a time.
BATCH = 200


class StaleRegrade(Exception):
    """What the regrade would change is no longer what the trainer reviewed."""


@dataclass(frozen=True)
class Outcome:
    """One graded attempt or run touched by the corrected item, as it would be graded now.
    ``judged`` is None when what the trainee was shown cannot be graded with the corrected
    item (then nothing of it changes); ``payload`` is what the engine needs to store it."""

    record: int
    trainee_id: int
    trainee: str
    module_id: int
    graded_at: datetime
    content_version: int
    seed: int
    place: int | None  # the question number or turn the item sits at
    score_before: Decimal
    passed_before: bool
    score_after: Decimal | None = None
    passed_after: bool | None = None
    judged: Mapping[str, Judged] | None = None
    payload: object = None
    note: Mapping[str, object] | None = None  # kept in the regrade's record of the change

    @property
    def comparable(self) -> bool:
        return self.judged is not None


@dataclass(frozen=True)
class Change:
    """A result whose grade or verdicts the correction changes."""

    record: int
    trainee: str
    place: int | None
    score_before: Decimal
    score_after: Decimal
    passed_before: bool
    passed_after: bool
    flipped: tuple[tuple[str, bool], ...]  # behaviour code, kept now
    certified: bool  # a certificate rests on this result
    note: Mapping[str, object] | None = None

    @property
    def verdict(self) -> str:
        if self.passed_before == self.passed_after:
            return "same"
        return "passes" if self.passed_after else "fails"

    def as_record(self) -> dict[str, object]:
        return {
            "record": self.record,
            "place": self.place,
            "score": [str(self.score_before), str(self.score_after)],
            "passed": [self.passed_before, self.passed_after],
            "flipped": dict(self.flipped),
            **(self.note or {}),
        }


@dataclass
class RegradePlan:
    source: str
    item: str
    version: int
    examined: int = 0  # graded results that met an earlier version of the item
    rekeyed: int = 0  # of those, the ones the corrected item can grade again
    changes: list[Change] = field(default_factory=list)

    @property
    def not_comparable(self) -> int:
        return self.examined - self.rekeyed

    @property
    def now_pass(self) -> int:
        return sum(c.verdict == "passes" for c in self.changes)

    @property
    def now_fail(self) -> int:
        return sum(c.verdict == "fails" for c in self.changes)

    @property
    def certificates(self) -> int:
        return sum(c.certified and c.verdict == "fails" for c in self.changes)

    @property
    def fingerprint(self) -> str:
        """What the trainer reviewed: applying refuses when it no longer holds."""
        seen = [
            self.source,
            self.item,
            self.version,
            self.examined,
            self.rekeyed,
            [(c.record, str(c.score_after), c.passed_after, c.flipped) for c in self.changes],
        ]
        return hashlib.sha256(json.dumps(seen).encode()).hexdigest()

    def add(self, outcomes: list[Outcome], record_model) -> list[Outcome]:
        """Count a batch of outcomes (three queries for the whole batch); the ones that
        change."""
        comparable = [o for o in outcomes if o.comparable]
        ids = [o.record for o in comparable]
        # Codes the curriculum does not have are never in the ledger: they cannot flip.
        known = behavior_index({code for o in comparable for code in o.judged})
        before: dict[int, dict[str, bool]] = {pk: {} for pk in ids}
        for record, code, verdict in Judgement.objects.filter(
            source=self.source, record__in=ids
        ).values_list("record", "behavior__code", "verdict"):
            before[record][code] = verdict == Judgement.Verdict.KEPT
        self.examined += len(outcomes)
        self.rekeyed += len(comparable)
        changing = []
        for outcome in comparable:
            now = {code: k for code, k in kept(outcome.judged).items() if code in known}
            flipped = tuple(
                (code, k)
                for code, k in sorted(now.items())
                if before[outcome.record].get(code) != k
            )
            if (
                outcome.score_after == outcome.score_before
                and outcome.passed_after == outcome.passed_before
                and not flipped
            ):
                continue
            changing.append((outcome, flipped))
        certified = set(
            record_model.objects.filter(
                pk__in=[o.record for o, _f in changing], certifications__isnull=False
            ).values_list("pk", flat=True)
        )
        for outcome, flipped in changing:
            self.changes.append(
                Change(
                    record=outcome.record,
                    trainee=outcome.trainee,
                    place=outcome.place,
                    score_before=outcome.score_before,
                    score_after=outcome.score_after,
                    passed_before=outcome.passed_before,
                    passed_after=outcome.passed_after,
                    flipped=flipped,
                    certified=outcome.record in certified,
                    note=outcome.note,
                )
            )
        return [o for o, _f in changing]


def batched(outcomes: Iterable[Outcome | None]) -> Iterator[list[Outcome]]:
    """The engine's outcomes in lists of ``BATCH``, leaving out the Nones (results the
    corrected item does not touch)."""
    batch = []
    for outcome in outcomes:
        if outcome is not None:
            batch.append(outcome)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def regrade_plan(plan: RegradePlan, batches: Iterable[list[Outcome]], record_model) -> RegradePlan:
    for batch in batches:
        plan.add(batch, record_model)
    return plan


def regrade_apply(
    locked: Callable[[], tuple[RegradePlan, Iterable[list[Outcome]]]],
    record_model,
    write: Callable[[Regrade, Outcome, bool], None],
    *,
    by,
    reason: str,
    fingerprint: str,
    now: datetime | None = None,
) -> tuple[Regrade, RegradePlan]:
    """Apply a regrade, all or nothing, in one transaction: ``locked()`` locks the corrected
    item and its results and gives the plan to count again (empty) with the results' outcomes
    in batches. Every comparable outcome is stored by ``write`` (told whether its grade
    changes) and the ledger rows of those that change are retired and written again; when
    the plan is not the one the trainer read (``fingerprint``), StaleRegrade rolls it all
    back."""
    with transaction.atomic():
        plan, batches = locked()
        regrade = _apply(
            plan,
            batches,
            record_model,
            write,
            by=by,
            reason=reason.strip(),
            fingerprint=fingerprint,
            now=now or timezone.now(),
        )
    return regrade, plan


def _apply(plan, batches, record_model, write, *, by, reason, fingerprint, now) -> Regrade:
    regrade = Regrade.objects.create(
        source=plan.source,
        item=plan.item,
        item_version=plan.version,
        reason=reason,
        actor=by,
        at=now,
    )
    graded = []
    for batch in batches:
        changing = plan.add(batch, record_model)
        records = {o.record for o in changing}
        for outcome in batch:
            if outcome.comparable:
                write(regrade, outcome, outcome.record in records)
        _correct_ledger(regrade, plan.source, changing)
        graded += changing
    if plan.fingerprint != fingerprint:
        raise StaleRegrade
    regrade.changes = [c.as_record() for c in plan.changes]
    regrade.save(update_fields=["changes"])
    audit_record(
        AuditEvent.Action.REGRADED,
        actor_id=by.pk,
        subject=SUBJECT_SEPARATOR.join([plan.item, f"v{plan.version}"]),
        details={
            "regrade": regrade.pk,
            "source": plan.source,
            "reason": reason,
            "examined": plan.examined,
            "rekeyed": plan.rekeyed,
            "changed": len(plan.changes),
            "now_pass": plan.now_pass,
            "now_fail": plan.now_fail,
        },
    )
    for outcome in graded:
        announce_graded(
            trainee_id=outcome.trainee_id,
            module_id=outcome.module_id,
            source=plan.source,
            record=outcome.record,
            at=outcome.graded_at,
            passed=bool(outcome.passed_after),
        )
    return regrade


def _correct_ledger(regrade: Regrade, source: str, changing: list[Outcome]) -> None:
    """The ledger rows of a batch of changed results retired by ``regrade`` (kept for the
    history, out of every report) and what each now judges appended, dated when it was first
    judged: three queries for the batch."""
    if not changing:
        return
    Judgement.objects.filter(source=source, record__in=[o.record for o in changing]).update(
        retired_by=regrade
    )
    known = behavior_index({code for o in changing for code in o.judged})
    rows = [
        row
        for o in changing
        for row in judgement_rows(
            o.judged,
            known,
            trainee_id=o.trainee_id,
            module_id=o.module_id,
            source=source,
            record=o.record,
            content_version=o.content_version,
            seed=o.seed,
            at=o.graded_at,
        )
    ]
    for row in rows:
        row.written_by = regrade
    Judgement.objects.bulk_create(rows)
