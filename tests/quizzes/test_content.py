"""The quizzes shipped in content/quizzes: they load with the curriculum, cover every procedure
with enough questions of every kind, quote the manual word for word, and serve cleanly."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from quizzes import services
from quizzes.guessers import MIN_MARGIN, giveaways, quiz_figures
from quizzes.kinds import KINDS
from quizzes.models import Question, Quiz
from quizzes.selectors import paper_sources
from training.guessing import guessers
from training.models import Module, Procedure
from training.pack.loader import load_pack
from training.selectors import manual_text

pytestmark = pytest.mark.django_db

MANUAL = Path(settings.BASE_DIR).parent / "shared" / "manual" / "procedimentos-atendimento.txt"


@pytest.fixture
def shipped(settings):
    if not any((settings.CONTENT_DIR / "quizzes").glob("*.yaml")):
        pytest.skip("no quiz files in content/quizzes yet")
    # The quizzes need only the curriculum; the whole pack is the shipped-pack test's business.
    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
    ]
    load_pack(settings.CONTENT_DIR)


def normalised(text: str) -> str:
    # The manual wraps some long items onto a new bullet ("profissão,\n  • escolaridade"):
    # bullets and line breaks are layout, not words.
    return re.sub(r"\s+", " ", re.sub(r"\s*•\s*", " ", text)).strip()


def test_every_module_has_a_quiz(shipped):
    assert set(Quiz.objects.values_list("module__slug", flat=True)) == set(
        Module.objects.values_list("slug", flat=True)
    )


def test_every_procedure_has_at_least_six_questions_and_a_scenario(shipped):
    for procedure in Procedure.objects.prefetch_related("questions"):
        questions = list(procedure.questions.all())
        assert len(questions) >= 6, procedure.slug
        assert any(q.is_scenario for q in questions), procedure.slug


def test_a_third_of_the_questions_are_scenarios_and_every_kind_is_used(shipped):
    questions = list(Question.objects.active())
    scenarios = sum(q.is_scenario for q in questions)
    assert scenarios * 3 >= len(questions)
    assert set(Counter(q.kind for q in questions)) == set(KINDS)


def test_every_quote_is_the_manuals_own_words(shipped):
    if not MANUAL.exists():
        pytest.skip(f"{MANUAL} is not here")
    manual = normalised(MANUAL.read_text(encoding="utf-8"))
    for question in Question.objects.all():
        assert normalised(question.manual_quote) in manual, question.key


def test_every_quiz_serves_papers_with_one_key_per_single_choice(shipped, trainee):
    for quiz in Quiz.objects.select_related("module"):
        for _ in range(3):
            attempt = services.attempt_start(quiz=quiz, user=trainee)
            for served in attempt.paper["questions"]:
                assert "{" not in served["stem"], served["key"]
                if served["kind"] == "single":
                    assert sum(o["correct"] for o in served["options"]) == 1, served["key"]
                if served["kind"] == "multiple":
                    assert any(o["correct"] for o in served["options"]), served["key"]
            services.attempt_submit(attempt=attempt)
            attempt.quiz.attempts.filter(pk=attempt.pk).delete()


def test_the_shipped_quizzes_export_to_the_same_data(shipped, settings, tmp_path):
    import yaml

    from training.pack.loader import export_pack

    written = export_pack(tmp_path / "content")
    exported = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in written}
    for path in sorted((settings.CONTENT_DIR / "quizzes").glob("*.yaml")):
        original = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert exported[path.name] == original, path.name


def test_guessers_stay_far_under_every_quizs_pass_mark(shipped):
    """Bots that answer by the look of the options (the first, the longest, the shortest, the
    most polite, never an absolute word, the one that sounds most like the manual, at random)
    stay at least 20 points under each quiz's pass mark on average, and never pass a paper."""
    bots = guessers(manual_text())
    for quiz in Quiz.objects.published():
        slots, questions = paper_sources(quiz)
        figures = quiz_figures(
            slots, questions, pass_mark=quiz.pass_mark, papers=100, guessers=bots
        )
        assert figures.margin() >= MIN_MARGIN, (quiz.slug, figures.mean)
        assert not any(figures.passed.values()), (quiz.slug, figures.passed)


def test_the_look_of_an_option_does_not_give_the_key_away(shipped):
    """Over each bank, the key is the longest option about as often as chance would have it,
    and absolute words are no more a mark of wrong options than of keys."""
    for quiz in Quiz.objects.published():
        _, questions = paper_sources(quiz)
        seen = giveaways(questions.values())
        assert seen.key_longest <= seen.chance + 0.15, (quiz.slug, seen)
        assert seen.wrong_absolute <= seen.key_absolute + 0.15, (quiz.slug, seen)


def test_every_pool_holds_three_times_what_its_quiz_draws(shipped):
    for quiz in Quiz.objects.prefetch_related("slots"):
        for slot in quiz.slots.all():
            if slot.procedure_id:
                pool = Question.objects.active().filter(procedure_id=slot.procedure_id)
                fixed = quiz.slots.filter(question__isnull=False).values("question")
                assert pool.exclude(pk__in=fixed).count() >= 3 * slot.draw_count, quiz.slug


def test_true_and_false_statements_are_balanced(shipped):
    for quiz in Quiz.objects.published():
        _, questions = paper_sources(quiz)
        answers = [q.spec.get("answer") for q in questions.values() if q.kind == "true_false"]
        fixed = [a for a in answers if a is not None]
        if len(fixed) >= 4:
            assert 0.3 <= sum(fixed) / len(fixed) <= 0.7, quiz.slug
