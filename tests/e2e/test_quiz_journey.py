"""A trainee takes a quiz in Chromium from the start button to the review: every kind of
question answered through the page, autosave surviving a reload, one submit, the review."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.quizzes.conftest import build_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def saving(page):
    """Wait for the autosave an interaction sends, so the test never races its own saves."""
    return page.expect_response(lambda r: r.url.endswith("/answers/") and r.status == 200)


def answer(page, question: dict) -> None:
    """Answer one served question right, the way a trainee would, one autosave at a time."""
    prefix = f"q{question['position']}"
    kind = question["kind"]
    if kind in {"single", "multiple"}:
        for index, option in enumerate(question["options"]):
            if option["correct"]:
                with saving(page):
                    page.check(f"#{prefix}-{index}")
    elif kind == "true_false":
        with saving(page):
            page.check(f"#{prefix}-{0 if question['answer'] else 1}")
    elif kind == "ordering":
        for place, step in enumerate(question["correct_order"]):
            with saving(page):
                page.select_option(f"#{prefix}-{step}", index=place + 1)  # 0 is the blank
    elif kind == "matching":
        for left, right in enumerate(question["pairs"]):
            with saving(page):
                page.select_option(f"#{prefix}-{left}", index=right + 1)
    elif kind == "numeric":
        page.fill(f"#{prefix}-answer", question["value"])
        with saving(page):
            page.press(f"#{prefix}-answer", "Tab")
    status = page.locator(f"#save-status-{question['position'] + 1}")
    # htmx swaps the status in after the response: let Playwright retry until it settles.
    expect(status.locator(".text-success")).to_be_visible()


def assert_shown_as_saved(page, question: dict) -> None:
    """After a reload, the page shows the answer that was saved for this question."""
    block = f"#question-{question['position'] + 1}"
    kind = question["kind"]
    if kind in {"single", "true_false"}:
        assert page.locator(f"{block} input:checked").count() == 1
    elif kind == "multiple":
        right = sum(o["correct"] for o in question["options"])
        assert page.locator(f"{block} input:checked").count() == right
    elif kind in {"ordering", "matching"}:
        values = page.eval_on_selector_all(f"{block} select", "els => els.map(e => e.value)")
        assert values and all(values), values
    elif kind == "numeric":
        assert page.input_value(f"{block} input[type=text]") == question["value"]


def test_a_trainee_takes_a_quiz_from_start_to_review(page, log_in, trainee):
    quiz = build_quiz(time_limit_minutes=20)
    log_in("alice")
    page.goto(reverse("quizzes:quiz_detail", args=[quiz.slug]))
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url("**/quizzes/attempts/*/")

    attempt = Attempt.objects.get(user=trainee)
    questions = attempt.paper["questions"]
    assert page.locator("fieldset").count() == len(questions)
    scenario = next(q for q in questions if q["fact_values"])
    assert scenario["fact_values"]["customer_name"] in page.content()

    for question in questions:
        answer(page, question)

    # What was saved as the trainee went comes back after a reload.
    page.reload()
    for question in questions:
        assert_shown_as_saved(page, question)
    assert not attempt.items.filter(response__isnull=True).exists()

    page.click("button[formaction$='/submit/']")
    page.wait_for_url("**/review/")
    assert "100" in page.locator("#result-summary").inner_text()
    for question in questions:
        assert page.locator(f"#review-{question['position'] + 1}").is_visible()
    assert questions[0]["explanation"] in page.content()
    link = reverse(
        "training:procedure_detail",
        args=[questions[0]["procedure"]["module_slug"], questions[0]["procedure"]["slug"]],
    )
    assert page.locator(f"a[href='{link}']").count() >= 1

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.passed

    # Back button and a second submit do not count twice.
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/review/") or "/attempts/" in page.url
    assert Attempt.objects.filter(user=trainee).count() == 1


def test_the_sheet_counts_down_counts_answers_and_names_the_unanswered(page, log_in, trainee):
    quiz = build_quiz(count=3, time_limit_minutes=20)
    log_in("alice")
    page.goto(reverse("quizzes:quiz_detail", args=[quiz.slug]))
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url("**/quizzes/attempts/*/")
    clock = page.locator("#countdown")
    first = clock.inner_text()
    assert first.startswith(("19:", "20:")), first
    expect(clock).not_to_have_text(first, timeout=5000)

    attempt = Attempt.objects.get(user=trainee)
    question = attempt.paper["questions"][0]
    assert page.locator("#answered-count").inner_text() == "0"
    answer(page, question)
    assert page.locator("#answered-count").inner_text() == "1"
    link = page.locator(f"[data-question-link='question-{question['position'] + 1}']")
    assert "btn-success" in link.get_attribute("class")

    shown = []

    def decline(dialog):
        shown.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.click("button[formaction$='/submit/']")
    others = [str(q["position"] + 1) for q in attempt.paper["questions"][1:]]
    assert shown and ", ".join(sorted(others)) in shown[0], shown
    attempt.refresh_from_db()
    assert attempt.is_open  # declined: nothing handed in
