"""A trainer writes a scenario question in Chromium, sees the live check refuse a condition
naming no fact, previews two fact cases, publishes, and a trainee answers it; then the
trainer revises it, republishes, and reads the diff in its history and the publications."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Attempt, Question, Quiz, QuizSlot
from scenarios.models import Run, Scenario
from tests.e2e.call_source import CALL
from tests.quizzes.test_one_validation_path import GOOD
from tests.small_pack import write_pack
from training.models import Module
from training.pack.loader import load_pack

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def curriculum(tmp_path, settings):
    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
        "scenarios.pack.ScenarioSection",
    ]
    load_pack(write_pack(tmp_path / "content", [GOOD]))


def fill_question(page):
    page.fill("#id_key", "religue-dias")
    page.fill("#id_facts-0-name", "cliente")
    page.select_option("#id_facts-0-kind", "name")
    page.fill("#id_facts-0-label", "Cliente")
    page.fill("#id_stem", "{cliente} pede o religue; a fatura está aberta há {dias} dias.")
    page.fill("#id_explanation", "Mais de 4 dias em aberto: registra; até 4, não.")
    page.fill("#id_manual", "fatura em aberto há mais de 04 dias corrido")
    page.fill("#id_facts-1-name", "dias")
    page.select_option("#id_facts-1-kind", "int")
    page.fill("#id_facts-1-label", "Dias em aberto")
    page.fill("#id_facts-1-min", "1")
    page.fill("#id_facts-1-max", "9")
    page.fill("#id_options-0-text", "Registro o religue agora, e o senhor recebe o prazo por SMS")
    page.fill("#id_options-0-correct_when", "dias > 4")
    page.select_option("#id_options-0-breaks", ["TESTE.SEM_APTIDAO"])
    page.fill("#id_options-1-text", "Ainda não posso registrar, o senhor precisa aguardar um pouco")
    page.fill("#id_options-1-correct_when", "dias <= 4")
    page.select_option("#id_options-1-breaks", ["TESTE.RECUSA"])


def choose_case(page, text: str) -> None:
    value = page.locator("#case-choice option", has_text=text).get_attribute("value")
    with page.expect_navigation():
        page.select_option("#case-choice", value)


def test_a_trainer_writes_previews_and_publishes_and_a_trainee_answers(
    curriculum, page, log_in, publisher, trainee
):
    log_in("paula")
    page.goto(reverse("quizzes:question_list", args=["regras"]))
    page.select_option("#new-kind", "single")
    page.click("form button:has-text('Nova pergunta')")
    expect(page.locator("h1")).to_contain_text("Regras")

    fill_question(page)
    page.fill("#id_stem", "{cliente} pede o religue com {saldo} em aberto.")
    page.locator("#id_stem").blur()
    # The live check (htmx) names the problem the loader would.
    expect(page.locator("#editor-checks")).to_contain_text("unknown fact {saldo}")
    page.fill("#id_stem", "{cliente} pede o religue; a fatura está aberta há {dias} dias.")
    page.locator("#id_options-1-correct_when").blur()
    expect(page.locator("#editor-checks .card")).to_be_visible()  # the preview
    page.click("button:has-text('Salvar rascunho')")

    # Two fact cases, each with its own right option.
    expect(page.locator("h1")).to_contain_text("religue-dias")
    choose_case(page, "dias = 4")
    expect(page.locator(".text-success.fw-semibold")).to_contain_text("Ainda não posso")
    choose_case(page, "dias = 5")
    expect(page.locator(".text-success.fw-semibold")).to_contain_text("Registro o religue")
    page.screenshot(path="/tmp/authoring-draft.png", full_page=True)

    page.click("button:has-text('Publicar')")
    expect(page.locator(".alert-success")).to_contain_text("versão")
    question = Question.objects.get(key="religue-dias")
    assert question.version == 1
    assert Module.objects.get(slug="promessa").edited_at is not None

    # Quizzes are composed in the administration: put the new question in the module's quiz.
    quiz = Quiz.objects.get(slug="quiz")
    QuizSlot.objects.filter(quiz=quiz).update(question=question)

    page.context.clear_cookies()
    log_in("alice")
    page.goto(reverse("quizzes:quiz_detail", args=["quiz"]))
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url("**/quizzes/attempts/*/")
    served = Attempt.objects.get(user=trainee).paper["questions"][0]
    assert served["key"] == "religue-dias"
    expect(page.locator(".question-stem")).to_contain_text("pede o religue")
    right = next(i for i, option in enumerate(served["options"]) if option["correct"])
    with page.expect_response(lambda r: r.url.endswith("/answers/")):
        page.check(f"#q0-{right}")
    page.click("button[formaction$='/submit/']")
    page.wait_for_url("**/review/")
    assert "100" in page.locator("#result-summary").inner_text()


def test_a_trainer_writes_a_call_previews_two_cases_publishes_and_a_trainee_passes_it(
    curriculum, page, log_in, publisher, trainee
):
    log_in("paula")
    page.goto(reverse("scenarios:call_new") + "?module=promessa")
    page.fill("#id_source", CALL.replace("kind: mandatory", "kind: mandatory_typo"))
    # The live check names what the loader would, with the line of the file.
    expect(page.locator("#call-checks")).to_contain_text("linha")
    page.fill("#id_source", CALL)
    expect(page.locator("#call-checks svg")).to_be_visible()
    expect(page.locator("#call-checks")).to_contain_text("Passa em todas as verificações")
    page.click("button:has-text('Salvar rascunho')")

    expect(page.locator("h1")).to_contain_text("religue-teste")
    # Two fact cases, each with its own full-marks path.
    assert page.locator("#case-choice option").count() == 2
    walk = page.locator("#walk-title + form + ol")
    said = set()
    for case in ("0", "1"):
        with page.expect_navigation():
            page.select_option("#case-choice", case)
        text = walk.inner_text()
        said |= {line for line in ("Registro o religue", "Ainda não é possível") if line in text}
    assert said == {"Registro o religue", "Ainda não é possível"}
    expect(page.locator("#bots-title + table")).to_contain_text("0%")
    page.screenshot(path="/tmp/authoring-call-draft.png", full_page=True)
    page.click("button:has-text('Publicar')")
    expect(page.locator(".alert-success")).to_contain_text("versão")
    assert Scenario.objects.get(slug="religue-teste").version == 1

    page.context.clear_cookies()
    log_in("alice")
    page.goto(reverse("scenarios:detail", args=["religue-teste"]))
    page.locator("form[action$='/start/'] button").click()
    page.wait_for_url("**/calls/runs/*/")
    run = Run.objects.get(user=trainee)
    page.locator("#choices .choice", has_text="Vou verificar").click()
    page.locator("#call .bubble-latest", has_text="dá para religar").wait_for()
    right = "Registro o religue" if run.facts["dias"] > 4 else "Ainda não é possível"
    page.locator("#choices .choice", has_text=right).click()
    page.wait_for_url("**/review/")
    run.refresh_from_db()
    assert run.passed and not run.is_preview


def test_a_trainer_revises_republishes_and_reads_the_diff(curriculum, page, log_in, publisher):
    log_in("paula")
    page.goto(reverse("quizzes:question_list", args=["regras"]))
    page.click("button[aria-label='Editar pergunta']")
    page.fill("#id_explanation", "Só com mais de 4 dias corridos em aberto.")
    page.click("button:has-text('Salvar rascunho')")
    expect(page.locator("#changes-title")).to_be_visible()
    expect(page.locator("dl").first).to_contain_text("TESTE.RECUSA")
    page.click("button:has-text('Publicar')")

    expect(page.locator("h1")).to_contain_text("pergunta")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    page.locator("tbody tr").first.locator("summary", has_text="explicação").click()
    expect(rows.first).to_contain_text("Só com mais de 4 dias")
    page.screenshot(path="/tmp/authoring-history.png", full_page=True)

    page.goto(reverse("reporting:publications"))
    expect(page.locator("tbody tr").first).to_contain_text("Publicado no editor")
    expect(page.locator("tbody tr").first).to_contain_text("TESTE.RECUSA")
