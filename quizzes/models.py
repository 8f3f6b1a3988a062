"""The question bank, quizzes built from it, and trainees' attempts with what was served frozen."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quizzes.kinds import KINDS
from quizzes.schema import LIMITS
from training.models import Behavior, Draft, Module, Procedure


def kind_choices() -> list[tuple[str, str]]:
    """Every registered question kind, with its translated name."""
    return [(kind.name, _(kind.label)) for kind in KINDS.values()]


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Question(models.Model):
    """One question about a procedure; its kind-specific content lives in ``spec``.

    ``spec`` holds what the pack's schema (``quizzes.schema``) validates: options
    and their correctness (fixed or a condition over drawn facts), steps in
    order, pairs, or a numeric answer with unit and tolerance. Attempts copy
    what they serve, so editing a question never changes a past result.
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="questions", verbose_name=_("procedure")
    )
    key = models.SlugField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=kind_choices)
    stem = models.TextField(_("stem"), help_text=_("May show drawn facts as {fact_name}."))
    spec = models.JSONField(_("content"), default=dict)
    explanation = models.TextField(_("explanation"))
    manual_quote = models.TextField(_("manual's words"))
    behaviors = models.ManyToManyField(
        Behavior, related_name="questions", blank=True, verbose_name=_("behaviours")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired questions stay for past attempts.")
    )
    version = models.PositiveIntegerField(_("content version"), default=1)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Every saved version: who changed what and when (editor, admin, pack load).
    history = HistoricalRecords(excluded_fields=["order", "content_hash"])

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "order", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.key

    @property
    def is_scenario(self) -> bool:
        return bool(self.spec.get("facts"))


class QuestionDraft(Draft):
    """A question being written or revised in the editor: trainees see nothing of it until it
    is published. ``entry`` is the question as a pack file holds it; ``base_version`` the
    version of the question it started from (empty for a new question)."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="question_drafts", verbose_name=_("module")
    )
    key = models.SlugField(_("key"), max_length=100, unique=True)
    question = models.OneToOneField(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name=_("question"),
    )
    entry = models.JSONField(_("content"))
    reverted_from = models.PositiveIntegerField(
        _("reverted from history entry"), null=True, blank=True
    )

    class Meta(Draft.Meta):
        verbose_name = _("question draft")
        verbose_name_plural = _("question drafts")

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("quizzes:draft_detail", args=[self.pk])


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Quiz(models.Model):
    class Review(models.TextChoices):
        IMMEDIATELY = "immediately", _("As soon as the attempt is submitted")
        AFTER_CLOSE = "after_close", _("After the quiz closes")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="quizzes", verbose_name=_("module")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LIMITS["time_limit_minutes"])],
        help_text=_("Empty: no time limit."),
    )
    max_attempts = models.PositiveIntegerField(
        _("attempt limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LIMITS["max_attempts"])],
        help_text=_("Empty: unlimited."),
    )
    wait_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"),
        default=0,
        validators=[MaxValueValidator(LIMITS["wait_minutes"])],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review = models.CharField(
        _("review shown"), max_length=20, choices=Review.choices, default=Review.IMMEDIATELY
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    version = models.PositiveIntegerField(_("content version"), default=1)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["module__order", "slug"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="quizzes_quiz_pass_mark_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                name="quizzes_quiz_max_attempts_positive",
            ),
            models.CheckConstraint(
                condition=(
                    Q(time_limit_minutes__isnull=True)
                    | Q(time_limit_minutes__lte=LIMITS["time_limit_minutes"])
                )
                & (Q(max_attempts__isnull=True) | Q(max_attempts__lte=LIMITS["max_attempts"]))
                & Q(wait_minutes__lte=LIMITS["wait_minutes"]),
                name="quizzes_quiz_settings_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz_detail", args=[self.slug])


class QuizSlot(models.Model):
    """A place in a quiz's paper: one fixed question, or ``draw_count`` drawn from a procedure."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="slots", verbose_name=_("quiz")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fixed question"),
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draw from procedure"),
    )
    draw_count = models.PositiveSmallIntegerField(_("questions drawn"), default=1)

    class Meta:
        ordering = ["quiz", "order"]
        verbose_name = _("quiz slot")
        verbose_name_plural = _("quiz slots")
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False, procedure__isnull=True))
                | (Q(question__isnull=True, procedure__isnull=False)),
                name="quizzes_slot_question_xor_procedure",
            ),
            models.CheckConstraint(
                condition=Q(draw_count__gte=1), name="quizzes_slot_draws_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        if self.question_id:
            return f"{self.quiz}: {self.question}"
        return f"{self.quiz}: {self.draw_count} × {self.procedure}"


class AttemptQuerySet(models.QuerySet):
    def graded(self):
        return self.exclude(status=Attempt.Status.IN_PROGRESS)

    def in_progress(self):
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def of(self, user, quiz):
        return self.filter(user=user, quiz=quiz)

    def best_first(self):
        """The best attempt first: highest score, then the earliest to reach it."""
        return self.graded().order_by(models.F("score").desc(nulls_last=True), "submitted_at")


class Attempt(models.Model):
    """One sitting of a quiz; ``paper`` freezes everything that was served, keys included."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Graded at the deadline")

    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("trainee"),
    )
    number = models.PositiveIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    seed = models.BigIntegerField(_("seed"))
    quiz_version = models.PositiveIntegerField(_("quiz version"))
    module_version = models.PositiveIntegerField(_("module version"))
    paper = models.JSONField(_("served paper"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # Its options picked are counted in reporting's option tallies (once, after grading).
    options_tallied = models.BooleanField(default=False, editable=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quizzes_attempt_unique_number"
            ),
            # Two tabs starting at once cannot open two sittings of the same quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(status="in_progress"),
                name="quizzes_attempt_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress", score__isnull=True, passed__isnull=True)
                | (
                    ~Q(status="in_progress")
                    & Q(score__isnull=False, passed__isnull=False, submitted_at__isnull=False)
                ),
                name="quizzes_attempt_graded_iff_scored",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "quiz", "status"], name="quizzes_attempt_user_quiz")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.user})"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AttemptItem(models.Model):
    """One served question of an attempt: the saved response and, once graded, its score."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("attempt")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        related_name="attempt_items",
        verbose_name=_("question"),
    )
    response = models.JSONField(_("response"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=4, null=True, blank=True)
    correct = models.BooleanField(_("fully correct"), null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt item")
        verbose_name_plural = _("attempt items")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_item_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.position + 1}"
