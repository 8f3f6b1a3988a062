"""A sheet of people uploaded for provisioning, kept between its preview and its confirmation
(any app process may answer the confirmation), then deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetUpload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("content"))
    deactivate_missing = models.BooleanField(_("deactivate people not in the sheet"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("sheet of people")
        verbose_name_plural = _("sheets of people")

    def __str__(self) -> str:
        return self.filename


class LtiLink(models.Model):
    """A person launched from a company's LMS (LTI 1.3) into a call or a module: who they are
    on the platform, which resource link, and where their grade goes back (the line item of
    Assignment and Grade Services, when the platform offered it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lti_links",
        verbose_name=_("person"),
    )
    issuer = models.CharField(_("platform"), max_length=255)
    client_id = models.CharField(_("client id"), max_length=255)
    subject = models.CharField(_("person on the platform"), max_length=255)
    deployment_id = models.CharField(_("deployment"), max_length=255)
    resource_link = models.CharField(_("resource link"), max_length=255)
    scenario = models.ForeignKey(
        "scenarios.Scenario",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("call"),
    )
    module = models.ForeignKey(
        "training.Module",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    lineitem = models.URLField(_("line item"), max_length=500, blank=True)
    scopes = models.JSONField(_("grade scopes"), default=list, blank=True)
    launched_at = models.DateTimeField(_("last launch"), auto_now=True)
    score_sent_at = models.DateTimeField(_("grade last sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("LTI link")
        verbose_name_plural = _("LTI links")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "resource_link", "user"], name="lti_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.issuer} / {self.resource_link}"
