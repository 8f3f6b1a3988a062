"""Trainee pages for quizzes (list, start, answer sheet, submit, review) and a trainer's list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from quizzes import selectors, services
from quizzes.forms import read_answers, sheet_questions
from quizzes.guessers import MIN_MARGIN
from quizzes.kinds import KINDS
from quizzes.models import Attempt, Quiz
from training.models import Procedure
from training.roles import Role, role_required
from training.selectors import manual_text


def _get_attempt_for_user(request, pk: int, *, with_items: bool = True) -> Attempt:
    """The requesting trainee's attempt, graded first if its time ran out; 404 otherwise."""
    try:
        attempt = selectors.attempt_of_user(pk, request.user, with_items=with_items)
    except Attempt.DoesNotExist:
        raise Http404 from None
    if attempt.is_open:
        closed = services.attempt_close_if_overdue(attempt=attempt)
        if not closed.is_open:
            attempt = selectors.attempt_of_user(pk, request.user, with_items=with_items)
    return attempt


@require_GET
@role_required(Role.TRAINEE)
def quiz_list(request):
    return render(request, "quizzes/quiz_list.html", {"quizzes": selectors.quizzes_for_listing()})


@require_GET
@role_required(Role.TRAINEE)
def module_quiz(request, slug):
    quiz = selectors.quizzes_for_listing().filter(module__slug=slug).first()
    if quiz is None:
        raise Http404
    return redirect(quiz)


@require_GET
@role_required(Role.TRAINEE)
def quiz_detail(request, slug):
    try:
        quiz = selectors.quiz_for_taking(slug)
    except Quiz.DoesNotExist:
        raise Http404 from None
    standing = selectors.quiz_standing(quiz=quiz, user=request.user)
    if (
        standing.open_attempt
        and not services.attempt_close_if_overdue(attempt=standing.open_attempt).is_open
    ):
        standing = selectors.quiz_standing(quiz=quiz, user=request.user)
    return render(request, "quizzes/quiz_detail.html", {"quiz": quiz, "standing": standing})


@require_POST
@role_required(Role.TRAINEE)
def attempt_start(request, slug):
    try:
        quiz = selectors.quiz_for_taking(slug)
    except Quiz.DoesNotExist:
        raise Http404 from None
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user)
    except services.QuizUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(quiz)
    return redirect(attempt)


@require_GET
@role_required(Role.TRAINEE)
def attempt_detail(request, pk):
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_open:
        return redirect("quizzes:attempt_review", pk=attempt.pk)
    saved = {i.position: i.response for i in attempt.items.all()}
    return render(
        request,
        "quizzes/attempt_detail.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": sheet_questions(attempt.paper, saved),
            "answered": sum(r is not None for r in saved.values()),
            # The countdown runs from the server's clock, whatever the device's says.
            "seconds_left": max(0, int((attempt.deadline - timezone.now()).total_seconds()))
            if attempt.deadline
            else None,
        },
    )


@require_POST
@role_required(Role.TRAINEE)
def answer_save(request, pk):
    attempt = _get_attempt_for_user(request, pk)
    # htmx saves the one question that changed; the plain form saves them all.
    shown = request.POST.getlist("only") or request.POST.getlist("shown")
    responses, errors = read_answers(attempt.paper, request.POST, shown)
    try:
        services.answer_save(attempt=attempt, responses=responses)
    except services.AttemptClosed:
        message = _("This attempt is closed; your saved answers were graded.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("quizzes:attempt_review", args=[attempt.pk]))
        messages.warning(request, message)
        return redirect("quizzes:attempt_review", pk=attempt.pk)
    if request.htmx:
        return render(
            request,
            "quizzes/includes/save_status.html",
            {"saved_at": timezone.now(), "errors": errors},
        )
    if errors:
        for position, problems in sorted(errors.items()):
            messages.error(
                request,
                _("Question %(n)s: %(problems)s")
                % {
                    "n": position + 1,
                    "problems": " ".join(problems),
                },
            )
    else:
        messages.success(request, _("Your answers were saved."))
    return redirect(attempt)


@require_POST
@role_required(Role.TRAINEE)
def attempt_submit(request, pk):
    attempt = _get_attempt_for_user(request, pk, with_items=False)
    responses = None
    if attempt.is_open:
        # The plain form posts every answer with the submit button: they are saved with it.
        responses, _errors = read_answers(
            attempt.paper, request.POST, request.POST.getlist("shown")
        )
    outcome = services.attempt_submit(attempt=attempt, responses=responses)
    if outcome.attempt.status == Attempt.Status.EXPIRED:
        messages.warning(request, _("Time was up: the answers saved by the deadline were graded."))
    elif not outcome.counted:
        messages.info(request, _("This attempt had already been submitted; it counts once."))
    return redirect("quizzes:attempt_review", pk=attempt.pk)


@require_GET
@role_required(Role.TRAINEE)
def attempt_review(request, pk):
    attempt = _get_attempt_for_user(request, pk)
    if attempt.is_open:
        return redirect(attempt)
    standing = selectors.quiz_standing(quiz=attempt.quiz, user=request.user)
    show_keys = selectors.review_available(attempt, standing, now=timezone.now())
    return render(
        request,
        "quizzes/attempt_review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "standing": standing,
            "show_keys": show_keys,
            "items": selectors.reviewed_items(attempt) if show_keys else [],
        },
    )


@require_GET
@role_required(Role.TRAINER)
def question_list(request, slug):
    procedure = get_object_or_404(Procedure.objects.select_related("module"), slug=slug)
    return render(
        request,
        "quizzes/question_list.html",
        {
            "procedure": procedure,
            "questions": selectors.questions_by_procedure(procedure.pk),
            "drafts": selectors.drafts_of_procedure(procedure.slug),
            "kinds": [(kind.name, _(kind.label)) for kind in KINDS.values()],
        },
    )


@require_GET
@role_required(Role.TRAINER)
def quiz_checks(request):
    checks = selectors.quiz_checks(manual_text())
    rows = [
        (check, check.figures.margin() < MIN_MARGIN or any(check.figures.passed.values()))
        for check in checks
    ]
    return render(request, "quizzes/quiz_checks.html", {"rows": rows, "min_margin": MIN_MARGIN})
