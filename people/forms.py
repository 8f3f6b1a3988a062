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


class SheetForm(forms.Form):
    sheet = forms.FileField(
        label=_("Sheet of people (CSV or Excel)"),
        help_text=_(
            "Columns: nome, e-mail, matrícula, equipe, papel (treinando, instrutor or gestor), "
            "admissão (optional)."
        ),
    )
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the people of these teams who are not in the sheet"),
        required=False,
        help_text=_("Their results and certificates stay; they can no longer sign in."),
    )
