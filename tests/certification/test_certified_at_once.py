"""The promise of the certification issue, through the real submit and call paths: a trainee
who meets a module's policy is certified by the very request that graded the last result, once
its grading has committed (the engines announce it; certification listens)."""

from django.urls import reverse

from certification.models import Certification
from scenarios import services as call_services
from scenarios.models import Run
from tests.quizzes.answers import posted
from tests.quizzes.conftest import build_quiz
from tests.scenarios.calls import BROKEN_FACTS, ELIGIBLE_FACTS, EXPERT_PATH, make_call, place_of


def play_call(client, committed, trainee, scenario, facts, path):
    run = call_services.run_start(user=trainee, scenario=scenario)
    Run.objects.filter(pk=run.pk).update(facts=facts)
    run.refresh_from_db()
    for turn, (step, choice) in enumerate(path, start=1):
        committed(
            client.post,
            reverse("scenarios:choose", args=[run.pk]),
            {"option": place_of(run, step, choice), "turn": turn},
        )
    run.refresh_from_db()
    return run


def test_passing_the_modules_quiz_certifies_in_the_same_request(trainee_client, trainee, committed):
    quiz = build_quiz(count=3)
    response = trainee_client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
    attempt = quiz.attempts.get(pk=int(response.url.rstrip("/").split("/")[-1]))

    committed(
        trainee_client.post,
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        posted(attempt.paper),
    )

    certification = Certification.objects.get(trainee=trainee, module=quiz.module)
    assert list(certification.quiz_attempts.all()) == [attempt]


def test_failing_the_quiz_certifies_nothing(trainee_client, trainee, committed):
    quiz = build_quiz(count=3)
    response = trainee_client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
    attempt = quiz.attempts.get(pk=int(response.url.rstrip("/").split("/")[-1]))

    committed(
        trainee_client.post,
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        posted(attempt.paper, right=False),
    )

    assert not Certification.objects.filter(trainee=trainee).exists()


def test_passing_the_modules_call_certifies_in_the_same_request(trainee_client, trainee, committed):
    scenario = make_call()

    run = play_call(trainee_client, committed, trainee, scenario, ELIGIBLE_FACTS, EXPERT_PATH)

    assert run.passed
    certification = Certification.objects.get(trainee=trainee, module=scenario.module)
    assert list(certification.scenario_runs.all()) == [run]


def test_a_critical_error_never_certifies(trainee_client, trainee, committed):
    scenario = make_call()
    path = [
        ("abertura", "cumprimentar"),
        ("pedido", "verificar"),
        ("analise", "registrar"),
        ("registrado", "informar"),
    ]

    run = play_call(trainee_client, committed, trainee, scenario, BROKEN_FACTS, path)

    assert run.critical_errors == 1
    assert not Certification.objects.filter(trainee=trainee).exists()


def test_a_failed_result_is_evaluated_off_the_request_and_repairs_a_missed_certificate(
    trainee_client, trainee, committed, monkeypatch
):
    """A result that did not pass cannot earn a certificate, so its evaluation is queued for
    the task worker rather than run in the trainee's request; it still awards a certificate a
    failed evaluation of an earlier pass left unawarded."""
    from certification import receivers

    quiz = build_quiz(count=3)
    queued = []
    real_enqueue = receivers.evaluate_certification.enqueue

    def sit(right: bool):
        response = trainee_client.post(reverse("quizzes:attempt_start", args=[quiz.slug]))
        attempt = quiz.attempts.get(pk=int(response.url.rstrip("/").split("/")[-1]))
        committed(
            trainee_client.post,
            reverse("quizzes:attempt_submit", args=[attempt.pk]),
            posted(attempt.paper, right=right),
        )

    # The pass's evaluation fails (a crash between the grade and the certificate)...
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(receivers, "certification_evaluate", broken)
    sit(right=True)
    assert not Certification.objects.filter(trainee=trainee).exists()
    monkeypatch.undo()

    # ...and the next result, a failure, is evaluated by the task, which repairs it.
    class Spy:
        def enqueue(self, *args):
            queued.append(args)
            return real_enqueue(*args)

    monkeypatch.setattr(receivers, "evaluate_certification", Spy())
    sit(right=False)
    assert len(queued) == 1
    assert Certification.objects.filter(trainee=trainee, module=quiz.module).exists()
