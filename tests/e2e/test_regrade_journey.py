"""A trainer who may publish fixes a question's key, reads in Chromium who the regrade of
past attempts would change, and applies it with a reason; the trainee's review then says the
question was regraded. Both pages pass axe."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.e2e.test_accessibility import violations
from tests.quizzes.conftest import build_quiz
from tests.quizzes.test_regrade import RIGHT_AFTER_FIX, fix_the_key, sit

pytestmark = pytest.mark.e2e


def test_a_trainer_regrades_past_attempts_after_fixing_a_key(page, log_in, publisher, trainee):
    quiz = build_quiz(count=1, shuffle_options=True)
    attempt = sit(quiz, trainee, RIGHT_AFTER_FIX)  # wrong under the key first published
    assert not attempt.passed
    question = fix_the_key(quiz.slots.get().question)

    log_in("paula")
    page.goto(reverse("quizzes:question_history", args=[question.key]))
    page.get_by_role("link", name="Recorrigir resultados anteriores").click()
    page.wait_for_url("**/regrade/")
    main = page.locator("main")
    assert "1 resultado muda de nota ou de veredito" in main.inner_text()
    assert "agora passa" in main.inner_text()
    found = violations(page)
    page.screenshot(path="/tmp/regrade-dry-run.png", full_page=True)

    page.fill("textarea[name=reason]", "O gabarito marcava a opção errada.")
    page.get_by_role("button", name="Aplicar a recorreção").click()
    page.wait_for_load_state()
    assert "Resultados que mudaram: 1" in page.locator("body").inner_text()
    assert "O gabarito marcava a opção errada." in main.inner_text()
    assert Attempt.objects.get(pk=attempt.pk).passed

    page.context.clear_cookies()
    log_in("alice")
    page.goto(reverse("quizzes:attempt_review", args=[attempt.pk]))
    assert "A questão 1 foi recorrigida" in page.locator("main").inner_text()
    found += violations(page)
    assert found == []
