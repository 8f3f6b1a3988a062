"""Curriculum (modules, procedures, behaviours), the people who train (teams and roles), and
their certification."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training import certification as rules


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("members")
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_teams",
        blank=True,
        verbose_name=_("managers"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class ModuleQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            procedure_count=models.Count("procedures", distinct=True),
            behavior_count=models.Count("procedures__behaviors", distinct=True),
        )


class Module(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(
        _("content version"), default=1, help_text=_("Increases whenever the content changes.")
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        permissions = [
            ("take_training", _("Can take courses, quizzes and simulated calls")),
            ("author_content", _("Can author procedures, questions and scenarios")),
            ("view_dashboard", _("Can view certification dashboards of managed teams")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:module_detail", args=[self.slug])


class Procedure(models.Model):
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="procedures", verbose_name=_("module")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    guidance = models.TextField(
        _("guidance"), help_text=_("The manual's text for this procedure (Markdown).")
    )

    class Meta:
        ordering = ["module__order", "order", "slug"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:procedure_detail", args=[self.module.slug, self.slug])


class BehaviorQuerySet(models.QuerySet):
    def violations(self):
        return self.filter(kind=Behavior.Kind.VIOLATION)


class Behavior(models.Model):
    """What the manual says an agent must do, say or ask, or a named way of breaking one of its
    rules (a ``violation``), under the procedure that mandates it."""

    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", _("Disclosure")
        PROBE = "probe", _("Probe")
        ACTION = "action", _("Action")
        RAPPORT = "rapport", _("Rapport")
        VIOLATION = "violation", _("Violation")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="behaviors", verbose_name=_("procedure")
    )
    code = models.CharField(_("code"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    manual_quote = models.TextField(_("manual's words"), blank=True)
    interpretation = models.TextField(
        _("interpretation"),
        blank=True,
        help_text=_(
            "Where the manual can be read in more than one way: the reading every question "
            "and call follows, and why."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = BehaviorQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "order", "code"]
        verbose_name = _("behaviour")
        verbose_name_plural = _("behaviours")

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    @property
    def is_violation(self) -> bool:
        return self.kind == self.Kind.VIOLATION


# --- the results ledger -----------------------------------------------------------------


class JudgementQuerySet(models.QuerySet):
    def not_kept(self):
        return self.exclude(verdict=Judgement.Verdict.KEPT)


class Judgement(models.Model):
    """One behaviour judged in one graded quiz attempt or call run: who, which behaviour, where
    (the question numbers or call turns and the items that decided it), the verdict, the
    content version and seed the result can be replayed from, and when.

    The ledger is the spine of every report: certification, dashboards and exports read it;
    the engines append to it when they grade and never edit a row. Trainer previews are never
    written.
    """

    class Source(models.TextChoices):
        QUIZ = "quiz", _("Quiz")
        CALL = "call", _("Call")

    class Verdict(models.TextChoices):
        KEPT = "kept", _("Kept")
        MISSED = "missed", _("Missed")
        VIOLATED = "violated", _("Violated")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="judgements",
        verbose_name=_("trainee"),
    )
    behavior = models.ForeignKey(
        Behavior,
        # A trainee's graded result must never vanish because the pack dropped a behaviour.
        on_delete=models.PROTECT,
        related_name="judgements",
        verbose_name=_("behaviour"),
    )
    # The module of the quiz or call that judged it (a call may judge other modules' rules).
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="judgements", verbose_name=_("module")
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    record = models.PositiveBigIntegerField(
        _("attempt or run"), help_text=_("The id of the quiz attempt or the call run.")
    )
    place = models.PositiveIntegerField(
        _("question or turn"),
        null=True,
        blank=True,
        help_text=_("The first question number or call turn that decided the verdict."),
    )
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    content_version = models.PositiveIntegerField(_("content version"))
    seed = models.BigIntegerField(_("seed"))
    judged_at = models.DateTimeField(_("judged at"))

    objects = JudgementQuerySet.as_manager()

    class Meta:
        ordering = ["-judged_at", "pk"]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "record", "behavior"], name="judgement_once_per_record"
            ),
        ]
        indexes = [
            models.Index(fields=["behavior", "verdict"], name="judgement_behavior"),
            models.Index(fields=["trainee", "behavior"], name="judgement_trainee"),
            models.Index(fields=["judged_at"], name="judgement_when"),
            models.Index(fields=["source", "record"], name="judgement_record"),
        ]

    def __str__(self) -> str:
        return f"{self.behavior_id} {self.verdict} ({self.source} {self.record})"

    @property
    def kept(self) -> bool:
        return self.verdict == self.Verdict.KEPT


# --- certification ----------------------------------------------------------------------


class CertificationStatus(models.TextChoices):
    """A certificate's state, derived from its dates, revocation and content version."""

    VALID = "valid", _("Valid")
    EXPIRING_SOON = "expiring_soon", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by new content")


class CertificationPolicy(models.Model):
    module = models.OneToOneField(
        Module,
        on_delete=models.CASCADE,
        related_name="certification_policy",
        verbose_name=_("module"),
    )
    require_all_content = models.BooleanField(
        _("require every quiz and call of the module"),
        default=True,
        help_text=_(
            "When on, every quiz and call of the module is required, including ones added "
            "later; when off, only the ones chosen below."
        ),
    )
    required_quizzes = models.ManyToManyField(
        "quizzes.Quiz", blank=True, related_name="+", verbose_name=_("required quizzes")
    )
    required_scenarios = models.ManyToManyField(
        "scenarios.Scenario", blank=True, related_name="+", verbose_name=_("required calls")
    )
    quiz_pass_mark = models.PositiveSmallIntegerField(
        _("quiz pass mark (%)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use each quiz's own pass mark."),
    )
    call_pass_mark = models.PositiveSmallIntegerField(
        _("call pass mark (%)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use each call's own pass mark."),
    )
    zero_critical_errors = models.BooleanField(
        _("no critical error in required calls"), default=True
    )
    validity_days = models.PositiveIntegerField(_("validity (days)"), default=365)
    recertify_on_major_version = models.BooleanField(
        _("a new major content version requires recertification"), default=True
    )
    major_version = models.PositiveIntegerField(
        _("current major version starts at content version"),
        default=1,
        help_text=_(
            "Certificates earned on an earlier content version are superseded when "
            "recertification is required."
        ),
    )
    major_version_since = models.DateTimeField(
        _("major version started"),
        null=True,
        blank=True,
        help_text=_("Results from before this moment do not count towards certification."),
    )

    class Meta:
        verbose_name = _("certification policy")
        verbose_name_plural = _("certification policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(validity_days__gt=0), name="policy_validity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(quiz_pass_mark__isnull=True) | models.Q(quiz_pass_mark__lte=100),
                name="policy_quiz_pass_mark_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(call_pass_mark__isnull=True) | models.Q(call_pass_mark__lte=100),
                name="policy_call_pass_mark_percent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.module)


class CertificationQuerySet(models.QuerySet):
    def with_status(self, now):
        """Annotate ``status`` in the database, by the same precedence as the pure rule."""
        policy = "module__certification_policy__"
        return self.annotate(
            status=models.Case(
                models.When(revoked_at__isnull=False, then=models.Value("revoked")),
                models.When(
                    models.Q(**{f"{policy}recertify_on_major_version": True})
                    & models.Q(content_version__lt=models.F(f"{policy}major_version")),
                    then=models.Value("superseded"),
                ),
                models.When(expires_at__lte=now, then=models.Value("expired")),
                models.When(
                    expires_at__lte=now + timedelta(days=rules.EXPIRING_SOON_DAYS),
                    then=models.Value("expiring_soon"),
                ),
                default=models.Value("valid"),
                output_field=models.CharField(),
            )
        )

    def latest_per_module(self):
        """Each trainee's most recent certificate per module: the one that says where they stand."""
        later = Certification.objects.filter(
            trainee=models.OuterRef("trainee"),
            module=models.OuterRef("module"),
            awarded_at__gt=models.OuterRef("awarded_at"),
        )
        return self.filter(~models.Exists(later))


class Certification(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certifications",
        verbose_name=_("trainee"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("module")
    )
    awarded_at = models.DateTimeField(_("awarded"))
    expires_at = models.DateTimeField(_("expires"))
    content_version = models.PositiveIntegerField(_("content version"))
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    # The decision as made, requirement by requirement, so the certificate still explains
    # itself if an attempt or run is later removed.
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    quiz_attempts = models.ManyToManyField(
        "quizzes.Attempt", blank=True, related_name="certifications", verbose_name=_("attempts")
    )
    scenario_runs = models.ManyToManyField(
        "scenarios.Run", blank=True, related_name="certifications", verbose_name=_("calls")
    )
    # Fingerprint of the results that earned it: the same proof never certifies twice.
    evidence_key = models.CharField(max_length=64, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_at"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("awarded_at")),
                name="certification_expires_after_award",
            ),
            # Revoked means: when, and why. Neither without the other.
            models.CheckConstraint(
                condition=(
                    models.Q(revoked_at__isnull=True, revocation_reason="")
                    | (models.Q(revoked_at__isnull=False) & ~models.Q(revocation_reason=""))
                ),
                name="certification_revocation_has_reason",
            ),
            models.UniqueConstraint(
                fields=["trainee", "module", "evidence_key"],
                name="certification_once_per_evidence",
            ),
        ]
        indexes = [
            models.Index(fields=["trainee", "module", "awarded_at"], name="cert_trainee_module"),
            models.Index(fields=["expires_at"], name="cert_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.module} · {self.trainee} · {self.awarded_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:certificate", args=[self.code])

    def get_verification_url(self) -> str:
        return reverse("verify", args=[self.code])

    def status_at(self, now) -> str:
        policy = getattr(self.module, "certification_policy", None)
        superseded = policy is not None and rules.is_superseded(
            content_version=self.content_version,
            major_version=policy.major_version,
            recertify_on_major_version=policy.recertify_on_major_version,
        )
        return CertificationStatus(
            rules.status_of(
                expires_at=self.expires_at,
                revoked=self.revoked_at is not None,
                superseded=superseded,
                now=now,
            ).value
        )


class ProcedureRead(models.Model):
    """A trainee opened a procedure's page: what "procedures read" counts on their home."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="procedure_reads",
        verbose_name=_("trainee"),
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="reads", verbose_name=_("procedure")
    )
    first_read_at = models.DateTimeField(_("first read"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure read")
        verbose_name_plural = _("procedures read")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "procedure"], name="procedure_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.procedure}"


# --- reporting rollups ------------------------------------------------------------------
# Organisation-wide figures would otherwise scan every attempt and behaviour outcome on each
# dashboard view. These small tables are recomputed from those rows (never incremented) each
# time a result is graded, so they cannot drift from them.


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
