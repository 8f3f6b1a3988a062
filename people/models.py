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
