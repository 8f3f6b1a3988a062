"""A trainee takes a shipped chat call in Chromium: picks the menu lines, types two replies in
their own words, and reads the review with the evidence of each reply highlighted."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from scenarios import authoring
from scenarios.models import Run, Scenario, Turn
from tests.e2e.test_accessibility import violations

pytestmark = pytest.mark.e2e


def latest_says(page, text):
    page.locator("#call .bubble-latest").get_by_text(text).wait_for()


def test_a_trainee_types_replies_in_a_chat_call_and_sees_the_evidence(page, log_in, trainee):
    call_command("load_curriculum", stdout=io.StringIO())
    log_in("alice")
    page.goto(reverse("scenarios:detail", args=["chat-promessa-pagamento"]))
    start = reverse("scenarios:start", args=["chat-promessa-pagamento"])
    page.locator(f"form[action='{start}'] button").click()
    page.wait_for_url("**/calls/runs/*/")
    run = Run.objects.get(user=trainee)

    page.locator("#choices .choice", has_text="Antes de registrar, vou conferir").click()
    latest_says(page, "E aí, deu certo?")
    page.locator("#choices .choice", has_text="Deu certo").click()
    latest_says(page, "Preciso fazer mais alguma coisa?")

    # A typed step: no menu, a text box.
    assert page.locator("#choices").count() == 0
    page.mouse.move(0, 0)
    found = violations(page)
    page.fill("#reply-text", "Só isso! O pagamento tem que ser feito no próx. dia útil, blz?")
    page.get_by_role("button", name="Enviar").click()
    latest_says(page, "E a internet, volta quando?")
    page.fill(
        "#reply-text", "Fica tranquila, o sinal volta em até duas horas, mas paga até o fim do mês."
    )
    page.get_by_role("button", name="Enviar").click()
    page.wait_for_url(f"**{reverse('scenarios:review', args=[run.pk])}")

    found += violations(page)
    review = page.locator("main")
    good = review.locator("mark.evidence-good").first
    assert "próx. dia útil" in good.inner_text()
    bad = review.locator("mark.evidence-bad")
    assert "fim do mês" in bad.first.inner_text()
    assert "Disse o que não se pode dizer:" in review.inner_text()
    run.refresh_from_db()
    # The wrong deadline is a named violation: the call fails whatever else was right.
    assert run.is_finished and not run.passed
    assert Turn.objects.filter(run=run, choice_id=Turn.TYPED).count() == 2
    page.screenshot(path="/tmp/chat-review.png", full_page=True)
    assert found == []


def test_a_trainer_reads_the_samples_and_tries_a_reply(page, log_in, trainer):
    call_command("load_curriculum", stdout=io.StringIO())
    scenario = Scenario.objects.get(slug="chat-portabilidade")
    draft = authoring.call_draft_open(scenario, author=trainer)
    log_in(trainer.username)
    page.goto(reverse("scenarios:draft_detail", args=[draft.pk]), timeout=120_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("table .evidence-good").count() > 0
    assert page.locator("tr.table-danger").count() == 0  # no sample flips
    page.fill("#try-orientar", "Vc precisa trocar a titularidade na operadora de origem.")
    page.locator("#try-orientar ~ button").click()
    result = page.locator("#try-result")
    result.get_by_text("A correção recusa esta resposta.").wait_for()
    assert "Faltou:" in result.inner_text()  # the SMS within 6 hours was left out
    page.screenshot(path="/tmp/chat-authoring.png", full_page=True)
    assert violations(page) == []
