"""Reporting rollups. Organisation-wide figures would otherwise scan every attempt and every
judgement of the results ledger on each dashboard view. These small tables are recomputed from
those rows (never incremented) after each result is graded, so they cannot drift from them,
and a rebuild repairs them from scratch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scenarios.models import Scenario
from training.models import Behavior, Module, Team


class ModuleActivity(models.Model):
    """How much one trainee has practised one module: their graded attempts and calls."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="module_activity",
        verbose_name=_("trainee"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="activity", verbose_name=_("module")
    )
    quiz_attempts = models.PositiveIntegerField(_("quiz attempts"), default=0)
    quiz_passed = models.PositiveIntegerField(_("quiz attempts passed"), default=0)
    call_runs = models.PositiveIntegerField(_("calls"), default=0)
    call_passed = models.PositiveIntegerField(_("calls passed"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        verbose_name = _("module activity")
        verbose_name_plural = _("module activity")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "module"], name="module_activity_once"),
            models.CheckConstraint(
                condition=models.Q(quiz_passed__lte=models.F("quiz_attempts"))
                & models.Q(call_passed__lte=models.F("call_runs")),
                name="module_activity_passed_within_total",
            ),
        ]
        indexes = [
            # Covers the organisation-wide sums, so they read the index alone.
            models.Index(
                fields=["module", "quiz_attempts", "quiz_passed", "call_runs", "call_passed"],
                name="activity_module_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.module}"


class BehaviorDailyTally(models.Model):
    """Per day and behaviour, how often quizzes or calls judged it and how often it was missed."""

    class Source(models.TextChoices):
        QUIZ = "quiz", _("Quiz")
        CALL = "call", _("Call")

    day = models.DateField(_("day"))
    behavior = models.ForeignKey(
        Behavior,
        on_delete=models.CASCADE,
        related_name="daily_tallies",
        verbose_name=_("behaviour"),
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    total = models.PositiveIntegerField(_("judged"))
    missed = models.PositiveIntegerField(_("missed"))

    class Meta:
        verbose_name = _("behaviour daily tally")
        verbose_name_plural = _("behaviour daily tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "behavior", "source"], name="behavior_tally_once_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(missed__lte=models.F("total")),
                name="behavior_tally_missed_within_total",
            ),
        ]
        indexes = [
            models.Index(
                fields=["day", "behavior", "source", "total", "missed"], name="behavior_tally_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.behavior_id} · {self.source}: {self.missed}/{self.total}"


class OptionTally(models.Model):
    """How often each option of a question was picked, over every graded attempt: what item
    analysis shows, counted once per attempt after its grading commits (never by re-reading
    every frozen paper on each page view)."""

    question = models.ForeignKey(
        "quizzes.Question",
        on_delete=models.CASCADE,
        related_name="option_tallies",
        verbose_name=_("question"),
    )
    text_hash = models.CharField(max_length=32, editable=False)
    text = models.TextField(_("option"))
    correct = models.BooleanField(_("right option"))
    chosen = models.PositiveIntegerField(_("times picked"), default=0)

    class Meta:
        verbose_name = _("option tally")
        verbose_name_plural = _("option tallies")
        constraints = [
            models.UniqueConstraint(fields=["question", "text_hash"], name="option_tally_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} · {self.text[:40]} · {self.chosen}"


class Export(models.Model):
    """An export written in the background for whoever asked (organisation-wide ones take
    longer than a request may): its progress, then its file to download."""

    class Kind(models.TextChoices):
        MATRIX = "matrix", _("Certification matrix")
        ATTEMPTS = "attempts", _("Every quiz attempt and call")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    team = models.ForeignKey(
        "training.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("Empty: every team the requester may see."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} for {self.requested_by_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, 100 * self.rows_written // self.rows_total)


class Assignment(models.Model):
    """Practice a manager assigned to one of their teams: a module to get certified in, or a
    call to pass, by a date."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("team")
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("module"),
    )
    scenario = models.ForeignKey(
        Scenario,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("call"),
    )
    due_on = models.DateField(_("due"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(module__isnull=False, scenario__isnull=True)
                | models.Q(module__isnull=True, scenario__isnull=False),
                name="reporting_assignment_module_or_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.module or self.scenario} · {self.due_on}"


class Notification(models.Model):
    """A reminder shown on the site and sent by e-mail: a certificate about to expire, an
    assignment overdue. ``key`` names what it reminds of and when (``cert:12:30`` is
    certificate 12 at 30 days), unique per person, so nothing is ever sent twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    key = models.CharField(_("key"), max_length=80)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reporting_notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="reporting_notif_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class Statement(models.Model):
    """The outbox of xAPI statements: one per behaviour judged in a graded result, written
    when the result is graded (if an LRS is configured) and sent by the task worker, retried
    with a growing wait until the LRS takes it."""

    id = models.UUIDField(primary_key=True, editable=False)
    payload = models.JSONField(_("statement"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [models.Index(fields=["sent_at", "next_try_at"], name="statement_outbox_idx")]

    def __str__(self) -> str:
        return f"{self.id} ({'sent' if self.sent_at else 'waiting'})"
