"""Forms of the manager's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.models import Export
from training.selectors import teams_visible_to


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=Export.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Export.Format.choices)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        empty_label=_("Every team I can see"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_visible_to(user)
