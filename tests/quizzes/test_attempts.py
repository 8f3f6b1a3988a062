"""Attempts with integrity: a frozen paper, autosave, one grading per attempt whatever the
browser does, deadlines, limits, other trainees' attempts, and query budgets."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptItem, Question
from tests.factories import ProcedureFactory, QuestionFactory, QuizFactory, QuizSlotFactory
from tests.quizzes.answers import posted
from tests.quizzes.conftest import build_quiz
from training.models import Judgement

pytestmark = pytest.mark.django_db


def start(client, quiz) -> Attempt:
    response = client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


# --- starting freezes what was served --------------------------------------------------


def test_starting_freezes_questions_versions_option_order_and_facts(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    paper = attempt.paper
    assert paper["quiz"]["version"] == quiz.version
    assert len(paper["questions"]) == 7
    assert attempt.items.count() == 7
    scenario = next(q for q in paper["questions"] if q["fact_values"])
    assert scenario["fact_values"]["customer_name"] in scenario["stem"]

    first = Question.objects.get(pk=paper["questions"][0]["question_id"])
    first.stem = "Texto novo"
    first.spec = {"answer": False}
    first.kind = "true_false"
    first.version += 1
    first.save()

    attempt.refresh_from_db()
    assert attempt.paper == paper
    page = trainee_client.get(attempt.get_absolute_url())
    assert "Texto novo" not in page.content.decode()


def test_starting_again_resumes_the_open_attempt(trainee_client, quiz):
    first = start(trainee_client, quiz)
    assert start(trainee_client, quiz) == first
    assert Attempt.objects.count() == 1


def test_each_attempt_draws_its_own_facts(trainee, quiz):
    quiz.max_attempts = None
    quiz.save()
    drawn = set()
    for _ in range(8):
        attempt = services.attempt_start(quiz=quiz, user=trainee)
        scenario = next(q for q in attempt.paper["questions"] if q["fact_values"])
        drawn.add(tuple(sorted(scenario["fact_values"].items())))
        services.attempt_submit(attempt=attempt)
    assert len(drawn) > 1


def test_draws_prefer_questions_the_trainee_has_not_seen(trainee):
    quiz = QuizFactory(max_attempts=None)
    procedure = ProcedureFactory(module=quiz.module)
    pool = {QuestionFactory(procedure=procedure).pk for _ in range(6)}
    QuizSlotFactory(quiz=quiz, question=None, procedure=procedure, draw_count=3)
    served = []
    for _ in range(2):
        attempt = services.attempt_start(quiz=quiz, user=trainee)
        served.append({q["question_id"] for q in attempt.paper["questions"]})
        services.attempt_submit(attempt=attempt)
    assert served[0] | served[1] == pool
    assert not served[0] & served[1]


# --- autosave ---------------------------------------------------------------------------


def test_htmx_autosave_of_one_question_survives_a_reload(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    question = attempt.paper["questions"][0]
    data = posted(attempt.paper)
    prefix = f"q{question['position']}"
    one = {k: v for k, v in data.items() if k.startswith(prefix + "-")}
    response = trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]),
        {**one, "only": str(question["position"])},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Salvo" in response.content.decode() or "Saved" in response.content.decode()
    saved = AttemptItem.objects.get(attempt=attempt, position=question["position"])
    assert saved.response is not None
    assert AttemptItem.objects.filter(attempt=attempt, response__isnull=False).count() == 1

    page = trainee_client.get(attempt.get_absolute_url()).content.decode()
    assert " checked" in page or " selected" in page or 'value="24"' in page


def test_plain_post_without_javascript_saves_every_answer(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    response = trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]), posted(attempt.paper)
    )
    assert response.status_code == 302
    assert not AttemptItem.objects.filter(attempt=attempt, response__isnull=True).exists()
    page = trainee_client.get(attempt.get_absolute_url()).content.decode()
    assert page.count(" checked") + page.count(" selected") >= 7


def test_an_emptied_question_is_cleared(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    url = reverse("quizzes:answer_save", args=[attempt.pk])
    trainee_client.post(url, posted(attempt.paper))
    multiple = next(q for q in attempt.paper["questions"] if q["kind"] == "multiple")
    trainee_client.post(url, {"shown": str(multiple["position"])})
    item = AttemptItem.objects.get(attempt=attempt, position=multiple["position"])
    assert item.response is None


def test_an_invalid_ordering_is_not_saved_and_says_why(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    ordering = next(q for q in attempt.paper["questions"] if q["kind"] == "ordering")
    prefix = f"q{ordering['position']}"
    response = trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]),
        {"only": ordering["position"], f"{prefix}-0": "0", f"{prefix}-1": "0", f"{prefix}-2": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "text-danger" in response.content.decode()
    assert AttemptItem.objects.get(attempt=attempt, position=ordering["position"]).response is None


def test_a_half_placed_ordering_is_saved_as_unanswered_without_complaint(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    ordering = next(q for q in attempt.paper["questions"] if q["kind"] == "ordering")
    prefix = f"q{ordering['position']}"
    response = trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]),
        {"only": ordering["position"], f"{prefix}-0": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert "text-danger" not in response.content.decode()
    assert AttemptItem.objects.get(attempt=attempt, position=ordering["position"]).response is None


# --- submitting once --------------------------------------------------------------------


def test_submitting_grades_saves_answers_and_records_behaviour_outcomes(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    response = trainee_client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), posted(attempt.paper)
    )
    assert response.url == reverse("quizzes:attempt_review", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.score == 100
    assert attempt.passed
    outcomes = Judgement.objects.filter(source="quiz", record=attempt.pk)
    assert {(o.behavior.code, o.kept) for o in outcomes} == {
        ("TESTE.PRAZO", True),
        ("TESTE.SALDO", True),
    }
    assert all(o.trainee == attempt.user for o in outcomes)


def test_wrong_answers_score_zero_and_miss_their_behaviours(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    trainee_client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), posted(attempt.paper, right=False)
    )
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert not attempt.passed
    assert not Judgement.objects.filter(source="quiz", record=attempt.pk, verdict="kept").exists()


def test_a_double_submit_is_counted_once(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    url = reverse("quizzes:attempt_submit", args=[attempt.pk])
    trainee_client.post(url, posted(attempt.paper))
    graded_at = Attempt.objects.get(pk=attempt.pk).submitted_at
    response = trainee_client.post(url, posted(attempt.paper, right=False), follow=True)
    attempt.refresh_from_db()
    assert attempt.score == 100
    assert attempt.submitted_at == graded_at
    assert Judgement.objects.filter(source="quiz", record=attempt.pk).count() == 2
    assert len(response.context["messages"]) == 1


def test_a_stale_tab_cannot_change_a_submitted_attempt(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), posted(attempt.paper))
    before = list(AttemptItem.objects.filter(attempt=attempt).values_list("response", flat=True))

    response = trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]), posted(attempt.paper, right=False)
    )
    assert response.url == reverse("quizzes:attempt_review", args=[attempt.pk])
    htmx = trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]),
        posted(attempt.paper, right=False),
        HTTP_HX_REQUEST="true",
    )
    assert htmx.headers["HX-Redirect"] == reverse("quizzes:attempt_review", args=[attempt.pk])
    after = list(AttemptItem.objects.filter(attempt=attempt).values_list("response", flat=True))
    assert after == before
    assert trainee_client.get(attempt.get_absolute_url()).status_code == 302


def test_submit_service_is_idempotent(trainee, quiz):
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    first = services.attempt_submit(attempt=attempt)
    second = services.attempt_submit(attempt=attempt)
    assert first.counted and not second.counted
    assert second.attempt.submitted_at == first.attempt.submitted_at


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submits_are_counted_once(trainee):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    quiz = build_quiz()
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def submit():
        try:
            barrier.wait()
            outcomes.append(services.attempt_submit(attempt=attempt).counted)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(outcomes) == [False, False, False, True]
    assert Judgement.objects.filter(source="quiz", record=attempt.pk).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_starts_open_one_attempt(trainee):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    quiz = build_quiz()
    barrier = threading.Barrier(3)
    started, errors = [], []

    def begin():
        try:
            barrier.wait()
            started.append(services.attempt_start(quiz=quiz, user=trainee).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=begin) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(started)) == 1
    assert Attempt.objects.count() == 1


# --- deadlines --------------------------------------------------------------------------


def test_an_expired_attempt_is_graded_with_its_saved_answers_when_next_read(trainee_client, quiz):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = start(trainee_client, quiz)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=10)
    data = posted(attempt.paper)
    first = attempt.paper["questions"][0]
    prefix = f"q{first['position']}-"
    trainee_client.post(
        reverse("quizzes:answer_save", args=[attempt.pk]),
        {**{k: v for k, v in data.items() if k.startswith(prefix)}, "only": first["position"]},
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - services.DEADLINE_GRACE - timedelta(seconds=1)
    )

    response = trainee_client.get(attempt.get_absolute_url())
    assert response.url == reverse("quizzes:attempt_review", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.score == Decimal("14.29")

    late = trainee_client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), data)
    assert late.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal("14.29")


def test_answers_are_accepted_within_the_grace_and_refused_after(trainee, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    position = next(q["position"] for q in attempt.paper["questions"] if q["kind"] == "single")
    within = attempt.deadline + services.DEADLINE_GRACE
    services.answer_save(attempt=attempt, responses={position: 0}, now=within)
    with pytest.raises(services.AttemptClosed):
        services.answer_save(
            attempt=attempt, responses={position: 1}, now=within + timedelta(seconds=1)
        )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert AttemptItem.objects.get(attempt=attempt, position=position).response == 0


def test_starting_after_an_overdue_attempt_grades_it_first(trainee, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    first = services.attempt_start(quiz=quiz, user=trainee)
    later = first.deadline + timedelta(hours=1)
    second = services.attempt_start(quiz=quiz, user=trainee, now=later)
    first.refresh_from_db()
    assert first.status == Attempt.Status.EXPIRED
    assert second.number == 2


# --- access, limits and waits -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("quizzes:attempt_detail", "get"),
        ("quizzes:attempt_review", "get"),
        ("quizzes:answer_save", "post"),
        ("quizzes:attempt_submit", "post"),
    ],
)
def test_another_trainees_attempt_is_not_found(client, trainee, other_trainee, quiz, name, method):
    attempt = services.attempt_start(quiz=quiz, user=trainee)
    client.force_login(other_trainee)
    response = getattr(client, method)(reverse(name, args=[attempt.pk]))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


def test_quiz_pages_need_the_trainee_role(trainer_client, quiz):
    assert trainer_client.get(quiz.get_absolute_url()).status_code == 403


def test_the_attempt_limit_is_enforced(trainee_client, trainee):
    quiz = build_quiz(count=2, max_attempts=1)
    attempt = start(trainee_client, quiz)
    services.attempt_submit(attempt=attempt)
    response = trainee_client.post(reverse("quizzes:attempt_start", args=[quiz.slug]), follow=True)
    assert Attempt.objects.count() == 1
    assert "tentativas" in response.content.decode() or "attempts" in response.content.decode()
    with pytest.raises(services.QuizUnavailable):
        services.attempt_start(quiz=quiz, user=trainee)


def test_the_wait_between_attempts_is_enforced(trainee):
    quiz = build_quiz(count=2, wait_minutes=30)
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=trainee, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    with pytest.raises(services.QuizUnavailable):
        services.attempt_start(quiz=quiz, user=trainee, now=now + timedelta(minutes=29))
    again = services.attempt_start(quiz=quiz, user=trainee, now=now + timedelta(minutes=31))
    assert again.number == 2


def test_the_best_attempt_counts(trainee_client, trainee):
    quiz = build_quiz(count=7, max_attempts=3)
    good = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[good.pk]), posted(good.paper))
    bad = start(trainee_client, quiz)
    trainee_client.post(
        reverse("quizzes:attempt_submit", args=[bad.pk]), posted(bad.paper, right=False)
    )
    page = trainee_client.get(quiz.get_absolute_url())
    assert page.context["standing"].best.pk == good.pk
    assert page.context["standing"].passed
    assert Attempt.objects.of(trainee, quiz).best_first().first().pk == good.pk


def test_review_after_close_hides_keys_until_no_attempt_is_left(trainee_client):
    quiz = build_quiz(count=2, max_attempts=2, review="after_close")
    first = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[first.pk]), posted(first.paper))
    review = trainee_client.get(reverse("quizzes:attempt_review", args=[first.pk]))
    assert not review.context["show_keys"]
    assert first.paper["questions"][0]["explanation"] not in review.content.decode()
    second = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[second.pk]))
    review = trainee_client.get(reverse("quizzes:attempt_review", args=[first.pk]))
    assert review.context["show_keys"]


def test_review_after_close_hides_keys_while_the_last_attempt_is_open(trainee_client):
    quiz = build_quiz(count=2, max_attempts=2, review="after_close")
    first = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[first.pk]), posted(first.paper))
    second = start(trainee_client, quiz)  # the last attempt: none left, but it is open

    review = trainee_client.get(reverse("quizzes:attempt_review", args=[first.pk]))

    assert not review.context["show_keys"]
    assert first.paper["questions"][0]["explanation"] not in review.text
    assert second.get_absolute_url() in review.text


def test_immediate_review_hides_keys_while_another_attempt_is_open(trainee_client):
    quiz = build_quiz(count=2, max_attempts=3)
    first = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:attempt_submit", args=[first.pk]), posted(first.paper))
    assert trainee_client.get(reverse("quizzes:attempt_review", args=[first.pk])).context[
        "show_keys"
    ]
    second = start(trainee_client, quiz)

    review = trainee_client.get(reverse("quizzes:attempt_review", args=[first.pk]))

    assert not review.context["show_keys"]
    trainee_client.post(reverse("quizzes:attempt_submit", args=[second.pk]))
    assert trainee_client.get(reverse("quizzes:attempt_review", args=[first.pk])).context[
        "show_keys"
    ]


def test_the_review_shows_answers_explanations_and_a_link_to_the_procedure(trainee_client, quiz):
    attempt = start(trainee_client, quiz)
    trainee_client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), posted(attempt.paper, right=False)
    )
    page = trainee_client.get(reverse("quizzes:attempt_review", args=[attempt.pk]))
    html = page.content.decode()
    served = attempt.paper["questions"][0]
    procedure = served["procedure"]
    assert served["explanation"] in html
    assert served["manual_quote"] in html
    assert (
        reverse("training:procedure_detail", args=[procedure["module_slug"], procedure["slug"]])
        in html
    )
    assert len(page.context["items"]) == 7


def test_the_module_link_leads_to_the_modules_quiz(trainee_client, quiz):
    response = trainee_client.get(reverse("quizzes:module_quiz", args=[quiz.module.slug]))
    assert response.url == quiz.get_absolute_url()


# --- query budgets ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 20])
def test_the_answer_sheet_query_budget_does_not_grow_with_questions(
    trainee_client, django_assert_num_queries, count
):
    quiz = build_quiz(count=count)
    attempt = start(trainee_client, quiz)
    trainee_client.post(reverse("quizzes:answer_save", args=[attempt.pk]), posted(attempt.paper))
    # session, user, permissions (2), attempt, its items
    with django_assert_num_queries(6):
        trainee_client.get(attempt.get_absolute_url())


@pytest.mark.parametrize("count", [3, 20])
def test_the_submit_query_budget_does_not_grow_with_questions(
    trainee_client, django_assert_num_queries, django_capture_on_commit_callbacks, count
):
    quiz = build_quiz(count=count)
    attempt = start(trainee_client, quiz)
    # The request: session, user, permissions (2), attempt; then, under one lock in one
    # transaction, the answers posted are saved and graded: savepoint, lock (the paper
    # already read is not read again), items, guarded status update, one bulk update of the
    # answers, one update per distinct item score (every answer right here: one), behaviours
    # (ids and kinds), one insert into the results ledger, release. The attempt's lock is
    # held for the grading alone.
    with django_capture_on_commit_callbacks() as after_commit, django_assert_num_queries(14):
        trainee_client.post(
            reverse("quizzes:attempt_submit", args=[attempt.pk]), posted(attempt.paper)
        )
    # Then, after the commit, in the same request: certification (the trainee and module, lock
    # the trainee, the policy, the latest certificate, requirements, evidence, award with its
    # links: 21) and reporting (recount the module's activity and the day's behaviour tallies
    # from the ledger: 13; count the options picked into the option tallies, claiming the
    # attempt's flag: 7), each in its own transaction, whatever the paper's size; the trainee's
    # open targeted recertifications are looked up (1; LTI links only when LTI is on).
    # (PostgreSQL adds one: the advisory lock that runs tally recounts one at a time.)
    with django_assert_num_queries(42 + (connection.vendor == "postgresql")):
        for callback in after_commit:
            callback()
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED
