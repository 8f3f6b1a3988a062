"""Writes of the training app: procedures read, certification policies, certificates awarded and
revoked. Each runs in one transaction; views, commands and other apps' services call these."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from quizzes.models import Attempt, Quiz
from scenarios.models import Run, Scenario
from training import certification as rules
from training.judgements import Judged
from training.models import (
    Behavior,
    BehaviorDailyTally,
    Certification,
    CertificationPolicy,
    Judgement,
    Module,
    ModuleActivity,
    Procedure,
    ProcedureRead,
)

# 24 characters from 62: about 143 bits, so codes cannot be guessed or enumerated.
CODE_LENGTH = 24
CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


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
    trainee: AbstractBaseUser,
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
    known = {
        code: (pk, kind)
        for code, pk, kind in Behavior.objects.filter(code__in=list(judged))
        .order_by()
        .values_list("code", "pk", "kind")
    }
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
                trainee_id=trainee.pk,
                behavior_id=pk,
                module_id=module_id,
                source=source,
                record=record,
                place=found.places[0] if found.places else None,
                verdict=verdict,
                evidence={"places": list(found.places), "items": list(found.items)},
                content_version=content_version,
                seed=seed,
                judged_at=at,
            )
        )
    return Judgement.objects.bulk_create(rows)


def certification_policies_ensure() -> int:
    """Give every module without a policy the default one; return how many were created."""
    missing = Module.objects.filter(certification_policy__isnull=True).values_list("pk", flat=True)
    policies = [CertificationPolicy(module_id=pk) for pk in missing]
    CertificationPolicy.objects.bulk_create(policies, ignore_conflicts=True)
    return len(policies)


@transaction.atomic
def certification_policy_require_recertification(
    *, policy: CertificationPolicy, now: datetime | None = None
) -> CertificationPolicy:
    """Start a new major version at the module's current content: earlier certificates are
    superseded (when the policy says so) and earlier results no longer count."""
    policy = (
        CertificationPolicy.objects.select_for_update().select_related("module").get(pk=policy.pk)
    )
    policy.major_version = policy.module.version
    policy.major_version_since = now or timezone.now()
    policy.save(update_fields=["major_version", "major_version_since"])
    return policy


def policy_requirements(policy: CertificationPolicy) -> tuple[rules.Requirement, ...]:
    if policy.require_all_content:
        quizzes = Quiz.objects.published().filter(module_id=policy.module_id)
        scenarios = Scenario.objects.active().filter(module_id=policy.module_id)
    else:
        quizzes, scenarios = policy.required_quizzes.all(), policy.required_scenarios.all()
    return (
        *(
            rules.Requirement(rules.Kind.QUIZ, pk, title)
            for pk, title in quizzes.order_by("slug").values_list("pk", "title")
        ),
        *(
            rules.Requirement(rules.Kind.CALL, pk, title)
            for pk, title in scenarios.order_by("order", "slug").values_list("pk", "title")
        ),
    )


def policy_as_rule(policy: CertificationPolicy) -> rules.Policy:
    return rules.Policy(
        requirements=policy_requirements(policy),
        quiz_pass_mark=policy.quiz_pass_mark,
        call_pass_mark=policy.call_pass_mark,
        zero_critical_errors=policy.zero_critical_errors,
        validity_days=policy.validity_days,
    )


def trainee_evidence(
    *, user: AbstractBaseUser, requirements: tuple[rules.Requirement, ...]
) -> list[rules.Evidence]:
    """Every graded attempt and counted run of the trainee on the required items."""
    quiz_ids = [r.item_id for r in requirements if r.kind == rules.Kind.QUIZ]
    call_ids = [r.item_id for r in requirements if r.kind == rules.Kind.CALL]
    attempts = (
        Attempt.objects.graded()
        .filter(user=user, quiz_id__in=quiz_ids)
        .values_list("pk", "quiz_id", "score", "passed", "submitted_at")
    )
    runs = (
        Run.objects.counted()
        .graded()
        .filter(user=user, scenario_id__in=call_ids)
        .values_list("pk", "scenario_id", "score", "passed", "finished_at", "critical_errors")
    )
    return [
        *(
            rules.Evidence(rules.Kind.QUIZ, quiz, pk, float(score), bool(passed), at)
            for pk, quiz, score, passed, at in (attempts if quiz_ids else [])
        ),
        *(
            rules.Evidence(rules.Kind.CALL, scenario, pk, float(score or 0), bool(passed), at, crit)
            for pk, scenario, score, passed, at, crit in (runs if call_ids else [])
        ),
    ]


def _evidence_snapshot(decision: rules.Decision) -> list[dict[str, object]]:
    return [
        {
            "kind": str(result.requirement.kind),
            "item_id": result.requirement.item_id,
            "title": result.requirement.title,
            "verdict": str(result.verdict),
            "record_id": result.evidence.record_id if result.evidence else None,
            "score": result.evidence.score if result.evidence else None,
            "critical_errors": result.evidence.critical_errors if result.evidence else None,
            "finished_at": result.evidence.finished_at.isoformat() if result.evidence else None,
        }
        for result in decision.results
    ]


def _evidence_key(decision: rules.Decision) -> str:
    proof = sorted(f"{e.kind}:{e.record_id}" for e in decision.evidence)
    return hashlib.sha256(",".join(proof).encode()).hexdigest()


def new_verification_code() -> str:
    return get_random_string(CODE_LENGTH, CODE_ALPHABET)


def module_activity_refresh(*, user: AbstractBaseUser, module: Module) -> ModuleActivity:
    """Recount the trainee's graded attempts and counted calls on the module."""
    quizzes = (
        Attempt.objects.graded()
        .filter(user=user, quiz__module=module)
        .aggregate(
            total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max("submitted_at")
        )
    )
    calls = (
        Run.objects.counted()
        .graded()
        .filter(user=user, scenario__module=module)
        .aggregate(
            total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max("finished_at")
        )
    )
    activity, _created = ModuleActivity.objects.update_or_create(
        trainee=user,
        module=module,
        defaults={
            "quiz_attempts": quizzes["total"],
            "quiz_passed": quizzes["passed"],
            "call_runs": calls["total"],
            "call_passed": calls["passed"],
            "last_activity_at": max(
                (d for d in (quizzes["last"], calls["last"]) if d), default=None
            ),
        },
    )
    return activity


@transaction.atomic
def module_activity_rebuild() -> int:
    """Recount every trainee's activity on every module, in two aggregate queries (after a bulk
    import or seeding, which bypass the grading services)."""
    counts: dict[tuple[int, int], dict[str, object]] = {}
    for key, queryset in (
        ("quiz", Attempt.objects.graded().values("user_id", module=F("quiz__module_id"))),
        (
            "call",
            Run.objects.counted().graded().values("user_id", module=F("scenario__module_id")),
        ),
    ):
        last = "submitted_at" if key == "quiz" else "finished_at"
        rows = queryset.annotate(
            total=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max(last)
        ).order_by()
        for row in rows:
            entry = counts.setdefault((row["user_id"], row["module"]), {"last": None})
            entry[key] = (row["total"], row["passed"])
            entry["last"] = max(d for d in (entry["last"], row["last"]) if d)
    ModuleActivity.objects.all().delete()
    ModuleActivity.objects.bulk_create(
        [
            ModuleActivity(
                trainee_id=user_id,
                module_id=module_id,
                quiz_attempts=entry.get("quiz", (0, 0))[0],
                quiz_passed=entry.get("quiz", (0, 0))[1],
                call_runs=entry.get("call", (0, 0))[0],
                call_passed=entry.get("call", (0, 0))[1],
                last_activity_at=entry["last"],
            )
            for (user_id, module_id), entry in counts.items()
        ],
        batch_size=2000,
    )
    return len(counts)


@transaction.atomic
def behavior_tallies_refresh(
    *, since: date | None = None, user: AbstractBaseUser | None = None
) -> int:
    """Recount, per day from ``since`` (or from the beginning), how often each behaviour was
    judged and missed in quizzes and in calls. With ``user``, only the behaviours that user's
    results judged since then: what one graded result can have changed."""
    start = timezone.make_aware(datetime.combine(since, time.min)) if since is not None else None
    if since is None:
        BehaviorDailyTally.objects.all().delete()
    behaviors = None
    if user is not None:
        # A call's rubric may judge behaviours of other modules (rapport, say), so the
        # behaviours come from the trainee's own judgements, not from the module.
        mine = Judgement.objects.filter(trainee=user)
        if start is not None:
            mine = mine.filter(judged_at__gte=start)
        behaviors = set(mine.values_list("behavior_id", flat=True).distinct())
        if not behaviors:
            return 0
    judgements = Judgement.objects.all()
    if start is not None:
        judgements = judgements.filter(judged_at__gte=start)
    if behaviors is not None:
        judgements = judgements.filter(behavior_id__in=behaviors)
    counted = (
        judgements.annotate(day=TruncDate("judged_at"))
        .values("day", "behavior_id", "source")
        .annotate(total=Count("pk"), missed=Count("pk", filter=~Q(verdict=Judgement.Verdict.KEPT)))
        .order_by()
    )
    rows = [
        BehaviorDailyTally(
            day=row["day"],
            behavior_id=row["behavior_id"],
            source=row["source"],
            total=row["total"],
            missed=row["missed"],
        )
        for row in counted
    ]
    # Upsert, not delete and insert: two trainees graded at once on the same module both
    # refresh today's rows, and each count is read whole from the outcomes. Rows go in one
    # fixed order so that two such transactions lock them in the same order (no deadlock).
    rows.sort(key=lambda row: (row.day, row.behavior_id, row.source))
    BehaviorDailyTally.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["day", "behavior", "source"],
        update_fields=["total", "missed"],
    )
    return len(rows)


@transaction.atomic
def certification_evaluate(
    *, user: AbstractBaseUser, module: Module, now: datetime | None = None
) -> Certification | None:
    """Award the module's certificate when the trainee's results meet its policy.

    Runs after every graded attempt or run (on commit of the grading), so it also recounts the
    reporting rollups that this result changes. Returns the new certificate, or None when the
    policy is not met or a valid certificate already stands. Safe to call twice at once: the
    trainee's row is locked, and the same evidence can never certify twice.
    """
    now = now or timezone.now()
    # Two results graded at the same moment must not both award.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    module_activity_refresh(user=user, module=module)
    behavior_tallies_refresh(since=timezone.localdate(now), user=user)
    policy, _created = CertificationPolicy.objects.select_related("module").get_or_create(
        module=module
    )
    latest = (
        Certification.objects.filter(trainee=user, module=module).order_by("-awarded_at").first()
    )
    current = None
    starts = [policy.major_version_since]
    if latest is not None:
        current = rules.status_of(
            expires_at=latest.expires_at,
            revoked=latest.revoked_at is not None,
            superseded=rules.is_superseded(
                content_version=latest.content_version,
                major_version=policy.major_version,
                recertify_on_major_version=policy.recertify_on_major_version,
            ),
            now=now,
        )
        # A renewal needs results newer than the certificate it renews or its revocation.
        starts += [latest.awarded_at, latest.revoked_at]
    rule = policy_as_rule(policy)
    evidence = trainee_evidence(user=user, requirements=rule.requirements)
    decision = rules.evaluate(rule, evidence, since=max((s for s in starts if s), default=None))
    if not rules.should_award(decision, current):
        return None
    try:
        with transaction.atomic():
            certification = Certification.objects.create(
                trainee=user,
                module=module,
                awarded_at=now,
                expires_at=rules.expiry_of(now, rule),
                content_version=policy.module.version,
                code=new_verification_code(),
                evidence=_evidence_snapshot(decision),
                evidence_key=_evidence_key(decision),
            )
    except IntegrityError:
        # Someone else awarded for this very proof a moment ago: nothing to add.
        return None
    certification.quiz_attempts.set(
        [e.record_id for e in decision.evidence if e.kind == rules.Kind.QUIZ]
    )
    certification.scenario_runs.set(
        [e.record_id for e in decision.evidence if e.kind == rules.Kind.CALL]
    )
    return certification


@transaction.atomic
def certification_revoke(
    *,
    certification: Certification,
    by: AbstractBaseUser,
    reason: str,
    now: datetime | None = None,
) -> Certification:
    """Withdraw a certificate, saying who and why; it stays in the history as revoked."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    updated = Certification.objects.filter(pk=certification.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=by, revocation_reason=reason
    )
    if not updated:
        raise ValidationError(_("This certificate is already revoked."))
    return Certification.objects.get(pk=certification.pk)


POLICY_PACK_FIELDS = (
    "validity_days",
    "quiz_pass_mark",
    "call_pass_mark",
    "zero_critical_errors",
    "recertify_on_major_version",
)


@transaction.atomic
def certification_policies_apply(*, settings_by_module: dict[str, dict[str, object] | None]) -> int:
    """Give every module a policy; set the fields a content pack states for a module (by slug),
    leaving what the pack does not mention as an administrator left it. Returns how many
    policies changed."""
    certification_policies_ensure()
    changed = []
    policies = CertificationPolicy.objects.select_related("module").filter(
        module__slug__in=[slug for slug, values in settings_by_module.items() if values]
    )
    for policy in policies:
        values = {
            key: value
            for key, value in settings_by_module[policy.module.slug].items()
            if key in POLICY_PACK_FIELDS
        }
        if any(getattr(policy, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(policy, key, value)
            changed.append(policy)
    # One UPDATE for all, so loading a pack costs the same queries whatever its size.
    CertificationPolicy.objects.bulk_update(changed, list(POLICY_PACK_FIELDS))
    return len(changed)


def certification_policy_pack_values(policy: CertificationPolicy) -> dict[str, object]:
    """The pack form of a policy: only what differs from the defaults, so packs stay short."""
    defaults = CertificationPolicy(module_id=policy.module_id)
    return {
        key: getattr(policy, key)
        for key in POLICY_PACK_FIELDS
        if getattr(policy, key) != getattr(defaults, key)
    }


def module_content_revised(*, module: Module) -> None:
    """A trainer changed the module's content outside the pack: it is a new version, so new
    certificates record it (attempts and runs already froze what they served)."""
    Module.objects.filter(pk=module.pk).update(version=F("version") + 1)
