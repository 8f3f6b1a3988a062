from django import forms
from django.utils.translation import gettext_lazy as _

from training.forms import PlainTextField
from training.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"), choices=[("", _("Everything"))] + AuditEvent.Action.choices, required=False
    )
    who = PlainTextField(label=_("Who (username)"), max_length=150, required=False)


class PersonSearchForm(forms.Form):
    q = PlainTextField(label=_("Name, username or e-mail"), max_length=150, required=False)


class EraseForm(forms.Form):
    """Erasing is for good: the person's username, typed again, confirms it."""

    confirm = PlainTextField(label=_("Type the username to confirm"), max_length=150)

    def __init__(self, *args, username: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip()
        if typed != self.username:
            raise forms.ValidationError(_("The username typed does not match."))
        return typed
