"""A new question kind is one class and one template: a toy kind registered here is served,
answered, graded, reviewed and analysed through the registry, with no other change."""

from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from quizzes.kinds import KINDS, register
from quizzes.kinds.base import Evidence, Graded, Input, QuestionKind
from quizzes.models import Attempt
from tests.factories import QuestionFactory, QuizFactory, QuizSlotFactory

pytestmark = pytest.mark.django_db

TEMPLATE = """{% if mode == "review" %}<p class="toy-review">Você: {{ item.review.given }} ·
Certo: {{ item.review.right }}</p>{% else %}<input type="text" aria-label="Sigla"
name="{{ question.input_prefix }}-answer" value="{{ question.value }}">{% endif %}"""


class Acronym(QuestionKind):
    """Type an acronym the manual uses; case and spaces do not matter."""

    name = "acronym"
    label = "Acronym"
    entry = None  # not part of the pack in this test
    template = "toy/acronym.html"

    def serve(self, spec, facts, rng, *, shuffle_options):
        return {"answer": spec["answer"]}

    def inputs(self, public):
        return [Input("answer", "text", max_length=20)]

    def read(self, values, public):
        return (values.get("answer") or "").strip().upper() or None

    def sheet(self, public, saved):
        return {"value": saved or ""}

    def grade(self, served, response):
        ok = response == served["answer"]
        return Graded(Decimal(int(ok)), (Evidence("acronym", served["answer"], response, ok),))

    def review(self, served, response):
        return {"given": response or "–", "right": served["answer"]}

    def option_counts(self, served, response):
        return [(served["answer"], True)], [response] if response == served["answer"] else []

    def guess(self, public, guesser, rng):
        return "X"


@pytest.fixture
def acronym():
    register(Acronym())
    templates = {"toy/acronym.html": TEMPLATE}
    loaders = [
        ("django.template.loaders.locmem.Loader", templates),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    from django.conf import settings

    engine = {**settings.TEMPLATES[0], "APP_DIRS": False}
    engine["OPTIONS"] = {**engine["OPTIONS"], "loaders": loaders}
    with override_settings(TEMPLATES=[engine]):
        yield
    del KINDS["acronym"]


def test_a_kind_of_one_class_and_one_template_goes_end_to_end(
    acronym, trainee_client, trainer, django_capture_on_commit_callbacks
):
    quiz = QuizFactory(review="immediately")
    question = QuestionFactory(
        procedure__module=quiz.module,
        kind="acronym",
        stem="Qual índice reajusta a fatura anualmente?",
        spec={"answer": "IGPM", "behaviors": []},
    )
    QuizSlotFactory(quiz=quiz, question=question)

    # served
    started = trainee_client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
    attempt = Attempt.objects.get(pk=int(started.url.rstrip("/").split("/")[-1]))
    assert attempt.paper["questions"][0]["answer"] == "IGPM"
    sheet = trainee_client.get(attempt.get_absolute_url()).content.decode()
    assert 'name="q0-answer"' in sheet and "IGPM" not in sheet

    # answered, graded (and, once that commits, counted for item analysis)
    with django_capture_on_commit_callbacks(execute=True):
        trainee_client.post(
            reverse("quizzes:attempt_submit", args=[attempt.pk]),
            {"shown": "0", "q0-answer": " igpm "},
        )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (Decimal("100.00"), True)
    assert attempt.items.get().response == "IGPM"

    # reviewed
    review = trainee_client.get(reverse("quizzes:attempt_review", args=[attempt.pk]))
    assert 'class="toy-review"' in review.content.decode()

    # analysed
    trainer_client = Client()
    trainer_client.force_login(trainer)
    analysis = trainer_client.get(reverse("reporting:item_analysis_quiz", args=[quiz.slug]))
    [row] = analysis.context["analysis"].questions
    assert (row.question, row.served, row.facility) == (question, 1, 1.0)
    assert [(o.text, o.chosen, o.correct) for o in row.options] == [("IGPM", 1, True)]
