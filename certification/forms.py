"""The form to revoke a certificate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training.forms import PlainTextField


class RevokeForm(forms.Form):
    reason = PlainTextField(
        label=_("Reason"),
        max_length=1000,
        error_messages={"required": _("Say why the certificate is revoked.")},
    )
