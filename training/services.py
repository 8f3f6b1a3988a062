"""Writes of the curriculum floor: procedures read, the results ledger, and content revisions.
Each runs in one transaction; views, commands and the engines' services call these."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.utils import timezone

from training.judgements import Judged
from training.models import Behavior, Judgement, Module, Procedure, ProcedureRead


def procedure_read_record(*, user: AbstractBaseUser, procedure: Procedure) -> None:
    """Note that a trainee opened a procedure; only the first reading is kept.

    One INSERT that the unique constraint turns into nothing on later readings, so the page
    pays one query, not a read and then a write.
    """
    ProcedureRead.objects.bulk_create(
        [ProcedureRead(trainee=user, procedure=procedure)], ignore_conflicts=True
    )


def judgements_record(
    *,
    trainee_id: int,
    module_id: int,
    source: str,
    record: int,
    content_version: int,
    seed: int,
    judged: Mapping[str, Judged],
    at: datetime,
) -> list[Judgement]:
    """Append to the results ledger what one graded attempt or run judged: one row per
    behaviour, violated for a violation that was not kept, missed for any other behaviour not
    kept. Codes the curriculum no longer has are not recorded. Runs inside the engine's
    grading transaction; rows are written in code order so concurrent gradings lock alike."""
    known = behavior_index(judged)
    rows = judgement_rows(
        judged,
        known,
        trainee_id=trainee_id,
        module_id=module_id,
        source=source,
        record=record,
        content_version=content_version,
        seed=seed,
        at=at,
    )
    return Judgement.objects.bulk_create(rows)


def behavior_index(codes) -> dict[str, tuple[int, str]]:
    """The id and kind of each behaviour code the curriculum has, of those given."""
    return {
        code: (pk, kind)
        for code, pk, kind in Behavior.objects.filter(code__in=list(codes))
        .order_by()
        .values_list("code", "pk", "kind")
    }


def judgement_rows(
    judged: Mapping[str, Judged],
    known: Mapping[str, tuple[int, str]],
    *,
    trainee_id: int,
    module_id: int,
    source: str,
    record: int,
    content_version: int,
    seed: int,
    at: datetime,
) -> list[Judgement]:
    """The ledger rows (unsaved) for what one attempt or run judged, in code order: violated
    for a violation not kept, missed for any other behaviour not kept; codes not in ``known``
    (``behavior_index``) are left out."""
    rows = []
    for code in sorted(judged):
        if code not in known:
            continue
        pk, kind = known[code]
        found = judged[code]
        if found.kept:
            verdict = Judgement.Verdict.KEPT
        elif kind == Behavior.Kind.VIOLATION:
            verdict = Judgement.Verdict.VIOLATED
        else:
            verdict = Judgement.Verdict.MISSED
        rows.append(
            Judgement(
                trainee_id=trainee_id,
                behavior_id=pk,
                module_id=module_id,
                source=source,
                record=record,
                place=found.places[0] if found.places else None,
                verdict=verdict,
                evidence={
                    "places": list(found.places),
                    "items": list(found.items),
                    **({"own_words": True} if found.kept and found.own_words else {}),
                    **({"late": True} if not found.kept and found.late else {}),
                },
                content_version=content_version,
                seed=seed,
                judged_at=at,
            )
        )
    return rows


def module_content_revised(*, module: Module) -> None:
    """A trainer changed the module's content outside the pack: it is a new version, so new
    certificates record it (attempts and runs already froze what they served). The module is
    marked edited in the browser, so the next pack load neither overwrites it unasked nor
    takes the pack's unchanged fingerprint for unchanged content."""
    Module.objects.filter(pk=module.pk).update(
        version=F("version") + 1, edited_at=timezone.now(), content_hash=""
    )
