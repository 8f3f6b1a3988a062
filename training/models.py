"""Curriculum (modules, procedures, behaviours) and the people who train: teams and roles."""

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


class Behavior(models.Model):
    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", _("Disclosure")
        PROBE = "probe", _("Probe")
        ACTION = "action", _("Action")
        RAPPORT = "rapport", _("Rapport")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="behaviors", verbose_name=_("procedure")
    )
    code = models.CharField(_("code"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    manual_quote = models.TextField(_("manual's words"), blank=True)
    prohibited = models.BooleanField(
        _("prohibited"),
        default=False,
        help_text=_("Something the manual says the agent must never do."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["procedure", "order", "code"]
        verbose_name = _("behaviour")
        verbose_name_plural = _("behaviours")

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"
