"""Quiz list pages, the trainer's question list, the review page and the admin: they render,
and their query budgets do not grow with the number of quizzes, questions or attempts."""

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, AttemptItem, Question, Quiz, QuizSlot
from tests.factories import UserFactory
from tests.quizzes.answers import posted
from tests.quizzes.conftest import build_quiz

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 5])
def test_the_quiz_list_budget_does_not_grow_with_quizzes(
    trainee_client, django_assert_num_queries, count
):
    for _ in range(count):
        build_quiz(count=2)
    # session, user, permissions (2), quizzes
    with django_assert_num_queries(5):
        response = trainee_client.get(reverse("quizzes:quiz_list"))
    assert len(response.context["quizzes"]) == count


@pytest.mark.parametrize("attempts", [1, 4])
def test_the_quiz_page_budget_does_not_grow_with_attempts(
    trainee_client, trainee, django_assert_num_queries, attempts
):
    quiz = build_quiz(count=3, max_attempts=None)
    for _ in range(attempts):
        services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=trainee))
    # session, user, permissions (2), quiz with module, attempts
    with django_assert_num_queries(6):
        response = trainee_client.get(quiz.get_absolute_url())
    assert response.context["standing"].attempts_used == attempts


@pytest.mark.parametrize("count", [3, 20])
def test_the_review_budget_does_not_grow_with_questions(
    trainee_client, trainee, django_assert_num_queries, count
):
    quiz = build_quiz(count=count)
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), posted(attempt.paper))
    # session, user, permissions (2), attempt with items (2), the trainee's attempts
    with django_assert_num_queries(7):
        response = trainee_client.get(reverse("quizzes:attempt_review", args=[attempt.pk]))
    assert len(response.context["items"]) == count
    assert all(item.result.correct for item in response.context["items"])


@pytest.mark.parametrize("count", [2, 12])
def test_the_trainers_question_list_budget_does_not_grow_with_questions(
    trainer_client, django_assert_num_queries, count
):
    quiz = build_quiz(count=count)
    procedure = quiz.slots.first().question.procedure
    # session, user, permissions (2), procedure, questions, their behaviours, open drafts
    with django_assert_num_queries(8):
        response = trainer_client.get(reverse("quizzes:question_list", args=[procedure.slug]))
    assert len(response.context["questions"]) == count


def test_the_question_list_is_for_trainers(trainee_client, quiz):
    procedure = quiz.slots.first().question.procedure
    response = trainee_client.get(reverse("quizzes:question_list", args=[procedure.slug]))
    assert response.status_code == 403


@pytest.mark.parametrize("model", [Question, Quiz, QuizSlot, Attempt, AttemptItem])
def test_every_quiz_model_has_a_working_admin(client, trainee, quiz, model):
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=trainee))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    obj = model.objects.first()
    change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_the_admin_rejects_a_question_spec_that_breaks_the_schema(client, quiz):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    question = quiz.slots.first().question
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = client.post(
        url,
        {
            "procedure": question.procedure_id,
            "key": question.key,
            "kind": "single",
            "stem": question.stem,
            "spec": '{"options": [{"text": "Só uma", "correkt": true}]}',
            "explanation": "x",
            "manual_quote": "y",
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "correkt" in response.content.decode()
    question.refresh_from_db()
    assert "correkt" not in str(question.spec)
