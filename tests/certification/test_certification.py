"""Awarding, renewing, expiring, superseding and revoking module certificates."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.models import Certification, CertificationPolicy, CertificationStatus
from certification.services import (
    certification_evaluate,
    certification_policies_apply,
    certification_policies_ensure,
    certification_policy_pack_values,
    certification_policy_require_recertification,
    certification_revoke,
)
from quizzes.models import Attempt
from scenarios.models import Run
from tests.factories import (
    AttemptFactory,
    CertificationFactory,
    CertificationPolicyFactory,
    ModuleFactory,
    QuizFactory,
    RunFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return ModuleFactory(title="Financeiro", version=3)


@pytest.fixture
def quiz(module):
    return QuizFactory(module=module, pass_mark=70)


def graded(quiz, user, score, *, at=None):
    at = at or timezone.now()
    return AttemptFactory(
        quiz=quiz,
        user=user,
        status=Attempt.Status.SUBMITTED,
        score=score,
        passed=score >= quiz.pass_mark,
        started_at=at - timedelta(minutes=10),
        submitted_at=at,
    )


def status_of(certification):
    return certification.status_at(timezone.now())


def test_passing_every_required_quiz_certifies_at_once(trainee, module, quiz):
    attempt = graded(quiz, trainee, 85)

    certification = certification_evaluate(user=trainee, module=module)

    assert certification is not None
    assert certification.trainee == trainee
    assert certification.content_version == 3
    assert certification.expires_at - certification.awarded_at == timedelta(days=365)
    assert list(certification.quiz_attempts.all()) == [attempt]
    assert certification.evidence[0]["verdict"] == "met"
    assert certification.evidence[0]["record_id"] == attempt.pk
    assert len(certification.code) == 24 and certification.code.isalnum()
    assert status_of(certification) == CertificationStatus.VALID


def test_a_failed_quiz_certifies_nothing(trainee, module, quiz):
    graded(quiz, trainee, 40)
    assert certification_evaluate(user=trainee, module=module) is None
    assert not Certification.objects.exists()


def test_a_module_without_quizzes_or_calls_certifies_nothing(trainee, module):
    assert certification_evaluate(user=trainee, module=module) is None


def test_the_policy_is_created_with_defaults_when_missing(trainee, module, quiz):
    graded(quiz, trainee, 90)
    certification_evaluate(user=trainee, module=module)
    policy = module.certification_policy
    assert policy.validity_days == 365
    assert policy.require_all_content and policy.zero_critical_errors


def test_policies_can_be_ensured_for_every_module(module):
    ModuleFactory()
    assert certification_policies_ensure() == 2
    assert certification_policies_ensure() == 0


def test_evaluating_again_does_not_award_twice(trainee, module, quiz):
    graded(quiz, trainee, 90)
    assert certification_evaluate(user=trainee, module=module) is not None
    graded(quiz, trainee, 95)
    assert certification_evaluate(user=trainee, module=module) is None
    assert Certification.objects.count() == 1


def test_the_same_proof_cannot_certify_twice_in_the_database(trainee, module):
    CertificationFactory(trainee=trainee, module=module, evidence_key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationFactory(trainee=trainee, module=module, evidence_key="same")


def test_a_policy_pass_mark_overrides_the_quiz_pass_mark(trainee, module, quiz):
    CertificationPolicyFactory(module=module, quiz_pass_mark=90)
    graded(quiz, trainee, 85)
    assert certification_evaluate(user=trainee, module=module) is None
    graded(quiz, trainee, 92)
    assert certification_evaluate(user=trainee, module=module) is not None


def test_only_the_chosen_items_are_required_when_the_policy_says_so(trainee, module, quiz):
    other = QuizFactory(module=module)
    policy = CertificationPolicyFactory(module=module, require_all_content=False)
    policy.required_quizzes.set([quiz])
    graded(quiz, trainee, 90)
    certification = certification_evaluate(user=trainee, module=module)
    assert certification is not None
    assert [e["item_id"] for e in certification.evidence] == [quiz.pk]
    assert other.pk not in [e["item_id"] for e in certification.evidence]


def test_an_unpublished_quiz_is_not_required(trainee, module, quiz):
    QuizFactory(module=module, is_published=False)
    graded(quiz, trainee, 90)
    assert certification_evaluate(user=trainee, module=module) is not None


def test_status_moves_from_valid_to_expiring_soon_to_expired(trainee, module):
    now = timezone.now()
    certification = CertificationFactory(
        trainee=trainee, module=module, awarded_at=now - timedelta(days=300)
    )
    assert certification.status_at(now) == CertificationStatus.VALID
    assert certification.status_at(now + timedelta(days=40)) == CertificationStatus.EXPIRING_SOON
    assert certification.status_at(now + timedelta(days=65)) == CertificationStatus.EXPIRED


def test_the_database_derives_the_same_status(trainee, module, other_trainee):
    now = timezone.now()
    CertificationFactory(trainee=trainee, module=module, awarded_at=now - timedelta(days=350))
    CertificationFactory(trainee=other_trainee, module=module, awarded_at=now - timedelta(days=400))
    statuses = dict(
        Certification.objects.with_status(now).values_list("trainee__username", "status")
    )
    assert statuses == {"alice": "expiring_soon", "bob": "expired"}


def test_the_database_and_the_rule_agree_on_every_status_and_every_precedence(module):
    """Every combination of revoked, superseded and expiry (past, soon, at the edge, far):
    the SQL annotation and the Python rule give the same status, and all five occur."""
    import itertools

    from tests.factories import UserFactory

    now = timezone.now()
    policy = CertificationPolicy.objects.get_or_create(module=module)[0]
    policy.major_version = 2
    policy.save()
    expiries = [
        timedelta(days=-1),
        timedelta(0),
        timedelta(days=10),
        timedelta(days=30),
        timedelta(days=31),
        timedelta(days=200),
    ]
    made = []
    for n, (revoked, old, expiry) in enumerate(
        itertools.product([False, True], [False, True], expiries)
    ):
        made.append(
            CertificationFactory(
                trainee=UserFactory(username=f"t{n}"),
                module=module,
                awarded_at=now + expiry - timedelta(days=365),
                content_version=1 if old else 2,
                revoked_at=now if revoked else None,
                revocation_reason="auditoria" if revoked else "",
            )
        )
    in_sql = dict(Certification.objects.with_status(now).values_list("pk", "status"))

    in_python = {c.pk: str(Certification.objects.get(pk=c.pk).status_at(now)) for c in made}

    assert in_sql == in_python
    assert set(in_python.values()) == set(CertificationStatus.values)


def test_an_expiring_certificate_is_renewed_with_fresh_results_and_history_kept(
    trainee, module, quiz
):
    now = timezone.now()
    graded(quiz, trainee, 90, at=now - timedelta(days=341))
    first = certification_evaluate(user=trainee, module=module, now=now - timedelta(days=340))
    assert first.status_at(now) == CertificationStatus.EXPIRING_SOON

    # The old attempt proved the old certificate; renewing needs a new one.
    assert certification_evaluate(user=trainee, module=module, now=now) is None
    graded(quiz, trainee, 80, at=now)
    second = certification_evaluate(user=trainee, module=module, now=now)

    assert second is not None and second.pk != first.pk
    assert Certification.objects.filter(trainee=trainee, module=module).count() == 2
    latest = Certification.objects.filter(trainee=trainee).latest_per_module().get()
    assert latest == second
    first.refresh_from_db()
    assert not first.is_current, "the renewal moved the current flag"


def test_an_expired_certificate_is_renewed_after_a_new_pass(trainee, module, quiz):
    now = timezone.now()
    graded(quiz, trainee, 90, at=now - timedelta(days=401))
    certification_evaluate(user=trainee, module=module, now=now - timedelta(days=400))
    graded(quiz, trainee, 90, at=now)
    renewed = certification_evaluate(user=trainee, module=module, now=now)
    assert renewed.status_at(now) == CertificationStatus.VALID


def test_a_new_major_version_supersedes_and_requires_recertification(trainee, module, quiz):
    now = timezone.now()
    graded(quiz, trainee, 90, at=now - timedelta(days=11))
    old = certification_evaluate(user=trainee, module=module, now=now - timedelta(days=10))
    module.version = 4
    module.save()
    certification_policy_require_recertification(
        policy=module.certification_policy, now=now - timedelta(days=1)
    )

    old.refresh_from_db()
    assert status_of(old) == CertificationStatus.SUPERSEDED
    statuses = Certification.objects.with_status(timezone.now()).values_list("status", flat=True)
    assert list(statuses) == ["superseded"]
    # Results from before the change do not count.
    assert certification_evaluate(user=trainee, module=module) is None
    graded(quiz, trainee, 88)
    new = certification_evaluate(user=trainee, module=module)
    assert new.content_version == 4
    assert status_of(new) == CertificationStatus.VALID


def test_a_minor_change_does_not_supersede(trainee, module, quiz):
    graded(quiz, trainee, 90)
    certification = certification_evaluate(user=trainee, module=module)
    module.version = 4
    module.save()
    assert status_of(certification) == CertificationStatus.VALID


def test_no_supersession_when_the_policy_does_not_require_recertification(trainee, module, quiz):
    CertificationPolicyFactory(module=module, recertify_on_major_version=False)
    graded(quiz, trainee, 90)
    certification = certification_evaluate(user=trainee, module=module)
    module.version = 5
    module.save()
    certification_policy_require_recertification(policy=module.certification_policy)
    certification.refresh_from_db()
    assert status_of(certification) == CertificationStatus.VALID


def test_a_manager_revokes_with_a_reason_and_the_record_stays(trainee, manager, module, quiz):
    graded(quiz, trainee, 90)
    certification = certification_evaluate(user=trainee, module=module)

    revoked = certification_revoke(
        certification=certification, by=manager, reason="  Fraude na prova  "
    )

    assert revoked.revoked_by == manager
    assert revoked.revocation_reason == "Fraude na prova"
    assert status_of(revoked) == CertificationStatus.REVOKED
    assert Certification.objects.count() == 1


def test_revoking_needs_a_reason_and_happens_once(trainee, manager, module):
    certification = CertificationFactory(trainee=trainee, module=module)
    with pytest.raises(ValidationError):
        certification_revoke(certification=certification, by=manager, reason="   ")
    certification_revoke(certification=certification, by=manager, reason="Erro")
    with pytest.raises(ValidationError):
        certification_revoke(certification=certification, by=manager, reason="De novo")


def test_the_database_refuses_a_revocation_without_a_reason(trainee, module):
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationFactory(trainee=trainee, module=module, revoked_at=timezone.now())


def test_the_database_refuses_an_expiry_before_the_award(trainee, module):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationFactory(trainee=trainee, module=module, awarded_at=now, expires_at=now)


def test_after_revocation_only_new_results_certify_again(trainee, manager, module, quiz):
    now = timezone.now()
    graded(quiz, trainee, 90, at=now - timedelta(days=5))
    certification = certification_evaluate(user=trainee, module=module, now=now - timedelta(days=5))
    certification_revoke(certification=certification, by=manager, reason="Cola", now=now)
    assert certification_evaluate(user=trainee, module=module) is None
    graded(quiz, trainee, 90)
    assert certification_evaluate(user=trainee, module=module) is not None


def finished_run(scenario, user, score, *, critical=0, preview=False, at=None):
    version = scenario.versions.first() or ScenarioVersionFactory(scenario=scenario)
    return RunFactory(
        version=version,
        scenario=scenario,
        user=user,
        status=Run.Status.COMPLETED,
        finished_at=at or timezone.now(),
        score=score,
        critical_errors=critical,
        passed=score >= 70 and not critical,
        is_preview=preview,
    )


def test_the_quiz_and_every_call_are_needed(trainee, module, quiz):
    calls = [ScenarioFactory(module=module), ScenarioFactory(module=module)]
    graded(quiz, trainee, 90)
    finished_run(calls[0], trainee, 90)
    assert certification_evaluate(user=trainee, module=module) is None

    run = finished_run(calls[1], trainee, 75)
    certification = certification_evaluate(user=trainee, module=module)

    assert certification is not None
    assert run in certification.scenario_runs.all()
    assert certification.scenario_runs.count() == 2


def test_a_call_with_a_critical_error_never_counts(trainee, module, quiz):
    call = ScenarioFactory(module=module)
    CertificationPolicyFactory(module=module, call_pass_mark=50)
    graded(quiz, trainee, 90)
    finished_run(call, trainee, 95, critical=1)
    assert certification_evaluate(user=trainee, module=module) is None
    finished_run(call, trainee, 60)
    certification = certification_evaluate(user=trainee, module=module)
    assert certification.evidence[1]["critical_errors"] == 0


def test_a_trainer_preview_is_not_evidence(trainee, module, quiz):
    call = ScenarioFactory(module=module)
    graded(quiz, trainee, 90)
    finished_run(call, trainee, 100, preview=True)
    assert certification_evaluate(user=trainee, module=module) is None


def test_a_retired_call_is_not_required(trainee, module, quiz):
    ScenarioFactory(module=module, is_active=False)
    graded(quiz, trainee, 90)
    assert certification_evaluate(user=trainee, module=module) is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_gradings_at_once_award_one_certificate(trainee):
    """Both evaluations see a passing result; the trainee's row lock lets one award."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    module = ModuleFactory()
    quiz = QuizFactory(module=module)
    graded(quiz, trainee, 90)
    barrier = threading.Barrier(2)
    results = []

    def evaluate():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(certification_evaluate(user=trainee, module=module))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=evaluate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r is None for r in results) == [False, True]
    assert Certification.objects.filter(trainee=trainee, module=module).count() == 1


def test_a_pack_sets_what_it_states_and_leaves_the_rest_to_the_admin(module):
    other = ModuleFactory(slug="outro")
    CertificationPolicyFactory(module=other, zero_critical_errors=False)

    changed = certification_policies_apply(
        settings_by_module={
            module.slug: {"validity_days": 180, "quiz_pass_mark": 80},
            "outro": None,
        }
    )

    assert changed == 1
    policy = CertificationPolicy.objects.get(module=module)
    assert (policy.validity_days, policy.quiz_pass_mark) == (180, 80)
    assert certification_policy_pack_values(policy) == {"validity_days": 180, "quiz_pass_mark": 80}
    assert CertificationPolicy.objects.get(module=other).zero_critical_errors is False
    assert (
        certification_policies_apply(settings_by_module={module.slug: {"validity_days": 180}}) == 0
    )


def test_the_admin_action_starts_a_new_major_version(admin_client, trainee, module, quiz):
    from django.urls import reverse

    graded(quiz, trainee, 90)
    certification = certification_evaluate(user=trainee, module=module)
    module.version = 7
    module.save()
    policy = module.certification_policy
    response = admin_client.post(
        reverse("admin:certification_certificationpolicy_changelist"),
        {"action": "require_recertification", "_selected_action": [policy.pk]},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.major_version == 7 and policy.major_version_since is not None
    assert status_of(certification) == CertificationStatus.SUPERSEDED


def test_runs_are_the_same_fact_case_when_every_condition_comes_out_the_same(db):
    from certification.services import fact_cases_of
    from tests.scenarios.calls import ELIGIBLE_FACTS, TOO_EARLY_FACTS, make_call

    version = make_call().versions.get()
    other_name = {**ELIGIBLE_FACTS, "customer_name": "Sandra Oliveira", "days_open": 9}
    cases = fact_cases_of(
        [
            (1, version.pk, ELIGIBLE_FACTS),
            (2, version.pk, other_name),
            (3, version.pk, TOO_EARLY_FACTS),
        ]
    )
    assert cases[1] == cases[2] != cases[3]
