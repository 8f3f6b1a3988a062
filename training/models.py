"""Curriculum (modules, procedures, behaviours), the people who train (teams and roles), what
trainees read, and the results ledger every report reads."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    edited_at = models.DateTimeField(
        _("edited in the browser"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when content of the module is published in the browser; cleared when the "
            "curriculum is exported. While set, loading a pack may not overwrite the module."
        ),
    )

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        permissions = [
            ("take_training", _("Can take courses, quizzes and simulated calls")),
            ("author_content", _("Can author procedures, questions and scenarios")),
            ("view_dashboard", _("Can view certification dashboards of managed teams")),
            ("view_all_teams", _("Can view the results of every team")),
            ("publish_content", _("Can publish content for trainees")),
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


class CurrentJudgementManager(models.Manager.from_queryset(JudgementQuerySet)):
    """The ledger as every report reads it: the rows no regrade has retired."""

    def get_queryset(self):
        return super().get_queryset().filter(retired_by__isnull=True)


class Judgement(models.Model):
    """One behaviour judged in one graded quiz attempt or call run: who, which behaviour, where
    (the question numbers or call turns and the items that decided it), the verdict, the
    content version and seed the result can be replayed from, and when.

    The ledger is the spine of every report: certification, dashboards and exports read it;
    the engines append to it when they grade and never edit a verdict. A regrade retires the
    rows it corrects and appends new ones (see ``Regrade``); ``objects`` reads the current rows,
    ``with_retired`` every row. Trainer previews are never written.
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
    # Empty for the grade as first given; else the regrade that wrote the row.
    written_by = models.ForeignKey(
        "Regrade",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="written",
        verbose_name=_("written by regrade"),
    )
    # Set when a regrade replaced the row: it stays for the history, out of every report.
    retired_by = models.ForeignKey(
        "Regrade",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retired",
        verbose_name=_("retired by regrade"),
    )

    objects = CurrentJudgementManager()
    with_retired = JudgementQuerySet.as_manager()

    class Meta:
        ordering = ["-judged_at", "pk"]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "record", "behavior"],
                condition=models.Q(retired_by__isnull=True),
                name="judgement_once_per_record",
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


class Regrade(models.Model):
    """A correction of graded results after a trainer fixed an item: which item and version,
    who applied it, why, and what changed for whom (``changes``: per attempt or run, the grade
    before and after and the behaviours whose verdict flipped).

    A regrade never edits a verdict in the ledger: it retires the rows of each result it
    corrects (``Judgement.retired_by``) and appends the new ones (``Judgement.written_by``),
    with the moment they were first judged. The retired rows stay, so the history of a grade
    reads whole; reports read only the current rows."""

    source = models.CharField(_("source"), max_length=8, choices=Judgement.Source.choices)
    item = models.CharField(_("item"), max_length=200, help_text=_("The question's key."))
    item_version = models.PositiveIntegerField(_("item version"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(_("when"))
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"{self.item} v{self.item_version} ({self.at:%Y-%m-%d %H:%M})"


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


class Draft(models.Model):
    """What every draft in an editor has: the version it started from (empty when new), who
    last saved it and when. Trainees see nothing of a draft until it is published."""

    base_version = models.PositiveIntegerField(_("started from version"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-updated_at"]


class Unpublishable(Exception):
    """A draft cannot be published; ``problems`` says why (nothing was written)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class Publication(models.Model):
    """A new version of a module's content went live: published from the editor, reverted to
    an earlier version, or loaded from a pack. ``behaviors`` says which behaviour codes the
    change touched (added, removed, revised): what a targeted recertification reads."""

    class Source(models.TextChoices):
        EDITOR = "editor", _("Published in the editor")
        REVERT = "revert", _("Reverted to an earlier version")
        PACK = "pack", _("Loaded from a pack")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="publications", verbose_name=_("module")
    )
    version = models.PositiveIntegerField(_("module version"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    items = models.JSONField(_("items"), default=list, help_text=_("Keys of what changed."))
    behaviors = models.JSONField(_("behaviours changed"), default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.module_id} v{self.version} ({self.source})"


class AuditEvent(models.Model):
    """Who did what, when: pack loads, admin changes, roles and teams changed, certificates
    revoked, people's data exported or erased, logins locked out. Append-only; superusers read
    it. ``subject`` is a readable name of what was acted on, kept as text so the event still
    reads after that object is gone."""

    class Action(models.TextChoices):
        PACK_LOADED = "pack_loaded", _("Content pack loaded")
        CONTENT_CHANGED = "content_changed", _("Changed in the admin")
        CONTENT_PUBLISHED = "content_published", _("Published in the editor")
        ROLES_CHANGED = "roles_changed", _("Roles changed")
        TEAM_CHANGED = "team_changed", _("Team changed")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        DATA_EXPORTED = "data_exported", _("Personal data exported")
        DATA_ERASED = "data_erased", _("Personal data erased")
        PEOPLE_PROVISIONED = "people_provisioned", _("People provisioned from a sheet")
        LOCKED_OUT = "locked_out", _("Login locked out")
        REGRADED = "regraded", _("Results regraded")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty: the command line or the system."),
    )
    action = models.CharField(_("what"), max_length=32, choices=Action.choices, db_index=True)
    subject = models.CharField(_("on what"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class Erasure(models.Model):
    """A person's data was erased at their request (LGPD): their account stays, emptied and
    inactive, so the certificates they earned still verify truthfully, without their name."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="erasure",
        verbose_name=_("person"),
    )
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.person_id} erased {self.erased_at:%Y-%m-%d}"
