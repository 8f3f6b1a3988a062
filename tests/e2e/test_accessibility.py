"""Every main page of each user, in Chromium on the shipped curriculum, passes axe's checks and
breaks nothing of the Content-Security-Policy: the trainee who studies, takes a quiz and a call;
the trainer who authors and checks; the manager who watches and coaches; anyone who verifies a
certificate."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from certification.models import Certification
from quizzes import authoring as question_authoring
from quizzes.models import Question, Quiz
from scenarios import authoring as call_authoring
from scenarios.models import Scenario
from tests.factories import CertificationFactory
from training.models import Judgement, Module, Procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()
# Every WCAG 2.1 A and AA rule axe knows, plus its best practices.
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]}}


def violations(page) -> list[str]:
    results = AXE.run(page, options=RULES)
    found = []
    for violation in results.response["violations"]:
        where = [node["target"] for node in violation["nodes"][:6]]
        found.append(f"{page.url} {violation['id']}: {violation['help']} ({where})")
    return found


@pytest.fixture
def csp_reports(page):
    """What the browser refused under the Content-Security-Policy, page by page."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


def test_every_main_page_passes_axe_and_the_policy(page, log_in, csp_reports):
    page.emulate_media(reduced_motion="reduce")
    call_command("demo", no_serve=True, stdout=StringIO())
    module = Module.objects.filter(quizzes__is_published=True).order_by("order").first()
    procedure = Procedure.objects.filter(module=module).first()
    quiz = Quiz.objects.filter(module=module, is_published=True).first()
    scenario = Scenario.objects.filter(is_active=True, module=module).order_by("slug").first()
    found = []

    def visit(url: str):
        # The checks pages answer hundreds of papers by bots on their first visit.
        page.goto(url, timeout=120_000)
        page.wait_for_load_state("networkidle")
        found.extend(violations(page))

    visit(reverse("login"))
    visit("/nada-aqui/")

    log_in("trainee", "trilha-demo")
    for url in [
        reverse("reporting:my_modules"),
        reverse("training:module_list"),
        reverse("training:module_detail", args=[module.slug]),
        reverse("training:procedure_detail", args=[module.slug, procedure.slug]),
        reverse("quizzes:quiz_list"),
        reverse("quizzes:quiz_detail", args=[quiz.slug]),
        reverse("scenarios:list"),
        reverse("scenarios:detail", args=[scenario.slug]),
    ]:
        visit(url)
    # A quiz taken to its review, and a call played to its review.
    page.goto(reverse("quizzes:quiz_detail", args=[quiz.slug]))
    start = reverse("quizzes:attempt_start", args=[quiz.slug])
    page.locator(f"form[action='{start}'] button").click()
    page.wait_for_url("**/attempts/*/")
    found.extend(violations(page))
    page.once("dialog", lambda dialog: dialog.accept())  # "hand in with questions unanswered?"
    page.get_by_role("button", name="Enviar para correção").click()
    page.wait_for_url("**/review/")
    found.extend(violations(page))

    page.goto(reverse("scenarios:detail", args=[scenario.slug]))
    start = reverse("scenarios:start", args=[scenario.slug])
    page.locator(f"form[action='{start}'] button").click()
    page.wait_for_url("**/calls/runs/*/")
    found.extend(violations(page))
    page.locator("#choices .choice").first.click()
    page.locator("#call .bubble-latest").last.wait_for()
    # The pointer left resting on the next turn's first line would catch its hover colours
    # mid-transition; a trainee reads the page, not a frame of an animation.
    page.mouse.move(0, 0)
    found.extend(violations(page))
    page.get_by_role("button", name="Desligar e avaliar a ligação").click()
    page.wait_for_url("**/review/")
    found.extend(violations(page))
    page.get_by_role("button", name="Sair").click()

    log_in("trainer", "trilha-demo")
    trainer = get_user_model().objects.get(username="trainer")
    question = Question.objects.filter(procedure=procedure, is_active=True).first()
    question_draft = question_authoring.question_draft_open(question, author=trainer)
    call_draft = call_authoring.call_draft_open(scenario, author=trainer)
    for url in [
        reverse("quizzes:question_new", args=[procedure.slug]) + "?kind=single",
        reverse("quizzes:draft_detail", args=[question_draft.pk]),
        reverse("quizzes:draft_edit", args=[question_draft.pk]),
        reverse("quizzes:question_history", args=[question.key]),
        reverse("scenarios:draft_detail", args=[call_draft.pk]),
        reverse("scenarios:draft_edit", args=[call_draft.pk]),
        reverse("scenarios:call_history", args=[scenario.slug]),
        reverse("reporting:publications"),
        reverse("reporting:pack_upload"),
        reverse("reporting:authoring"),
        reverse("reporting:coverage"),
        reverse("quizzes:checks"),
        reverse("scenarios:checks"),
        reverse("reporting:item_analysis"),
        reverse("reporting:item_analysis_quiz", args=[quiz.slug]),
        reverse("reporting:item_analysis_call", args=[scenario.slug]),
    ]:
        visit(url)
    page.get_by_role("button", name="Sair").click()
    trainee = get_user_model().objects.get(username="trainee")
    certificate = CertificationFactory(trainee=trainee, module=module)
    log_in("manager", "trilha-demo")
    miss = (
        Judgement.objects.not_kept()
        .filter(source="call", trainee__teams__managers__username="manager")
        .first()
    )
    for url in [
        reverse("reporting:behavior_misses", args=[miss.behavior.code]),
        reverse("reporting:trainee_review", args=[miss.trainee_id, "call", miss.record]),
        reverse("reporting:dashboard"),
        reverse("reporting:trainee", args=[trainee.pk]),
        reverse("certification:certificate", args=[certificate.code]),
    ]:
        visit(url)
    page.get_by_role("button", name="Sair").click()
    visit(reverse("certification:verify", args=[certificate.code]))

    assert Certification.objects.filter(trainee=trainee).count() == 1
    assert not found, "\n".join(found)
    assert not csp_reports, "\n".join(csp_reports)
