"""The certification rule: whether a trainee's graded results meet a module's policy, and what
state a certificate is in. Plain Python, no Django, so it is tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

EXPIRING_SOON_DAYS = 30


class Kind(StrEnum):
    QUIZ = "quiz"
    CALL = "call"


class Verdict(StrEnum):
    MET = "met"
    NOT_ATTEMPTED = "not_attempted"
    BELOW_PASS_MARK = "below_pass_mark"
    CRITICAL_ERROR = "critical_error"
    NOT_IN_A_ROW = "not_in_a_row"  # pass^k: the last k calls did not all pass, on k cases


class Status(StrEnum):
    """A certificate's state; the order is the order of precedence when several apply."""

    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    EXPIRING_SOON = "expiring_soon"
    VALID = "valid"


# A trainee holding a certificate in one of these states has nothing to renew yet.
STANDING = frozenset({Status.VALID})


@dataclass(frozen=True)
class Requirement:
    kind: Kind
    item_id: int
    title: str = ""


@dataclass(frozen=True)
class Policy:
    requirements: tuple[Requirement, ...]
    # Percentages; None means the item's own verdict (the quiz's or scenario's pass mark) decides.
    quiz_pass_mark: float | None = None
    call_pass_mark: float | None = None
    zero_critical_errors: bool = True
    validity_days: int = 365
    # pass^k: a required call counts only when its last k results all passed, each on a
    # different fact case (1: the best result decides, as for quizzes).
    calls_in_a_row: int = 1


@dataclass(frozen=True)
class Evidence:
    """One graded attempt (quiz) or run (call) of the trainee on an item."""

    kind: Kind
    item_id: int
    record_id: int
    score: float
    passed: bool
    finished_at: datetime
    critical_errors: int = 0
    case: str = ""  # the call's fact case (what the drawn facts decide), for pass^k


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    verdict: Verdict
    evidence: Evidence | None  # the result that decided: the qualifying one, else the best one

    @property
    def met(self) -> bool:
        return self.verdict is Verdict.MET


@dataclass(frozen=True)
class Decision:
    results: tuple[RequirementResult, ...]

    @property
    def met(self) -> bool:
        # A policy that requires nothing certifies nothing: a module without quizzes or calls
        # cannot be proved.
        return bool(self.results) and all(r.met for r in self.results)

    @property
    def evidence(self) -> list[Evidence]:
        return [r.evidence for r in self.results if r.evidence is not None]


def judge(policy: Policy, evidence: Evidence) -> Verdict:
    """How one graded result stands against the policy's bar for its kind."""
    if evidence.kind == Kind.CALL and policy.zero_critical_errors and evidence.critical_errors:
        return Verdict.CRITICAL_ERROR
    mark = policy.quiz_pass_mark if evidence.kind == Kind.QUIZ else policy.call_pass_mark
    reached = evidence.passed if mark is None else evidence.score >= mark
    return Verdict.MET if reached else Verdict.BELOW_PASS_MARK


def evaluate(
    policy: Policy, evidence: Iterable[Evidence], *, since: datetime | None = None
) -> Decision:
    """Judge each requirement by the trainee's best result on it.

    Results finished before ``since`` (the previous certificate, its revocation, or the start
    of the current major content version) do not count: a renewal needs fresh proof.
    """
    by_item: dict[tuple[Kind, int], list[Evidence]] = {}
    for item in evidence:
        if since is None or item.finished_at >= since:
            by_item.setdefault((item.kind, item.item_id), []).append(item)
    results = []
    for requirement in policy.requirements:
        candidates = by_item.get((requirement.kind, requirement.item_id), [])
        if not candidates:
            results.append(RequirementResult(requirement, Verdict.NOT_ATTEMPTED, None))
            continue
        if requirement.kind == Kind.CALL and policy.calls_in_a_row > 1:
            results.append(_in_a_row(policy, requirement, candidates))
            continue
        # Best first: one that meets the bar, then the higher score, then the earlier one (so
        # re-evaluating later picks the same proof).
        ranked = sorted(
            ((judge(policy, e), e) for e in candidates),
            key=lambda pair: (
                pair[0] is not Verdict.MET,
                -pair[1].score,
                pair[1].finished_at,
                pair[1].record_id,
            ),
        )
        verdict, best = ranked[0]
        results.append(RequirementResult(requirement, verdict, best))
    return Decision(tuple(results))


def _in_a_row(
    policy: Policy, requirement: Requirement, candidates: list[Evidence]
) -> RequirementResult:
    """pass^k: the latest k results of the call must all pass, on k different fact cases; one
    lucky pass, or k passes of the same case, is not proof."""
    k = policy.calls_in_a_row
    latest = sorted(candidates, key=lambda e: (e.finished_at, e.record_id))[-k:]
    verdicts = [judge(policy, e) for e in latest]
    if verdicts[-1] is not Verdict.MET:
        return RequirementResult(requirement, verdicts[-1], latest[-1])
    passed = (
        len(latest) == k
        and all(v is Verdict.MET for v in verdicts)
        and len({e.case for e in latest}) == k
    )
    return RequirementResult(
        requirement, Verdict.MET if passed else Verdict.NOT_IN_A_ROW, latest[-1]
    )


def expiry_of(awarded_at: datetime, policy: Policy) -> datetime:
    return awarded_at + timedelta(days=policy.validity_days)


def is_superseded(
    *, content_version: int, major_version: int, recertify_on_major_version: bool
) -> bool:
    """A certificate earned on content older than the module's current major version."""
    return recertify_on_major_version and content_version < major_version


class Test(StrEnum):
    """What decides a status; the database annotation translates each into a condition."""

    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"  # expires at or before now
    EXPIRING_SOON = "expiring_soon"  # expires within EXPIRING_SOON_DAYS


# The first test that holds gives the status; VALID when none does.
PRECEDENCE: tuple[tuple[Status, Test], ...] = (
    (Status.REVOKED, Test.REVOKED),
    (Status.SUPERSEDED, Test.SUPERSEDED),
    (Status.EXPIRED, Test.EXPIRED),
    (Status.EXPIRING_SOON, Test.EXPIRING_SOON),
)


def status_of(*, expires_at: datetime, revoked: bool, superseded: bool, now: datetime) -> Status:
    holds = {
        Test.REVOKED: revoked,
        Test.SUPERSEDED: superseded,
        Test.EXPIRED: expires_at <= now,
        Test.EXPIRING_SOON: expires_at <= now + timedelta(days=EXPIRING_SOON_DAYS),
    }
    return next((status for status, test in PRECEDENCE if holds[test]), Status.VALID)


def should_award(decision: Decision, current: Status | None) -> bool:
    """Award when the policy is met and the trainee holds nothing still standing.

    A certificate expiring soon can be renewed ahead of time; renewal adds a record.
    """
    return decision.met and current not in STANDING
