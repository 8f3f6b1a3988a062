"""The pure certification rule: requirements judged by the best result, bars, freshness, status."""

from datetime import UTC, datetime, timedelta

from certification.rules import (
    Decision,
    Evidence,
    Kind,
    Policy,
    Requirement,
    Status,
    Verdict,
    evaluate,
    expiry_of,
    is_superseded,
    should_award,
    status_of,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
QUIZ = Requirement(Kind.QUIZ, 1, "Quiz")
CALL = Requirement(Kind.CALL, 7, "Call")
POLICY = Policy(requirements=(QUIZ, CALL))


def quiz(score, passed=None, *, record=1, at=NOW):
    passed = score >= 70 if passed is None else passed
    return Evidence(Kind.QUIZ, 1, record, score, passed, at)


def call(score, passed=None, *, critical=0, record=1, at=NOW):
    passed = score >= 80 and not critical if passed is None else passed
    return Evidence(Kind.CALL, 7, record, score, passed, at, critical_errors=critical)


def test_it_is_met_when_every_requirement_has_a_passing_result():
    decision = evaluate(POLICY, [quiz(90), call(85)])
    assert decision.met
    assert [r.verdict for r in decision.results] == [Verdict.MET, Verdict.MET]


def test_it_reports_each_missing_requirement():
    decision = evaluate(POLICY, [quiz(90)])
    assert not decision.met
    assert decision.results[1].verdict is Verdict.NOT_ATTEMPTED
    assert decision.results[1].evidence is None


def test_a_failed_quiz_is_below_the_pass_mark():
    decision = evaluate(POLICY, [quiz(50), call(90)])
    assert not decision.met
    assert decision.results[0].verdict is Verdict.BELOW_PASS_MARK


def test_the_best_result_counts_not_the_last():
    decision = evaluate(POLICY, [quiz(95, record=1), quiz(40, record=2), call(90)])
    assert decision.met
    assert decision.results[0].evidence.record_id == 1


def test_a_critical_error_fails_the_call_requirement_whatever_the_score():
    decision = evaluate(POLICY, [quiz(90), call(100, passed=True, critical=1)])
    assert decision.results[1].verdict is Verdict.CRITICAL_ERROR
    assert not decision.met


def test_a_clean_run_is_preferred_to_a_higher_scoring_one_with_a_critical_error():
    runs = [call(100, passed=True, critical=1, record=1), call(82, record=2)]
    decision = evaluate(POLICY, [quiz(90), *runs])
    assert decision.met
    assert decision.results[1].evidence.record_id == 2


def test_critical_errors_may_be_tolerated_by_the_policy():
    policy = Policy(requirements=(CALL,), zero_critical_errors=False)
    assert evaluate(policy, [call(90, passed=True, critical=1)]).met


def test_the_policy_pass_mark_overrides_the_items_own_verdict():
    policy = Policy(requirements=(QUIZ, CALL), quiz_pass_mark=90, call_pass_mark=60)
    decision = evaluate(policy, [quiz(85, passed=True), call(65, passed=False)])
    assert [r.verdict for r in decision.results] == [Verdict.BELOW_PASS_MARK, Verdict.MET]


def test_the_pass_mark_is_inclusive():
    policy = Policy(requirements=(QUIZ,), quiz_pass_mark=80)
    assert evaluate(policy, [quiz(80, passed=False)]).met


def test_results_from_before_the_window_do_not_count():
    old = NOW - timedelta(days=400)
    decision = evaluate(POLICY, [quiz(90, at=old), call(90)], since=NOW - timedelta(days=1))
    assert decision.results[0].verdict is Verdict.NOT_ATTEMPTED


def test_among_equal_scores_the_earliest_result_is_the_proof():
    later = quiz(90, record=2, at=NOW + timedelta(hours=1))
    decision = evaluate(POLICY, [later, quiz(90, record=1), call(90)])
    assert decision.results[0].evidence.record_id == 1


def test_results_for_items_outside_the_policy_are_ignored():
    other = Evidence(Kind.QUIZ, 99, 5, 100, True, NOW)
    assert not evaluate(POLICY, [other, call(90)]).met


def test_a_policy_with_no_requirements_certifies_nothing():
    assert not evaluate(Policy(requirements=()), [quiz(100)]).met
    assert not Decision(()).met


def test_expiry_is_the_validity_after_the_award():
    assert expiry_of(NOW, Policy((), validity_days=365)) == NOW + timedelta(days=365)


def test_status_follows_the_dates():
    def status(days_left):
        return status_of(
            expires_at=NOW + timedelta(days=days_left), revoked=False, superseded=False, now=NOW
        )

    assert status(200) is Status.VALID
    assert status(31) is Status.VALID
    assert status(30) is Status.EXPIRING_SOON
    assert status(1) is Status.EXPIRING_SOON
    assert status(0) is Status.EXPIRED
    assert status(-10) is Status.EXPIRED


def test_revocation_outranks_supersession_which_outranks_expiry():
    past = NOW - timedelta(days=1)
    assert status_of(expires_at=past, revoked=True, superseded=True, now=NOW) is Status.REVOKED
    assert status_of(expires_at=past, revoked=False, superseded=True, now=NOW) is (
        Status.SUPERSEDED
    )


def test_a_newer_major_version_supersedes_only_when_the_policy_says_so():
    assert is_superseded(content_version=1, major_version=2, recertify_on_major_version=True)
    assert not is_superseded(content_version=2, major_version=2, recertify_on_major_version=True)
    assert not is_superseded(content_version=1, major_version=2, recertify_on_major_version=False)


def test_it_awards_unless_a_valid_certificate_stands():
    met = evaluate(POLICY, [quiz(90), call(90)])
    assert should_award(met, None)
    assert not should_award(met, Status.VALID)
    for renewable in (Status.EXPIRING_SOON, Status.EXPIRED, Status.REVOKED, Status.SUPERSEDED):
        assert should_award(met, renewable)
    assert not should_award(evaluate(POLICY, [quiz(90)]), None)


# --- pass^k ---------------------------------------------------------------------------------------

PASS_K = Policy(requirements=(CALL,), calls_in_a_row=2)


def run_on(case, score=90, *, record, minutes=0, critical=0):
    passed = score >= 80 and not critical
    return Evidence(
        Kind.CALL,
        7,
        record,
        score,
        passed,
        NOW + timedelta(minutes=minutes),
        critical_errors=critical,
        case=case,
    )


def test_one_lucky_pass_does_not_certify_under_pass_k():
    [result] = evaluate(PASS_K, [run_on("a", record=1)]).results
    assert result.verdict is Verdict.NOT_IN_A_ROW


def test_two_passes_of_the_same_case_do_not_certify_under_pass_k():
    runs = [run_on("a", record=1), run_on("a", record=2, minutes=5)]
    assert evaluate(PASS_K, runs).results[0].verdict is Verdict.NOT_IN_A_ROW


def test_k_passes_in_a_row_on_k_cases_certify():
    runs = [run_on("a", record=1), run_on("b", record=2, minutes=5)]
    assert evaluate(PASS_K, runs).met


def test_a_failure_breaks_the_row_and_the_latest_failure_decides():
    runs = [
        run_on("a", record=1),
        run_on("b", 40, record=2, minutes=5),
        run_on("c", record=3, minutes=9),
    ]
    assert evaluate(PASS_K, runs).results[0].verdict is Verdict.NOT_IN_A_ROW
    broken = [run_on("a", record=1), run_on("b", record=2, minutes=5, critical=1)]
    assert evaluate(PASS_K, broken).results[0].verdict is Verdict.CRITICAL_ERROR


def test_k_of_one_keeps_the_best_result_rule():
    runs = [run_on("a", record=1), run_on("a", 10, record=2, minutes=5)]
    assert evaluate(Policy(requirements=(CALL,)), runs).met
