"""The trainer's home: what each module holds, and the way to every authoring tool."""

import pytest
from django.urls import reverse

from tests.factories import BehaviorFactory, ProcedureFactory, QuestionFactory, ScenarioFactory


def build_modules(count: int) -> None:
    for _ in range(count):
        procedure = ProcedureFactory()
        BehaviorFactory.create_batch(2, procedure=procedure)
        QuestionFactory.create_batch(3, procedure=procedure)
        QuestionFactory(procedure=procedure, is_active=False)
        ScenarioFactory(module=procedure.module)


def test_the_authoring_home_counts_what_each_module_holds(trainer_client):
    build_modules(1)
    response = trainer_client.get(reverse("reporting:authoring"))
    module = response.context["modules"][0]
    assert (module.procedure_count, module.behavior_count) == (1, 2)
    assert (module.question_count, module.call_count) == (3, 1)
    html = response.content.decode()
    assert reverse("scenarios:checks") in html
    assert reverse("reporting:item_analysis") in html
    procedure = module.procedures.all()[0]
    assert reverse("quizzes:question_list", args=[procedure.slug]) in html


@pytest.mark.parametrize("modules", [1, 6])
def test_the_authoring_home_takes_the_same_queries_for_any_number_of_modules(
    trainer_client, django_assert_num_queries, modules
):
    build_modules(modules)
    # session, user, permissions (roles in the layout), modules, their procedures
    with django_assert_num_queries(6):
        assert trainer_client.get(reverse("reporting:authoring")).status_code == 200


def test_a_trainee_sees_the_quiz_and_calls_of_a_module(trainee_client):
    procedure = ProcedureFactory()
    html = trainee_client.get(procedure.module.get_absolute_url()).content.decode()
    assert reverse("quizzes:module_quiz", args=[procedure.module.slug]) in html
    assert reverse("scenarios:module_list", args=[procedure.module.slug]) in html
