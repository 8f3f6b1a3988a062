"""Writes of certification: policies, certificates awarded and revoked. Each runs in one
transaction; views, commands and the pack call these.

``certification_evaluate`` runs when the engines announce a graded result
(``training.events.result_graded``), after their grading transaction has committed, in a
transaction of its own; it reads the trainee's graded attempts and counted runs through the
engines' models and recomputes the decision from them, so it can run again at any time.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from certification import rules
from certification.impact import delta_codes, standing_certificates
from certification.models import Certification, CertificationPolicy, Recertification
from quizzes.models import Attempt, Quiz
from scenarios.graph import Scenario as CallGraph
from scenarios.models import Run, Scenario, ScenarioVersion
from training.audit import SUBJECT_SEPARATOR, audit_record
from training.conditions import evaluate
from training.models import AuditEvent, Judgement, Module, Publication

# 24 characters from 62: about 143 bits, so codes cannot be guessed or enumerated.
CODE_LENGTH = 24
CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


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
        CertificationPolicy.objects.select_for_update(of=("self",))
        .select_related("module")
        .get(pk=policy.pk)
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
        calls_in_a_row=policy.calls_in_a_row,
    )


def fact_cases_of(runs: list[tuple]) -> dict[int, str]:
    """Per run (pk, version id, facts), the fact case it was played on: the outcome of every
    condition of its call's version, so runs that play and grade alike are the same case
    whatever the customer's name or the exact figures drawn."""
    versions = {version_id for _pk, version_id, _facts in runs}
    conditions = {
        pk: CallGraph.from_definition(definition).conditions()
        for pk, definition in ScenarioVersion.objects.filter(pk__in=versions).values_list(
            "pk", "definition"
        )
    }
    return {
        pk: json.dumps([bool(evaluate(c, facts or {})) for c in conditions.get(version_id, [])])
        for pk, version_id, facts in runs
    }


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
        .values_list(
            "pk",
            "scenario_id",
            "score",
            "passed",
            "finished_at",
            "critical_errors",
            "version_id",
            "facts",
        )
    )
    runs = list(runs) if call_ids else []
    cases = fact_cases_of([(pk, version, facts) for pk, *_rest, version, facts in runs])
    return [
        *(
            rules.Evidence(rules.Kind.QUIZ, quiz, pk, float(score), bool(passed), at)
            for pk, quiz, score, passed, at in (attempts if quiz_ids else [])
        ),
        *(
            rules.Evidence(
                rules.Kind.CALL,
                scenario,
                pk,
                float(score or 0),
                bool(passed),
                at,
                crit,
                case=cases[pk],
            )
            for pk, scenario, score, passed, at, crit, _version, _facts in runs
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


@transaction.atomic
def certification_evaluate(
    *, user: AbstractBaseUser, module: Module, now: datetime | None = None
) -> Certification | None:
    """Award the module's certificate when the trainee's results meet its policy.

    Runs after every graded attempt or run, once the grading has committed (the
    ``result_graded`` event). Returns the new certificate, or None when the policy is not met
    or a valid certificate already stands. The new certificate becomes the trainee's current
    one for the module (the one dashboards read). Safe to call twice at once: the trainee's row
    is locked, and the same evidence can never certify twice.
    """
    now = now or timezone.now()
    # Two results graded at the same moment must not both award.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    policy, _created = CertificationPolicy.objects.select_related("module").get_or_create(
        module=module
    )
    latest = (
        Certification.objects.filter(trainee=user, module=module).order_by("-awarded_at").first()
    )
    current = None
    starts = [policy.major_version_since]
    if latest is not None:
        latest.module = policy.module  # its policy is the one read above
        current = rules.Status(latest.status_at(now))
        # A renewal needs results newer than the certificate it renews or its revocation.
        starts += [latest.awarded_at, latest.revoked_at]
    rule = policy_as_rule(policy)
    evidence = trainee_evidence(user=user, requirements=rule.requirements)
    decision = rules.evaluate(rule, evidence, since=max((s for s in starts if s), default=None))
    if not rules.should_award(decision, current):
        return None
    try:
        with transaction.atomic():
            Certification.objects.filter(trainee=user, module=module, is_current=True).update(
                is_current=False
            )
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
    """Withdraw a certificate, saying who and why; it stays in the history as revoked. Nobody
    withdraws their own."""
    if certification.trainee_id == by.pk:
        raise PermissionDenied("nobody revokes their own certificate")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    updated = Certification.objects.filter(pk=certification.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=by, revocation_reason=reason
    )
    if not updated:
        raise ValidationError(_("This certificate is already revoked."))
    revoked = Certification.objects.select_related("trainee", "module").get(pk=certification.pk)
    audit_record(
        AuditEvent.Action.CERTIFICATE_REVOKED,
        actor_id=by.pk,
        subject=SUBJECT_SEPARATOR.join(
            [revoked.code, revoked.trainee.get_username(), revoked.module.slug]
        ),
        details={"reason": reason},
    )
    return revoked


POLICY_PACK_FIELDS = (
    "validity_days",
    "quiz_pass_mark",
    "call_pass_mark",
    "zero_critical_errors",
    "recertify_on_major_version",
    "calls_in_a_row",
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


# --- targeted recertification -----------------------------------------------------------------


def recertification_assign(*, publication: Publication, now: datetime | None = None) -> int:
    """After a publication: every certificate of its module standing now that rests on the
    behaviours it added or revised gets a targeted recertification on exactly those, due after
    the module's grace period (the certificate expires then unless it is done). Returns how
    many were assigned; the dry run on the draft page (``impact.impact_of``) counts the same
    certificates. Running it twice assigns nothing more."""
    codes = delta_codes(publication.behaviors or {})
    if not codes:
        return 0
    now = now or timezone.now()
    policy, _created = CertificationPolicy.objects.get_or_create(module_id=publication.module_id)
    due = now + timedelta(days=policy.delta_grace_days)
    with transaction.atomic():
        standing = list(
            standing_certificates(publication.module, now)
            .exclude(recertifications__publication=publication)
            .select_for_update()
            .values_list("pk", "expires_at")
        )
        Recertification.objects.bulk_create(
            [
                Recertification(
                    certificate_id=pk,
                    publication=publication,
                    behaviors=list(codes),
                    assigned_at=now,
                    due_at=due,
                    expires_at_before=expires_at,
                )
                for pk, expires_at in standing
            ],
            ignore_conflicts=True,
        )
        Certification.objects.filter(pk__in=[pk for pk, _ in standing], expires_at__gt=due).update(
            expires_at=due
        )
    return len(standing)


def recertification_progress(*, trainee_id: int, module_id: int, now: datetime) -> int:
    """After a graded result: close the trainee's open recertifications on the module whose
    every behaviour has been kept since it was assigned; done in time, the certificate gets
    back the expiry it had before the change. Returns how many were closed."""
    closed = 0
    open_ones = Recertification.objects.filter(
        certificate__trainee_id=trainee_id,
        certificate__module_id=module_id,
        certificate__revoked_at__isnull=True,
        completed_at__isnull=True,
    ).select_related("certificate")
    for recertification in open_ones:
        kept = set(
            Judgement.objects.filter(
                trainee_id=trainee_id,
                behavior__code__in=recertification.behaviors,
                verdict=Judgement.Verdict.KEPT,
                judged_at__gte=recertification.assigned_at,
            ).values_list("behavior__code", flat=True)
        )
        if not set(recertification.behaviors) <= kept:
            continue
        with transaction.atomic():
            done = Recertification.objects.filter(
                pk=recertification.pk, completed_at__isnull=True
            ).update(completed_at=now)
            if done and now <= recertification.due_at:
                Certification.objects.filter(pk=recertification.certificate_id).update(
                    expires_at=Greatest(F("expires_at"), Value(recertification.expires_at_before))
                )
            closed += done
    return closed
