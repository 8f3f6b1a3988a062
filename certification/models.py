"""Certification per module: each module's policy, and the certificates awarded under it, with
their status derived from one rule (``certification.rules``)."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification import rules
from training.models import Module

# A certificate lasts at most ten years: longer would not prove anything, and an unbounded
# number would overflow the dates computed from it.
MAX_VALIDITY_DAYS = 3650


class CertificationStatus(models.TextChoices):
    """A certificate's state, derived from its dates, revocation and content version."""

    VALID = "valid", _("Valid")
    EXPIRING_SOON = "expiring_soon", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by new content")


MAX_CALLS_IN_A_ROW = 10


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
    calls_in_a_row = models.PositiveSmallIntegerField(
        _("calls passed in a row"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CALLS_IN_A_ROW)],
        help_text=_(
            "pass^k: each required call must pass this many times in a row, each time on a "
            "different case of its facts. 1: one pass is enough."
        ),
    )
    delta_grace_days = models.PositiveSmallIntegerField(
        _("grace period of a targeted recertification (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "When published content changes behaviours a certificate rests on, its holder keeps "
            "the certificate this long to pass exactly those behaviours again."
        ),
    )
    validity_days = models.PositiveIntegerField(
        _("validity (days)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_DAYS)],
        help_text=_("From 1 day to 10 years."),
    )
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
                condition=models.Q(calls_in_a_row__gte=1, calls_in_a_row__lte=MAX_CALLS_IN_A_ROW),
                name="policy_calls_in_a_row_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(validity_days__gt=0), name="policy_validity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(validity_days__lte=MAX_VALIDITY_DAYS),
                name="policy_validity_at_most_ten_years",
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
        """Annotate ``status`` in the database, from the same precedence table as the pure rule
        (``rules.PRECEDENCE``): the SQL and the Python say the same by construction."""
        policy = "module__certification_policy__"
        holds = {
            rules.Test.REVOKED: models.Q(revoked_at__isnull=False),
            rules.Test.SUPERSEDED: models.Q(**{f"{policy}recertify_on_major_version": True})
            & models.Q(content_version__lt=models.F(f"{policy}major_version")),
            rules.Test.EXPIRED: models.Q(expires_at__lte=now),
            rules.Test.EXPIRING_SOON: models.Q(
                expires_at__lte=now + timedelta(days=rules.EXPIRING_SOON_DAYS)
            ),
        }
        return self.annotate(
            status=models.Case(
                *(
                    models.When(holds[test], then=models.Value(str(status)))
                    for status, test in rules.PRECEDENCE
                ),
                default=models.Value(str(rules.Status.VALID)),
                output_field=models.CharField(),
            )
        )

    def latest_per_module(self):
        """Each trainee's most recent certificate per module: the one that says where they
        stand. Kept as a flag the award sets, so a dashboard reads one row per trainee and
        module through a partial index instead of comparing every certificate with the
        others."""
        return self.filter(is_current=True)


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
    # The trainee's latest certificate for the module; the award moves it to the new one.
    is_current = models.BooleanField(_("current"), default=True, editable=False)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_at"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            # Also the partial index the dashboards read current certificates through.
            models.UniqueConstraint(
                fields=["trainee", "module"],
                condition=models.Q(is_current=True),
                name="certification_one_current_per_module",
            ),
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
        return reverse("certification:certificate", args=[self.code])

    def get_verification_url(self) -> str:
        return reverse("certification:verify", args=[self.code])

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


class Recertification(models.Model):
    """A targeted recertification: published content changed behaviours a standing certificate
    rests on. The holder keeps the certificate for the module's grace period and must keep
    exactly those behaviours in results graded after the change; done in time, the certificate
    gets its expiry back, else it lapses at ``due_at``."""

    certificate = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="recertifications",
        verbose_name=_("certificate"),
    )
    publication = models.ForeignKey(
        "training.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recertifications",
        verbose_name=_("publication"),
    )
    behaviors = models.JSONField(_("behaviours to pass again"), default=list)
    assigned_at = models.DateTimeField(_("assigned"))
    due_at = models.DateTimeField(_("due"))
    expires_at_before = models.DateTimeField(_("expiry before the change"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("targeted recertification")
        verbose_name_plural = _("targeted recertifications")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "publication"], name="recertification_once"
            )
        ]
        indexes = [
            models.Index(fields=["certificate", "completed_at"], name="recertification_open_idx")
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {', '.join(self.behaviors)} by {self.due_at:%Y-%m-%d}"
