"""Simulated calls: scenarios and their frozen versions, and runs with their turns."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.models import Draft, Module, Procedure


class ScenarioQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Scenario(models.Model):
    """A call a trainee can take; its graph and rubric live in its versions."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("module")
    )
    procedures = models.ManyToManyField(
        Procedure,
        related_name="scenarios",
        blank=True,
        verbose_name=_("procedures"),
        help_text=_("The procedures this call practises."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(
        _("current version"), default=1, help_text=_("The number of the version new runs use.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired scenarios keep their runs but no new ones.")
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["module__order", "order", "slug"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scenarios:detail", args=[self.slug])


class ScenarioVersionQuerySet(models.QuerySet):
    def current(self):
        """Each scenario's version that new runs use."""
        return self.filter(number=models.F("scenario__version"))


class ScenarioVersion(models.Model):
    """The frozen definition (persona, facts, steps, rubric) a run is played and graded against."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="versions", verbose_name=_("scenario")
    )
    number = models.PositiveIntegerField(_("number"))
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScenarioVersionQuerySet.as_manager()

    class Meta:
        ordering = ["scenario", "-number"]
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "number"], name="scenarios_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} v{self.number}"


class CallDraft(Draft):
    """A call being written or revised in the editor, as the YAML of its pack file: trainees
    see nothing of it until it is published as a new version. ``base_version`` is the version
    of the call it started from (empty for a new call)."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="call_drafts", verbose_name=_("module")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    scenario = models.OneToOneField(
        Scenario,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name=_("scenario"),
    )
    source = models.TextField(_("call file (YAML)"))
    reverted_from = models.PositiveIntegerField(_("reverted from version"), null=True, blank=True)

    class Meta(Draft.Meta):
        verbose_name = _("call draft")
        verbose_name_plural = _("call drafts")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("scenarios:draft_detail", args=[self.pk])


class RunQuerySet(models.QuerySet):
    def counted(self):
        """Runs that count towards results: trainer previews never do."""
        return self.filter(is_preview=False)

    def graded(self):
        return self.exclude(status=Run.Status.IN_PROGRESS)

    def passed(self):
        return self.graded().filter(passed=True)

    def in_progress(self):
        return self.filter(status=Run.Status.IN_PROGRESS)


class Run(models.Model):
    """One trainee's attempt at a call: the facts drawn, where the call stands, its grade."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        HUNG_UP = "hung_up", _("Ended early")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scenario_runs",
        verbose_name=_("user"),
    )
    # Recorded results keep their scenario: removing one with runs fails instead of
    # silently deleting trainees' results (the pack retires such scenarios instead).
    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="runs", verbose_name=_("scenario")
    )
    version = models.ForeignKey(
        ScenarioVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("version")
    )
    is_preview = models.BooleanField(
        _("preview"), default=False, help_text=_("A trainer's preview; never counted.")
    )
    seed = models.BigIntegerField(_("seed"))
    facts = models.JSONField(_("facts"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    current_step = models.CharField(_("current step"), max_length=80)
    turn_count = models.PositiveIntegerField(_("turns"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    compliance_score = models.FloatField(_("compliance score"), null=True, blank=True)
    critical_errors = models.PositiveIntegerField(_("critical errors"), default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    result = models.JSONField(_("grading result"), default=dict, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        indexes = [
            models.Index(fields=["user", "scenario", "-started_at"], name="scenarios_run_user_idx"),
            models.Index(fields=["scenario", "status"], name="scenarios_run_scenario_idx"),
        ]
        constraints = [
            # Starting a call twice (double click, second tab) resumes the same run.
            models.UniqueConstraint(
                fields=["user", "scenario", "is_preview"],
                condition=Q(status="in_progress"),
                name="scenarios_run_one_in_progress",
            ),
            models.CheckConstraint(
                condition=(Q(status="in_progress") & Q(finished_at__isnull=True))
                | (
                    ~Q(status="in_progress")
                    & Q(finished_at__isnull=False)
                    & Q(passed__isnull=False)
                ),
                name="scenarios_run_finished_consistent",
            ),
            models.CheckConstraint(
                condition=Q(critical_errors=0) | Q(passed=False),
                name="scenarios_run_critical_fails",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} #{self.pk} ({self.user_id})"

    def get_absolute_url(self) -> str:
        return reverse("scenarios:run", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.IN_PROGRESS


class Turn(models.Model):
    """One choice the agent made, or one reply they typed: what was said, the behaviours it
    performed, where it led."""

    # The choice id of a typed reply (a typed step offers no menu: ``offered`` is empty and
    # ``position`` 0).
    TYPED = "digitada"

    run = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="turns", verbose_name=_("run")
    )
    index = models.PositiveIntegerField(_("turn"))
    step_id = models.CharField(_("step"), max_length=80)
    # What the agent saw, frozen: the choices on offer in the order shown, and the place (from
    # 1) of the one taken, so a review or replay shows the turn exactly as it was.
    offered = models.JSONField(_("choices shown"), default=list)
    position = models.PositiveSmallIntegerField(_("place of the choice taken"), default=1)
    choice_id = models.CharField(_("choice"), max_length=80)
    said = models.TextField(_("agent said"))
    behaviors = models.JSONField(_("behaviours"), default=list)
    # A typed reply's grading: per concept, matched or not and the span of ``said`` that did.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    next_step = models.CharField(_("next step"), max_length=80)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "index"]
        verbose_name = _("turn")
        verbose_name_plural = _("turns")
        constraints = [
            # A replayed post for a turn already taken can never add a second one.
            models.UniqueConstraint(fields=["run", "index"], name="scenarios_turn_index_unique"),
            models.CheckConstraint(condition=Q(index__gte=1), name="scenarios_turn_index_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.index}: {self.choice_id}"
