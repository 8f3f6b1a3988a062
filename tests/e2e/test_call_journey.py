"""A trainee takes a simulated call in Chromium from the login form to the review, answering
with the keyboard, and the page swaps each turn in place with htmx."""

import pytest
from django.urls import reverse

from scenarios.models import Run
from tests.scenarios.calls import ELIGIBLE_FACTS, make_call

pytestmark = pytest.mark.e2e


def latest_says(page, text):
    """Wait until the newest bubble of the call is the customer saying ``text``."""
    page.locator("#call .bubble-latest").get_by_text(text, exact=True).wait_for()


def say(page, text):
    """Focus the choice that says ``text`` with the keyboard and press Enter."""
    page.locator("#choices .choice", has_text=text).focus()
    page.keyboard.press("Enter")


def test_a_trainee_plays_a_call_to_the_end_with_the_keyboard_and_reads_the_review(
    page, log_in, trainee
):
    call = make_call()
    log_in("alice")

    page.goto(reverse("scenarios:detail", args=[call.slug]))
    page.locator(f"form[action='{reverse('scenarios:start', args=[call.slug])}'] button").click()
    page.wait_for_url("**/calls/runs/*/")
    # The run drew its own facts; play the case where a promise may be registered.
    run = Run.objects.get(user=trainee)
    Run.objects.filter(pk=run.pk).update(facts=ELIGIBLE_FACTS)
    page.reload()

    assert (
        page.locator("#call .bubble-customer").first.inner_text().endswith("Meu sinal foi cortado.")
    )
    crm = page.locator("aside[aria-labelledby='crm-heading']")
    assert "1 fatura em aberto há 7 dias" in crm.inner_text()

    # Turn 1: the lines are shuffled; the number key shown on the right line picks it.
    choices = page.locator("#choices .choice")
    texts = [choices.nth(n).inner_text() for n in range(choices.count())]
    key = next(n for n, text in enumerate(texts, start=1) if "vou te ajudar agora" in text)
    page.locator("body").press(str(key))
    latest_says(page, "Pode religar?")
    assert page.url.endswith(run.get_absolute_url()), "the turn was swapped in place"
    # The newest customer line is announced to screen readers.
    page.wait_for_function(
        "document.getElementById('call-announcer').textContent.includes('Pode religar?')"
    )

    # Turn 2: after the swap focus rests on the customer's line, never on a choice, so
    # nothing looks chosen; Tab reaches the choices and Enter says one.
    assert page.evaluate("document.activeElement.classList.contains('bubble-latest')")
    say(page, "Vou verificar se o contrato está apto.")
    latest_says(page, "E então?")

    # Turn 3 and 4: the last choice ends the call and the browser goes to the review.
    say(page, "Registrei a promessa.")
    latest_says(page, "E volta quando?")
    say(page, "Em até 2 horas.")
    page.wait_for_url(f"**{reverse('scenarios:review', args=[run.pk])}")

    review = page.locator("main")
    assert "100%" in review.inner_text()
    assert review.locator("#turn-1").is_visible()
    assert "Trecho do manual sobre registrar a promessa." in review.inner_text()
    manual_link = reverse("training:procedure_detail", args=[call.module.slug, "promessa-teste"])
    assert review.locator(f"a[href^='{manual_link}']").count() >= 1
    run.refresh_from_db()
    assert run.passed and run.turn_count == 4


def test_a_trainee_who_fails_a_call_is_shown_what_to_practise(page, log_in, trainee):
    call = make_call()
    log_in("alice")
    page.goto(reverse("scenarios:detail", args=[call.slug]))
    page.locator(f"form[action='{reverse('scenarios:start', args=[call.slug])}'] button").click()
    page.wait_for_url("**/calls/runs/*/")
    say(page, "Já registro a promessa.")
    page.locator("#call .bubble-latest").last.wait_for()
    page.get_by_role("button", name="Desligar e avaliar a ligação").click()
    page.wait_for_url("**/review/")
    assert not Run.objects.get(user=trainee).passed

    page.goto(reverse("reporting:my_modules"))
    practice = page.locator("section[aria-labelledby='practice-heading']")
    assert "Registrar sem verificar a aptidão" in practice.inner_text()
    assert "Você quebrou esta regra" in practice.inner_text()
    practice.get_by_role("link", name="Promessa (teste)").first.click()
    page.wait_for_url(f"**{call.get_absolute_url()}")


def test_on_a_phone_the_system_screen_is_above_the_choices(page, log_in, trainee):
    call = make_call()
    log_in("alice")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(reverse("scenarios:detail", args=[call.slug]))
    page.locator(f"form[action='{reverse('scenarios:start', args=[call.slug])}'] button").click()
    page.wait_for_url("**/calls/runs/*/")
    screen = page.locator("aside[aria-labelledby='crm-heading']").bounding_box()
    choices = page.locator("#choices").bounding_box()
    assert screen["y"] + screen["height"] <= choices["y"]
    page.set_viewport_size({"width": 1280, "height": 800})
    screen = page.locator("aside[aria-labelledby='crm-heading']").bounding_box()
    choices = page.locator("#choices").bounding_box()
    assert screen["x"] > choices["x"]  # beside the call on a wide screen
