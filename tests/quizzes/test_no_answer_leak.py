"""Nothing that tells a right answer from a wrong one reaches the browser before grading: the
answer sheet, its htmx partials and the quiz page are scanned for keys and markers."""

import re

import pytest
from django.urls import reverse

from quizzes import services
from tests.quizzes.answers import posted
from tests.quizzes.conftest import build_quiz

pytestmark = pytest.mark.django_db

# Words and attributes that would mark an option as right or wrong.
MARKERS = re.compile(
    r"correct|right answer|resposta certa|is-valid|is-invalid|text-success|data-answer|"
    r"fact_values|correct_order|\"pairs\"",
    re.IGNORECASE,
)


def secrets_of(paper: dict) -> list[str]:
    """Texts only a graded attempt may show: explanations, manual quotes, behaviour codes."""
    found = []
    for q in paper["questions"]:
        found += [q["explanation"], q["manual_quote"], *q["behaviors"]]
        for option in q.get("options", ()):
            found += option["behaviors"]
    return [s for s in found if s]


def assert_no_leak(html: str, paper: dict) -> None:
    marker = MARKERS.search(html)
    assert marker is None, f"marker {marker.group(0)!r} in the page"
    for secret in secrets_of(paper):
        assert secret not in html, secret
    blocks = html.split("<fieldset")[1:]  # one per question, in served order, on the sheet
    for q, block in zip(paper["questions"], blocks, strict=False):
        if q["kind"] == "ordering":
            shown = [block.index(step) for step in q["steps"]]
            assert shown == sorted(shown), "steps must appear in served (shuffled) order"


@pytest.fixture
def attempt(trainee_client, trainee):
    quiz = build_quiz(count=14)
    for question in quiz.slots.all():
        question = question.question
        question.explanation = f"Explicação secreta {question.pk}"
        question.manual_quote = f"Trecho do manual {question.pk}"
        question.save()
    return services.attempt_start(quiz=quiz, user=trainee)


def test_the_answer_sheet_carries_no_key(trainee_client, attempt):
    html = trainee_client.get(attempt.get_absolute_url()).content.decode()
    assert_no_leak(html, attempt.paper)


def test_the_answer_sheet_with_saved_answers_carries_no_key(trainee_client, attempt):
    trainee_client.post(reverse("quizzes:answer_save", args=[attempt.pk]), posted(attempt.paper))
    html = trainee_client.get(attempt.get_absolute_url()).content.decode()
    assert_no_leak(html, attempt.paper)


@pytest.mark.parametrize("right", [True, False])
def test_the_autosave_partial_does_not_say_whether_an_answer_is_right(
    trainee_client, attempt, right
):
    data = posted(attempt.paper, right=right)
    for question in attempt.paper["questions"]:
        response = trainee_client.post(
            reverse("quizzes:answer_save", args=[attempt.pk]),
            {**data, "only": question["position"]},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "text-danger" not in html
        assert_no_leak(html.replace("text-success", ""), attempt.paper)


def test_right_and_wrong_saves_get_the_same_partial(trainee_client, attempt):
    url = reverse("quizzes:answer_save", args=[attempt.pk])
    question = attempt.paper["questions"][0]
    shapes = set()
    for right in (True, False):
        html = trainee_client.post(
            url,
            {**posted(attempt.paper, right=right), "only": question["position"]},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        shapes.add(re.sub(r"\d{2}:\d{2}:\d{2}", "", html))
    assert len(shapes) == 1


def test_the_quiz_page_carries_no_key(trainee_client, attempt):
    html = trainee_client.get(attempt.quiz.get_absolute_url()).content.decode()
    assert_no_leak(html, attempt.paper)


def test_a_review_held_back_until_the_quiz_closes_carries_no_key(trainee_client, trainee):
    quiz = build_quiz(count=7, review="after_close", max_attempts=3)
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    services.attempt_submit(attempt=attempt)
    html = trainee_client.get(reverse("quizzes:attempt_review", args=[attempt.pk]))
    assert_no_leak(html.content.decode(), attempt.paper)
