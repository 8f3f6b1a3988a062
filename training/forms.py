"""Form fields every app's forms are built with: text that refuses what no person types (NUL
and other control characters), so a tampered post gets a clear message and changes nothing."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value: str) -> None:
    if value and _CONTROL.search(value):
        raise ValidationError(
            _("Remove the invisible control characters from this text."), code="control"
        )


class PlainTextField(forms.CharField):
    """Text as people type it: stripped, bounded, with no control characters."""

    default_validators = [refuse_control_characters]

    def __init__(self, *, max_length: int = 1000, **kwargs):
        super().__init__(max_length=max_length, **kwargs)


class RegradeForm(forms.Form):
    """Applying a regrade: why, and the fingerprint of the dry run the trainer read."""

    reason = PlainTextField(
        label=_("Why regrade"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the regrade and in the audit trail."),
    )
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)
