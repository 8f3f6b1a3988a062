"""The trainee's home: per module what they read, their best quiz score, calls passed, their
certificate and the one next thing to do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from scenarios.models import Run
from tests.factories import (
    AttemptFactory,
    CertificationFactory,
    ModuleFactory,
    ProcedureFactory,
    ProcedureReadFactory,
    QuizFactory,
    RunFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    module = ModuleFactory(title="Mudança de endereço")
    ProcedureFactory(module=module, title="Confirmar o endereço", order=1)
    ProcedureFactory(module=module, title="Verificar viabilidade", order=2)
    return module


def graded(quiz, user, score):
    return AttemptFactory(
        quiz=quiz,
        user=user,
        status=Attempt.Status.SUBMITTED,
        score=score,
        passed=score >= quiz.pass_mark,
        submitted_at=timezone.now(),
    )


def passed_call(scenario, user):
    version = scenario.versions.first() or ScenarioVersionFactory(scenario=scenario)
    return RunFactory(
        version=version,
        scenario=scenario,
        user=user,
        status=Run.Status.COMPLETED,
        finished_at=timezone.now(),
        score=90,
        passed=True,
    )


def progress_of(client):
    response = client.get(reverse("reporting:my_modules"))
    assert response.status_code == 200
    return response, response.context["progress"][0]


def test_a_new_trainee_is_sent_to_the_first_procedure(trainee_client, module):
    response, item = progress_of(trainee_client)
    assert item.status == "not_started"
    assert (item.procedures_read, item.procedures_total) == (0, 2)
    first = module.procedures.get(order=1)
    assert item.next_step[1] == first.get_absolute_url()
    assert first.get_absolute_url() in response.content.decode()


def test_it_counts_reads_best_score_and_calls_passed(trainee_client, trainee, module):
    quiz = QuizFactory(module=module, title="Quiz de endereço")
    calls = [ScenarioFactory(module=module), ScenarioFactory(module=module)]
    for procedure in module.procedures.all():
        ProcedureReadFactory(trainee=trainee, procedure=procedure)
    graded(quiz, trainee, 55)
    graded(quiz, trainee, 65)
    passed_call(calls[0], trainee)

    response, item = progress_of(trainee_client)

    assert (item.procedures_read, item.best_quiz_score) == (2, 65.0)
    assert (item.calls_passed, item.calls_total) == (1, 2)
    assert item.status == "in_progress"
    assert item.next_step[1] == reverse("quizzes:quiz_detail", args=[quiz.slug])
    page = response.content.decode()
    assert "65%" in page and "1 / 2" in page


def test_after_the_quiz_the_next_step_is_the_first_call_not_passed(trainee_client, trainee, module):
    quiz = QuizFactory(module=module)
    calls = [ScenarioFactory(module=module, order=1), ScenarioFactory(module=module, order=2)]
    for procedure in module.procedures.all():
        ProcedureReadFactory(trainee=trainee, procedure=procedure)
    graded(quiz, trainee, 90)
    passed_call(calls[0], trainee)
    _, item = progress_of(trainee_client)
    assert item.next_step[1] == reverse("scenarios:detail", args=[calls[1].slug])


def test_a_certified_module_shows_its_certificate_and_nothing_to_do(
    trainee_client, trainee, module
):
    certification = CertificationFactory(trainee=trainee, module=module)
    response, item = progress_of(trainee_client)
    assert item.status == "valid" and item.next_step is None
    assert certification.get_absolute_url() in response.content.decode()


def test_an_expiring_certificate_asks_for_renewal(trainee_client, trainee, module):
    quiz = QuizFactory(module=module)
    CertificationFactory(
        trainee=trainee, module=module, awarded_at=timezone.now() - timedelta(days=350)
    )
    _, item = progress_of(trainee_client)
    assert item.status == "expiring_soon"
    assert item.next_step[1] == reverse("quizzes:quiz_detail", args=[quiz.slug])


def test_the_home_query_count_does_not_grow_with_history(
    trainee_client, trainee, module, django_assert_max_num_queries
):
    quiz = QuizFactory(module=module)
    call = ScenarioFactory(module=module)
    with django_assert_max_num_queries(17) as small:
        progress_of(trainee_client)
    for _ in range(5):
        other = ModuleFactory()
        ProcedureFactory(module=other)
        QuizFactory(module=other)
        graded(quiz, trainee, 70)
        passed_call(call, trainee)
        CertificationFactory(trainee=trainee, module=other)
    with django_assert_max_num_queries(len(small.captured_queries)):
        progress_of(trainee_client)


def test_reading_is_recorded_once(trainee, module):
    from training.models import ProcedureRead
    from training.services import procedure_read_record

    procedure = module.procedures.first()
    procedure_read_record(user=trainee, procedure=procedure)
    first = ProcedureRead.objects.get()
    procedure_read_record(user=trainee, procedure=procedure)
    assert list(ProcedureRead.objects.all()) == [first]


def test_opening_a_procedure_is_not_reading_it_reaching_its_end_is(trainee_client, module):
    from training.models import ProcedureRead

    procedure = module.procedures.first()
    url = reverse("training:procedure_detail", args=[module.slug, procedure.slug])
    page = trainee_client.get(url)
    assert not ProcedureRead.objects.exists()
    assert "data-read-when-seen" in page.content.decode()
    read = reverse("training:procedure_read", args=[module.slug, procedure.slug])
    assert trainee_client.post(read).url == url
    trainee_client.post(read)
    assert list(ProcedureRead.objects.values_list("trainee__username", "procedure")) == [
        ("alice", procedure.pk)
    ]
    _, item = progress_of(trainee_client)
    assert item.procedures_read == 1
    assert "data-read-when-seen" not in trainee_client.get(url).content.decode()


def test_a_trainer_reading_a_procedure_is_not_recorded(trainer_client, module):
    from training.models import ProcedureRead

    procedure = module.procedures.first()
    trainer_client.get(reverse("training:procedure_detail", args=[module.slug, procedure.slug]))
    read = reverse("training:procedure_read", args=[module.slug, procedure.slug])
    assert trainer_client.post(read).status_code == 403
    assert not ProcedureRead.objects.exists()


@pytest.mark.parametrize("modules", [1, 5, 10])
def test_the_home_reads_in_the_same_queries_when_policies_choose_their_content(
    trainee_client, trainee, modules, django_assert_num_queries
):
    """Policies that require chosen quizzes and calls are read with the modules, never one
    query per module (it grew 10 → 18 → 28 for 1 → 5 → 10 modules)."""
    from tests.factories import CertificationPolicyFactory

    for _ in range(modules):
        module = ModuleFactory()
        ProcedureFactory(module=module)
        policy = CertificationPolicyFactory(module=module, require_all_content=False)
        policy.required_quizzes.add(QuizFactory(module=module))
        policy.required_scenarios.add(ScenarioFactory(module=module))
    # session, user, roles (2); modules with policies, their required quizzes and calls;
    # reads, unread procedures, best attempts, calls passed, certificates, quizzes, calls;
    # what to practise (the ledger's latest judgements), what the memory model says is due,
    # the teams' assignments, open targeted recertifications, reminders
    with django_assert_num_queries(19):
        response, _ = progress_of(trainee_client)
    assert len(response.context["progress"]) == modules
