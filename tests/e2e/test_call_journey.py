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

    # Turn 1: the number key picks the first choice.
    page.locator("body").press("1")
    latest_says(page, "Pode religar?")
    assert page.url.endswith(run.get_absolute_url()), "the turn was swapped in place"
    # The newest customer line is announced to screen readers.
    page.wait_for_function(
        "document.getElementById('call-announcer').textContent.includes('Pode religar?')"
    )

    # Turn 2: focus lands on the first choice after the swap; Enter says it.
    focused = page.evaluate("document.activeElement.value")
    assert focused == "verificar"
    page.keyboard.press("Enter")
    latest_says(page, "E então?")

    # Turn 3: Tab through the choices to "registrar" and press Enter.
    page.locator("#choices button[value='registrar']").focus()
    page.keyboard.press("Enter")
    latest_says(page, "E volta quando?")

    # Turn 4: the last choice ends the call and the browser goes to the review.
    page.locator("#choices button[value='informar']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('scenarios:review', args=[run.pk])}")

    review = page.locator("main")
    assert "100%" in review.inner_text()
    assert review.locator("#turn-1").is_visible()
    assert "Trecho do manual sobre registrar a promessa." in review.inner_text()
    manual_link = reverse("training:procedure_detail", args=[call.module.slug, "promessa-teste"])
    assert review.locator(f"a[href^='{manual_link}']").count() >= 1
    run.refresh_from_db()
    assert run.passed and run.turn_count == 4
