"""Item analysis for trainers: facility, discrimination and option choices per question, and
choices taken per call step, computed from stored answers and transcripts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from reporting.item_analysis import call_analysis, quiz_analysis
from reporting.models import OptionTally
from reporting.services import option_tallies_add, option_tallies_rebuild
from scenarios.models import Run
from tests.factories import (
    AttemptFactory,
    AttemptItemFactory,
    QuestionFactory,
    QuizFactory,
    RunFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
    TurnFactory,
    UserFactory,
)
from training.roles import Role

pytestmark = pytest.mark.django_db

OPTIONS = [
    {"text": "Certa", "correct": True},
    {"text": "Errada A", "correct": False},
    {"text": "Errada B", "correct": False},
]


def served(question, position, reverse_options):
    options = list(reversed(OPTIONS)) if reverse_options else list(OPTIONS)
    return {"position": position, "question_id": question.pk, "kind": "single", "options": options}


def pick(text, reverse_options):
    options = list(reversed(OPTIONS)) if reverse_options else OPTIONS
    return [o["text"] for o in options].index(text)


@pytest.fixture
def quiz_with_attempts():
    """Ten attempts scored 100, 90... 10. Q1 is answered right by the five best; Q2 only by the
    three weakest: a misleading question."""
    quiz = QuizFactory()
    q1 = QuestionFactory(procedure__module=quiz.module, kind="single")
    q2 = QuestionFactory(procedure=q1.procedure, kind="single")
    now = timezone.now()
    for n in range(10):
        score = 100 - 10 * n
        flip = n % 2 == 0
        attempt = AttemptFactory(
            quiz=quiz,
            user=UserFactory(roles=[Role.TRAINEE]),
            status=Attempt.Status.SUBMITTED,
            score=score,
            passed=score >= 70,
            submitted_at=now - timedelta(minutes=n),
            paper={"quiz": {}, "questions": [served(q1, 0, flip), served(q2, 1, flip)]},
        )
        q1_right, q2_right = n < 5, n >= 7
        AttemptItemFactory(
            attempt=attempt,
            position=0,
            question=q1,
            response=pick("Certa" if q1_right else "Errada A", flip),
            score=Decimal(int(q1_right)),
        )
        AttemptItemFactory(
            attempt=attempt,
            position=1,
            question=q2,
            response=pick("Certa" if q2_right else "Errada B", flip),
            score=Decimal(int(q2_right)),
        )
    # An attempt still open counts for nothing.
    AttemptFactory(quiz=quiz)
    # What grading does for each attempt once it commits.
    for attempt in Attempt.objects.graded():
        option_tallies_add(attempt_id=attempt.pk)
    return quiz, q1, q2


def test_facility_and_discrimination_use_the_top_and_bottom_27_percent(quiz_with_attempts):
    quiz, q1, q2 = quiz_with_attempts
    analysis = quiz_analysis(quiz)
    assert (analysis.attempts, analysis.group_size) == (10, 3)
    by_question = {a.question: a for a in analysis.questions}
    assert by_question[q1].facility == 0.5
    assert by_question[q1].discrimination == 1.0
    assert by_question[q2].facility == 0.3
    assert by_question[q2].discrimination == -1.0
    assert by_question[q2].flags == ["weak"]
    assert by_question[q1].flags == []


def test_option_choices_are_read_through_each_attempts_own_order(quiz_with_attempts):
    quiz, q1, q2 = quiz_with_attempts
    by_question = {a.question: a for a in quiz_analysis(quiz).questions}
    counts = {o.text: (o.chosen, o.percent, o.correct) for o in by_question[q1].options}
    assert counts == {
        "Certa": (5, 50, True),
        "Errada A": (5, 50, False),
        "Errada B": (0, 0, False),
    }
    counts = {o.text: o.chosen for o in by_question[q2].options}
    assert counts == {"Certa": 3, "Errada A": 0, "Errada B": 7}


def option_counts():
    return set(OptionTally.objects.values_list("question_id", "text", "correct", "chosen"))


def test_an_attempt_is_counted_once_however_often_it_is_announced(quiz_with_attempts):
    before = option_counts()
    for attempt in Attempt.objects.graded():
        assert option_tallies_add(attempt_id=attempt.pk) is False
    assert option_counts() == before


def test_a_rebuild_from_the_papers_gives_the_same_counts(quiz_with_attempts):
    before = option_counts()
    assert option_tallies_rebuild(batch=3) == 10
    assert option_counts() == before


def test_grading_a_quiz_counts_its_picks_after_the_commit(
    trainee, django_capture_on_commit_callbacks
):
    from quizzes import services
    from tests.quizzes.conftest import build_quiz

    quiz = build_quiz()
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.options_tallied
    assert OptionTally.objects.exists()


def test_a_quiz_without_attempts_has_nothing_to_show(db):
    analysis = quiz_analysis(QuizFactory())
    assert analysis.attempts == 0 and analysis.questions == []


def test_choices_taken_per_call_step_leave_previews_out():
    scenario = ScenarioFactory()
    version = ScenarioVersionFactory(
        scenario=scenario,
        definition={
            "steps": [
                {
                    "id": "abertura",
                    "customer": "Olá.",
                    "choices": [
                        {"id": "cumprimentar", "say": "Olá!", "next": "fim"},
                        {"id": "ignorar", "say": "Diga.", "next": "fim"},
                    ],
                },
                {"id": "fim", "customer": "Tchau.", "outcome": "Encerrada."},
            ]
        },
    )

    def finished_run(choice, **extra):
        run = RunFactory(
            version=version,
            scenario=scenario,
            status=Run.Status.COMPLETED,
            finished_at=timezone.now(),
            passed=True,
            **extra,
        )
        TurnFactory(run=run, index=1, step_id="abertura", choice_id=choice)

    for choice in ["cumprimentar", "cumprimentar", "cumprimentar", "ignorar"]:
        finished_run(choice)
    finished_run("ignorar", is_preview=True)
    # A call still under way counts once it ends.
    ongoing = RunFactory(version=version, scenario=scenario, status=Run.Status.IN_PROGRESS)
    TurnFactory(run=ongoing, index=1, step_id="abertura", choice_id="ignorar")

    steps = call_analysis(scenario)

    assert [s.id for s in steps] == ["abertura"]
    assert steps[0].reached == 4
    assert [(c.id, c.taken, c.percent) for c in steps[0].choices] == [
        ("cumprimentar", 3, 75),
        ("ignorar", 1, 25),
    ]

    # The figures are kept until another run ends, and then counted again.
    finished_run("ignorar")
    steps = call_analysis(scenario)
    assert [(c.id, c.taken) for c in steps[0].choices] == [("cumprimentar", 3), ("ignorar", 2)]


def test_trainers_read_the_pages_in_a_fixed_number_of_queries(
    trainer_client, quiz_with_attempts, django_assert_max_num_queries
):
    quiz, _, _ = quiz_with_attempts
    scenario = ScenarioFactory(module=quiz.module)
    ScenarioVersionFactory(scenario=scenario)
    with django_assert_max_num_queries(12):
        response = trainer_client.get(reverse("reporting:item_analysis_quiz", args=[quiz.slug]))
    assert response.status_code == 200
    assert "Certa" in response.content.decode()
    with django_assert_max_num_queries(10):
        response = trainer_client.get(reverse("reporting:item_analysis_call", args=[scenario.slug]))
    assert response.status_code == 200
    response = trainer_client.get(reverse("reporting:item_analysis"))
    assert quiz.title in response.content.decode()


@pytest.mark.parametrize(
    "name, args",
    [("item_analysis", []), ("item_analysis_quiz", ["x"]), ("item_analysis_call", ["x"])],
)
def test_trainees_and_managers_may_not(trainee_client, name, args):
    assert trainee_client.get(reverse(f"reporting:{name}", args=args)).status_code == 403
