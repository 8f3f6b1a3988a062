"""Runs of a simulated call: drawn and frozen facts, every choice checked on the server,
replays counted once, other people's runs out of sight, grading at the end, and query budgets
that do not grow with the transcript."""

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from scenarios import services
from scenarios.models import Run, ScenarioVersion, Turn
from scenarios.selectors import graph_of
from tests.factories import ScenarioVersionFactory
from tests.scenarios.calls import (
    BROKEN_FACTS,
    ELIGIBLE_FACTS,
    EXPERT_PATH,
    TOO_EARLY_FACTS,
    call_definition,
    make_call,
    place_of,
)
from training.models import Judgement

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return make_call()


def start(user, scenario, facts=None, **kwargs):
    run = services.run_start(user=user, scenario=scenario, **kwargs)
    if facts is not None:
        # Tests pick the case they need; real runs draw theirs from the seed.
        Run.objects.filter(pk=run.pk).update(facts=facts)
        run.refresh_from_db()
    return run


def post_choice(client, run, step, choice, turn, **extra):
    """Post the place where ``choice`` is shown at ``step``, as the page does (99 when it is
    not on offer there)."""
    return client.post(
        reverse("scenarios:choose", args=[run.pk]),
        {"option": place_of(run, step, choice), "turn": turn},
        **extra,
    )


def play(client, run, path):
    for turn, (step, choice) in enumerate(path, start=1):
        response = post_choice(client, run, step, choice, turn)
        assert response.status_code == 302, response.content


def snapshot(run):
    run.refresh_from_db()
    return (
        run.status,
        run.current_step,
        run.turn_count,
        list(Turn.objects.filter(run=run).values_list("index", "choice_id")),
        Judgement.objects.count(),
    )


# --- starting -----------------------------------------------------------------------------


def test_starting_draws_facts_from_a_stored_seed_and_freezes_the_version(trainee, call):
    run = services.run_start(user=trainee, scenario=call, seed=1234)
    again = services.run_start(user=trainee, scenario=call, preview=True, seed=1234)

    assert run.seed == 1234
    assert run.facts == again.facts
    assert set(run.facts) == {"customer_name", "days_open", "broken"}
    assert 1 <= run.facts["days_open"] <= 10
    assert run.version.number == 1
    assert run.current_step == "abertura"


def test_starting_twice_resumes_the_open_run(trainee_client, trainee, call):
    first = trainee_client.post(reverse("scenarios:start", args=[call.slug]))
    second = trainee_client.post(reverse("scenarios:start", args=[call.slug]))

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Run.objects.filter(user=trainee).count() == 1


def test_the_database_refuses_two_open_runs_of_one_call(trainee, call):
    run = services.run_start(user=trainee, scenario=call)

    with pytest.raises(IntegrityError):
        Run.objects.create(
            user=trainee,
            scenario=call,
            version=run.version,
            seed=1,
            current_step="abertura",
        )


def test_a_new_version_of_the_call_does_not_change_a_run_in_progress(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    changed = call_definition()
    changed["steps"][0]["customer"] = "Texto novo da abertura."
    call.version = 2
    call.save()
    ScenarioVersionFactory(scenario=call, number=2, definition=changed)

    html = trainee_client.get(run.get_absolute_url()).content.decode()

    assert "Meu sinal foi cortado." in html
    assert "Texto novo" not in html
    assert ScenarioVersion.objects.filter(scenario=call).count() == 2


# --- choosing -----------------------------------------------------------------------------


def test_a_choice_on_offer_is_recorded_with_its_time_and_the_call_moves_on(
    trainee_client, trainee, call
):
    run = start(trainee, call, ELIGIBLE_FACTS)

    response = post_choice(trainee_client, run, "abertura", "cumprimentar", 1)

    assert response.status_code == 302
    assert response.url == run.get_absolute_url()
    turn = Turn.objects.get(run=run)
    assert (turn.index, turn.step_id, turn.choice_id, turn.next_step) == (
        1,
        "abertura",
        "cumprimentar",
        "pedido",
    )
    assert sorted(turn.offered) == ["cumprimentar", "cumprimentar-ajudar", "registrar-direto"]
    assert turn.offered[turn.position - 1] == "cumprimentar"
    assert turn.said == "Boa tarde, Marcos!"
    assert turn.behaviors == ["TESTE.NOME"]
    assert turn.created_at >= run.started_at
    run.refresh_from_db()
    assert (run.current_step, run.turn_count) == ("pedido", 1)


@pytest.mark.parametrize(
    "step, choice, turn",
    [
        ("abertura", "inventada", 1),  # no such choice
        ("abertura", "cumprimentar", 2),  # skips a turn
        ("abertura", "cumprimentar", 0),
        ("abertura", "informar", 1),  # a choice of another step
    ],
)
def test_a_choice_not_on_offer_is_refused_with_400_and_changes_nothing(
    trainee_client, trainee, call, step, choice, turn
):
    run = start(trainee, call, ELIGIBLE_FACTS)
    before = snapshot(run)

    response = post_choice(trainee_client, run, step, choice, turn)

    assert response.status_code == 400
    assert snapshot(run) == before


@pytest.mark.parametrize("option", ["0", "4", "-1", "99999999999", "1.5", "١", "\x00", ""])
def test_a_place_that_is_not_shown_is_refused(trainee_client, trainee, call, option):
    run = start(trainee, call, ELIGIBLE_FACTS)
    before = snapshot(run)

    response = trainee_client.post(
        reverse("scenarios:choose", args=[run.pk]), {"option": option, "turn": "1"}
    )

    assert response.status_code == 400
    assert snapshot(run) == before


def test_a_garbled_post_is_refused(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    response = trainee_client.post(reverse("scenarios:choose", args=[run.pk]), {"turn": "x"})

    assert response.status_code == 400
    assert snapshot(run)[2] == 0


def test_choices_are_shown_in_an_order_of_the_run_the_same_on_every_view(trainee, call):
    orders = set()
    for seed in range(12):
        run = services.run_start(user=trainee, scenario=call, seed=seed)
        Run.objects.filter(pk=run.pk).update(facts=ELIGIBLE_FACTS)
        run.refresh_from_db()
        shown = [c.id for c in graph_of(run.version).step("abertura").shown(run.facts, seed)]
        again = [c.id for c in graph_of(run.version).step("abertura").shown(run.facts, seed)]
        assert shown == again
        orders.add(tuple(shown))
        services.run_finish(run=run)

    # Shuffled per run: the author's first line is not always first.
    assert len(orders) > 2


def test_the_page_shows_places_never_the_ids_of_choices(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    html = trainee_client.get(run.get_absolute_url()).content.decode()

    for choice_id in ("cumprimentar", "registrar-direto", "abertura"):
        assert f'value="{choice_id}"' not in html
    assert 'name="option" value="1"' in html and 'name="option" value="3"' in html
    assert "autofocus" not in html


def test_a_double_post_is_counted_once(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    first = post_choice(trainee_client, run, "abertura", "cumprimentar", 1)
    second = post_choice(trainee_client, run, "abertura", "cumprimentar", 1)

    assert first.status_code == second.status_code == 302
    assert Turn.objects.filter(run=run).count() == 1
    run.refresh_from_db()
    assert (run.current_step, run.turn_count) == ("pedido", 1)


def test_a_replay_of_an_old_turn_with_another_choice_is_refused(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    post_choice(trainee_client, run, "abertura", "cumprimentar", 1)
    before = snapshot(run)

    response = post_choice(trainee_client, run, "abertura", "registrar-direto", 1)

    assert response.status_code == 400
    assert snapshot(run) == before


def test_the_last_choice_posted_twice_grades_the_call_once(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, run, EXPERT_PATH)
    outcomes = Judgement.objects.count()

    again = post_choice(trainee_client, run, "registrado", "informar", 4)

    assert again.status_code == 302
    assert again.url == reverse("scenarios:review", args=[run.pk])
    assert Judgement.objects.count() == outcomes
    assert Turn.objects.filter(run=run).count() == 4


def test_a_run_survives_a_reload(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, run, EXPERT_PATH[:2])

    html = trainee_client.get(run.get_absolute_url()).content.decode()

    assert html.index("Meu sinal foi cortado.") < html.index("Boa tarde, Marcos, vou te ajudar")
    assert "Vou verificar se o contrato está apto." in html
    assert "E então?" in html
    assert 'name="turn" value="3"' in html
    assert "Registrei a promessa." in html and "Não está apto." in html
    assert "1 fatura em aberto há 7 dias" in html
    assert "Promessa anterior descumprida: não" in html


def test_the_call_screen_never_shows_the_rubric(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    html = trainee_client.get(run.get_absolute_url()).content.decode()

    assert "TESTE." not in html
    assert "nunca-segunda" not in html


# --- htmx and plain HTML ------------------------------------------------------------------


def test_with_htmx_a_choice_answers_the_call_partial_and_announces_the_reply(
    trainee_client, trainee, call
):
    run = start(trainee, call, ELIGIBLE_FACTS)

    response = post_choice(
        trainee_client, run, "abertura", "cumprimentar", 1, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="call"')
    assert "<html" not in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "Pode religar?" in html


def test_with_htmx_the_last_choice_sends_the_browser_to_the_review(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, run, EXPERT_PATH[:3])

    response = post_choice(trainee_client, run, "registrado", "informar", 4, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("scenarios:review", args=[run.pk])


def test_the_call_screen_is_keyboard_and_screen_reader_friendly(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    html = trainee_client.get(run.get_absolute_url()).content.decode()

    assert 'aria-live="polite"' in html
    assert 'role="log"' in html
    assert 'role="timer"' in html
    assert '<button type="submit" name="option" value="1"' in html
    assert 'aria-keyshortcuts="1"' in html


# --- access -------------------------------------------------------------------------------


def test_another_trainees_run_is_not_found(client, trainee, other_trainee, call):
    run = start(other_trainee, call, ELIGIBLE_FACTS)
    before = snapshot(run)
    client.force_login(trainee)

    assert client.get(reverse("scenarios:run", args=[run.pk])).status_code == 404
    assert post_choice(client, run, "abertura", "cumprimentar", 1).status_code == 404
    assert client.post(reverse("scenarios:hang_up", args=[run.pk])).status_code == 404
    assert client.get(reverse("scenarios:review", args=[run.pk])).status_code == 404
    assert snapshot(run) == before


def test_anonymous_visitors_are_sent_to_log_in(client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    response = client.get(run.get_absolute_url())

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_only_trainers_preview_and_only_trainers_see_the_checks(trainee_client, call):
    assert trainee_client.post(reverse("scenarios:preview", args=[call.slug])).status_code == 403
    assert trainee_client.get(reverse("scenarios:checks")).status_code == 403


# --- finishing and grading ----------------------------------------------------------------


def test_the_expert_path_passes_with_full_marks_and_records_behaviour_outcomes(
    trainee_client, trainee, call
):
    run = start(trainee, call, ELIGIBLE_FACTS)

    play(trainee_client, run, EXPERT_PATH)

    run.refresh_from_db()
    assert run.status == Run.Status.COMPLETED
    assert run.finished_at is not None
    assert (run.score, run.compliance_score, run.critical_errors, run.passed) == (
        100.0,
        100.0,
        0,
        True,
    )
    outcomes = dict(
        Judgement.objects.filter(source="call", record=run.pk, trainee=trainee).values_list(
            "behavior__code", "verdict"
        )
    )
    assert outcomes == {
        code: "kept"
        for code in (
            "TESTE.NOME",
            "TESTE.EMPATIA",
            "TESTE.VERIFICAR",
            "TESTE.REGISTRAR",
            "TESTE.SEM_APTIDAO",
            "TESTE.SEM_VERIFICAR",
            "TESTE.SEGUNDA",
            "TESTE.RECUSA_INDEVIDA",
            "TESTE.INFORMAR",
            "TESTE.PRAZO_ERRADO",
        )
    }
    # Where each was decided, for a report to open the exact turn.
    informed = Judgement.objects.get(record=run.pk, behavior__code="TESTE.INFORMAR")
    assert (informed.place, informed.evidence) == (4, {"places": [4], "items": ["informar"]})


def test_a_second_promise_is_a_critical_error_that_fails_the_call(trainee_client, trainee, call):
    run = start(trainee, call, BROKEN_FACTS)

    play(
        trainee_client,
        run,
        [
            ("abertura", "cumprimentar"),
            ("pedido", "verificar"),
            ("analise", "registrar"),
            ("registrado", "informar"),
        ],
    )

    run.refresh_from_db()
    assert run.critical_errors == 1
    assert run.passed is False
    assert run.score > 0
    assert (
        Judgement.objects.get(record=run.pk, behavior__code="TESTE.SEGUNDA").verdict == "violated"
    )
    # The same words kept every rule for an eligible customer: the facts decide.
    assert Turn.objects.get(run=run, index=3).behaviors == ["TESTE.REGISTRAR", "TESTE.SEGUNDA"]


def test_a_false_deadline_fails_a_call_that_silence_would_not(trainee_client, trainee, call):
    honest = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, honest, EXPERT_PATH)
    lying = start(trainee, call, ELIGIBLE_FACTS)

    play(trainee_client, lying, [*EXPERT_PATH[:3], ("registrado", "prazo-errado")])

    lying.refresh_from_db()
    assert lying.passed is False
    verdicts = {i["id"]: i["verdict"] for i in lying.result["items"]}
    assert verdicts["prazo-certo"] == "violated"
    # The mandatory disclosure was left out too: the call fails on both counts.
    assert set(lying.result["critical_errors"]) == {"informar"}
    assert (
        Judgement.objects.get(record=lying.pk, behavior__code="TESTE.PRAZO_ERRADO").verdict
        == "violated"
    )


def test_stopping_before_the_mandatory_disclosure_never_passes(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, run, [*EXPERT_PATH[:3], ("registrado", "repetir")])

    trainee_client.post(reverse("scenarios:hang_up", args=[run.pk]))

    run.refresh_from_db()
    assert (run.passed, run.score) == (False, None)


def test_refusing_an_eligible_customer_is_a_violation_not_a_safe_choice(
    trainee_client, trainee, call
):
    run = start(trainee, call, ELIGIBLE_FACTS)

    play(trainee_client, run, [*EXPERT_PATH[:2], ("analise", "recusar")])

    run.refresh_from_db()
    assert run.passed is False
    assert set(run.result["critical_errors"]) == {"nao-recusar-apto", "informar"}


def test_the_same_refusal_is_right_for_a_customer_who_is_not_eligible(
    trainee_client, trainee, call
):
    run = start(trainee, call, TOO_EARLY_FACTS)

    play(trainee_client, run, [*EXPERT_PATH[:2], ("analise", "recusar")])

    run.refresh_from_db()
    assert (run.passed, run.score) == (True, 100.0)


def test_registering_too_early_skipping_the_check_loses_compliance(trainee_client, trainee, call):
    run = start(trainee, call, TOO_EARLY_FACTS)

    play(trainee_client, run, [("abertura", "registrar-direto"), ("registrado", "prazo-errado")])

    run.refresh_from_db()
    verdicts = {i["id"]: (i["verdict"], i["turns"]) for i in run.result["items"]}
    assert verdicts["verificar-antes"] == ("violated", [1])
    assert verdicts["nao-registrar-sem-aptidao"] == ("violated", [1])
    assert verdicts["verificar-primeiro"] == ("violated", [1])
    assert verdicts["prazo-certo"] == ("violated", [2])
    assert verdicts["registrar-se-apto"] == ("not_applicable", [])
    assert run.compliance_score == 0.0
    assert run.passed is False


def test_hanging_up_ends_the_call_not_completed_with_no_score(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, run, EXPERT_PATH[:1])

    response = trainee_client.post(reverse("scenarios:hang_up", args=[run.pk]))

    assert response.url == reverse("scenarios:review", args=[run.pk])
    run.refresh_from_db()
    assert run.status == Run.Status.HUNG_UP
    assert (run.passed, run.score) == (False, None)
    assert run.result["completed"] is False
    assert trainee_client.get(run.get_absolute_url()).url == response.url
    html = trainee_client.get(response.url).content.decode()
    assert "Não concluída" in html or "Not completed" in html
    assert "score 0%" not in html and "50%" not in html


def test_hanging_up_at_once_is_not_half_marks(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)

    trainee_client.post(reverse("scenarios:hang_up", args=[run.pk]))

    run.refresh_from_db()
    assert (run.passed, run.score, run.turn_count) == (False, None, 0)
    assert not Judgement.objects.filter(record=run.pk).exclude(verdict="kept").exists()


def test_the_review_marks_each_turn_and_quotes_the_manual(trainee_client, trainee, call):
    run = start(trainee, call, BROKEN_FACTS)
    play(
        trainee_client,
        run,
        [
            ("abertura", "registrar-direto"),
            ("registrado", "prazo-errado"),
        ],
    )

    response = trainee_client.get(reverse("scenarios:review", args=[run.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="turn-1"' in html and 'id="turn-2"' in html
    # Every turn that broke a rule is marked, not only the first.
    assert html.count("#turn-1") >= 2 and "#turn-2" in html
    # The customer reacts to what the agent said.
    assert "Nossa, já? Que rápido." in html and "Um dia inteiro?" in html
    assert "Fazer nova promessa após descumprimento" in html
    assert "Trecho do manual sobre fazer nova promessa após descumprimento." in html
    assert reverse("training:procedure_detail", args=[call.module.slug, "promessa-teste"]) in html
    assert "Não é possível fazer uma nova promessa para esta fatura." in html
    assert "Compliance" in html or "Conformidade" in html


def test_a_trainer_preview_is_marked_and_never_counted(trainer_client, trainer, call):
    response = trainer_client.post(reverse("scenarios:preview", args=[call.slug]))
    run = Run.objects.get(user=trainer)
    Run.objects.filter(pk=run.pk).update(facts=ELIGIBLE_FACTS)

    assert response.url == run.get_absolute_url()
    assert run.is_preview
    play(trainer_client, run, EXPERT_PATH)
    run.refresh_from_db()
    assert run.passed
    assert not Run.objects.counted().exists()
    assert not Judgement.objects.exists()


# --- lists and pages ----------------------------------------------------------------------


def test_the_trainee_lists_calls_per_module_with_their_standing(trainee_client, trainee, call):
    run = start(trainee, call, ELIGIBLE_FACTS)
    play(trainee_client, run, EXPERT_PATH)

    html = trainee_client.get(reverse("scenarios:list")).content.decode()
    one = trainee_client.get(reverse("scenarios:module_list", args=[call.module.slug]))

    assert call.title in html
    assert "100%" in html
    assert one.status_code == 200
    assert trainee_client.get(reverse("scenarios:module_list", args=["nada"])).status_code == 404


def test_the_calls_page_shows_the_procedures_to_read(trainee_client, call):
    html = trainee_client.get(reverse("scenarios:detail", args=[call.slug])).content.decode()

    assert "Promessa de pagamento (teste)" in html
    assert reverse("scenarios:start", args=[call.slug]) in html


def test_every_procedure_to_read_first_links_to_a_page_that_exists(trainee_client, call):
    from tests.factories import ProcedureFactory

    elsewhere = ProcedureFactory(title="Prazos de baixa (outro módulo)")
    call.procedures.add(elsewhere)

    html = trainee_client.get(reverse("scenarios:detail", args=[call.slug])).content.decode()

    for procedure in call.procedures.all():
        url = reverse("training:procedure_detail", args=[procedure.module.slug, procedure.slug])
        assert url in html
        assert trainee_client.get(url).status_code == 200


def test_the_trainer_sees_the_checks_of_every_call(trainer_client, call):
    html = trainer_client.get(reverse("scenarios:checks")).content.decode()

    assert call.title in html
    assert reverse("scenarios:preview", args=[call.slug]) in html


# --- query budgets ------------------------------------------------------------------------


def long_run(client, user, call, repeats):
    """A run at step "registrado" after the expert's first three turns and ``repeats`` more."""
    run = start(user, call, ELIGIBLE_FACTS)
    play(client, run, EXPERT_PATH[:3])
    for turn in range(4, 4 + repeats):
        assert post_choice(client, run, "registrado", "repetir", turn).status_code == 302
    return run


@pytest.mark.parametrize("repeats", [0, 12])
def test_a_choice_costs_the_same_queries_however_long_the_call(
    trainee_client, trainee, call, repeats, django_assert_num_queries
):
    run = long_run(trainee_client, trainee, call, repeats)
    turn = 4 + repeats

    # session, user, the run; savepoint, the run locked, insert the turn, update the run, release
    with django_assert_num_queries(8):
        post_choice(trainee_client, run, "registrado", "repetir", turn)


@pytest.mark.parametrize("repeats", [0, 12])
def test_the_last_choice_grades_with_the_same_queries_however_long_the_call(
    trainee_client,
    trainee,
    call,
    repeats,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    run = long_run(trainee_client, trainee, call, repeats)

    # ...as any choice, plus the turns, the behaviours and the ledger rows written at grading,
    # however long the call; the run's lock is held for the grading alone.
    with django_capture_on_commit_callbacks() as after_commit, django_assert_num_queries(12):
        post_choice(trainee_client, run, "registrado", "informar", 4 + repeats)
    # Then, after the commit: certification (the module's only content is this call, so it
    # awards: the previous current certificate is demoted, the new one written with its
    # links) and reporting recount from what is stored, each in its own transaction.
    # (PostgreSQL adds one: the advisory lock that runs tally recounts one at a time.) One of
    # them reads the call versions' conditions, to tell the runs' fact cases apart (pass^k).
    # The trainee's open targeted recertifications are looked up (LTI links only when LTI is on).
    with django_assert_num_queries(37 + (connection.vendor == "postgresql")):
        for callback in after_commit:
            callback()


@pytest.mark.parametrize("repeats", [0, 12])
def test_the_call_screen_costs_the_same_queries_however_long_the_call(
    trainee_client, trainee, call, repeats, django_assert_num_queries
):
    run = long_run(trainee_client, trainee, call, repeats)

    # session, user, the run with its version, the turns, the roles for the menu (2)
    with django_assert_num_queries(6):
        trainee_client.get(run.get_absolute_url())


@pytest.mark.parametrize("repeats", [0, 12])
def test_the_review_costs_the_same_queries_however_long_the_call(
    trainee_client, trainee, call, repeats, django_assert_num_queries
):
    run = long_run(trainee_client, trainee, call, repeats)
    post_choice(trainee_client, run, "registrado", "informar", 4 + repeats)

    # ...as the call screen, plus the behaviours the scorecard quotes
    with django_assert_num_queries(7):
        trainee_client.get(reverse("scenarios:review", args=[run.pk]))


def test_the_list_of_calls_costs_the_same_queries_however_many_calls(
    trainee_client, trainee, call, django_assert_num_queries
):
    from tests.factories import ScenarioFactory

    for _ in range(5):
        ScenarioVersionFactory(scenario=ScenarioFactory(module=call.module))
        ScenarioVersionFactory(scenario=ScenarioFactory())

    # session, user, roles (2), modules, their calls, the trainee's standings
    with django_assert_num_queries(7):
        trainee_client.get(reverse("scenarios:list"))
