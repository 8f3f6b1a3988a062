"""Forms of the manager's and the trainer's pages."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models import Export
from scenarios.models import Scenario
from training.models import Module
from training.pack.upload import MAX_ARCHIVE_BYTES
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


class MatrixFilterForm(forms.Form):
    """The dashboard matrix narrowed by module and status, or to certificates expiring soon."""

    module = forms.ModelChoiceField(
        label=_("Module"), queryset=Module.objects.all(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Anyone")),
            ("certified", _("Certified")),
            ("not_certified", _("Not certified")),
        ],
    )
    expiring = forms.IntegerField(
        label=_("Expiring within (days)"), required=False, min_value=1, max_value=3650
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("By name")),
            ("fewest", _("Fewest certificates first")),
            ("most", _("Most certificates first")),
        ],
    )


class AssignmentForm(forms.Form):
    """A module or a call for one of the manager's teams, by a date."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    module = forms.ModelChoiceField(
        label=_("Module to certify"), queryset=Module.objects.all(), required=False
    )
    scenario = forms.ModelChoiceField(
        label=_("Or a call to pass"), queryset=Scenario.objects.active(), required=False
    )
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_visible_to(user)

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if due < today:
            raise forms.ValidationError(_("The date is in the past."))
        if due > today + timedelta(days=366):
            raise forms.ValidationError(_("Choose a date within a year."))
        return due

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("module")) == bool(cleaned.get("scenario")):
            raise forms.ValidationError(_("Choose a module or a call (one of them)."))
        return cleaned


class PackUploadForm(forms.Form):
    archive = forms.FileField(
        label=_("Content pack (zip)"),
        help_text=_("The content/ folder zipped: modules/, quizzes/, scenarios/..."),
    )
    apply = forms.BooleanField(
        label=_("Load it (otherwise only check it and report what would change)"),
        required=False,
    )
    force = forms.BooleanField(
        label=_("Overwrite modules published in the browser since the last export"),
        required=False,
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(
                _("The archive is over %(mb)s MB.") % {"mb": MAX_ARCHIVE_BYTES // 2**20}
            )
        return archive
