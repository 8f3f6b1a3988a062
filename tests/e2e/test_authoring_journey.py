"""A trainer writes a scenario question in Chromium, sees the live check refuse a condition
naming no fact, previews two fact cases, publishes, and a trainee answers it; then the
trainer revises it, republishes, and reads the diff in its history and the publications."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Attempt, Question, Quiz, QuizSlot
from tests.factories import UserFactory
from tests.quizzes.test_authoring import write_pack
from tests.quizzes.test_one_validation_path import GOOD
from training.models import Module
from training.pack.loader import load_pack
from training.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def curriculum(tmp_path, settings):
    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
    ]
    load_pack(write_pack(tmp_path / "content", [GOOD]))


@pytest.fixture
def publisher(db):
    user = UserFactory(username="paula", roles=[Role.TRAINER], first_name="Paula")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="publish_content")
    )
    return user


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
