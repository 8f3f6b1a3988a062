"""The coverage of the manual: per behaviour, the questions and calls that judge it; a
behaviour no call judges, or fewer than two questions, is a gap (pure rule and pages)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import QuestionFactory
from tests.scenarios.calls import make_call
from training.coverage import BehaviorRef, coverage
from training.models import Behavior


def ref(code, kind="action"):
    return BehaviorRef("m", "p", code, code.title(), kind)


def test_a_behaviour_needs_a_call_and_two_questions():
    rows = coverage(
        [ref("A"), ref("B"), ref("C")],
        {"q1": ["A", "B"], "q2": ["A"], "q3": ["C"], "q4": ["C", "C"]},
        {"call": {"A": (3, 4), "B": (1, 4)}},
    )

    found = {
        r.behavior.code: (r.ok, r.questions, [(c.call, c.judged) for c in r.calls]) for r in rows
    }
    assert found == {
        "A": (True, ("q1", "q2"), [("call", 3)]),
        "B": (False, ("q1",), [("call", 1)]),
        "C": (False, ("q3", "q4"), []),
    }
    assert rows[2].gaps() == ["no call judges it (needs 1)"]


@pytest.fixture
def covered(db):
    """The test call, and two questions on each of its behaviours but one."""
    call = make_call()
    codes = list(Behavior.objects.values_list("code", flat=True))
    for code in codes[1:]:
        for _ in range(2):
            QuestionFactory(procedure=call.procedures.get()).behaviors.add(
                Behavior.objects.get(code=code)
            )
    return call, codes[0]


def test_the_command_names_each_gap_and_fails(covered):
    call, thin = covered
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 11 behaviours are not exercised enough"):
        call_command("coverage_report", stdout=out)

    assert f"GAP {thin}" in out.getvalue()
    assert "0 question(s) (needs 2)" in out.getvalue()


def test_the_command_judges_calls_by_their_fact_cases(covered):
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("coverage_report", "--all", stdout=out)

    # A second promise is possible only when a promise was broken: 2 of the 4 cases.
    assert "TESTE.SEGUNDA [violation]: 2 question(s); calls: promessa-teste (2/4 cases)" in (
        out.getvalue()
    )


def test_trainers_see_the_coverage_and_nobody_else_does(covered, client, trainer, trainee, manager):
    url = reverse("reporting:coverage")
    for user in (trainee, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403

    client.force_login(trainer)
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert covered[1] in html
    assert reverse("scenarios:detail", args=[covered[0].slug]) in html


def test_the_coverage_page_reads_in_a_constant_number_of_queries(
    covered, client, trainer, django_assert_num_queries
):
    client.force_login(trainer)
    # session, user, roles (2), behaviours, questions' codes, current call versions
    with django_assert_num_queries(7):
        client.get(reverse("reporting:coverage"))
