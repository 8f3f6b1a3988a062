"""The trainers' quiz checks: guessing bots answer every published quiz; a quiz whose key is
always the longest option is flagged, a fair one is not."""

import pytest
from django.urls import reverse

from tests.factories import QuestionFactory, QuizFactory, QuizSlotFactory

pytestmark = pytest.mark.django_db


def quiz_with(options_per_question, **quiz_fields):
    quiz = QuizFactory(**quiz_fields)
    for options in options_per_question:
        QuizSlotFactory(
            quiz=quiz,
            question=QuestionFactory(procedure__module=quiz.module, spec={"options": options}),
        )
    return quiz


GIVEAWAY = [
    {
        "text": "Informar ao cliente o prazo de até 24 horas corridas para a ativação",
        "correct": True,
    },
    {"text": "Dizer que não sabe", "breaks": ["X"]},
    {"text": "Ativar na hora", "breaks": ["X"]},
]
FAIR = [
    {"text": "Informar o prazo de até 24 horas corridas", "correct": True},
    {"text": "Informar o prazo de até 48 horas corridas", "breaks": ["X"]},
    {"text": "Informar o prazo de até 12 horas corridas", "breaks": ["X"]},
    {"text": "Informar o prazo de até 72 horas corridas", "breaks": ["X"]},
]


def test_a_quiz_whose_key_is_the_longest_is_flagged_and_a_fair_one_is_not(trainer_client):
    leaky = quiz_with([GIVEAWAY] * 6, title="Quiz que entrega")
    fair = quiz_with([FAIR[i:] + FAIR[:i] for i in range(4)] * 3, title="Quiz justo")

    response = trainer_client.get(reverse("quizzes:checks"))

    checks = {check.quiz.pk: failing for check, failing in response.context["rows"]}
    assert checks == {leaky.pk: True, fair.pk: False}
    html = response.content.decode()
    assert "Quiz que entrega" in html and "Quiz justo" in html


def test_only_trainers_see_the_quiz_checks(trainee_client, manager_client):
    assert trainee_client.get(reverse("quizzes:checks")).status_code == 403
    assert manager_client.get(reverse("quizzes:checks")).status_code == 403
