"""The programme team's form for its own programme page: fields from the model."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error, name_empty_choices

from .models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    Programme,
    ProgrammeMilestone,
    ProgrammePartner,
)
from .services import EDITABLE_FIELDS


class _ServiceValidatedForm(forms.ModelForm):
    """A model form whose model rules run once, in the service; its refusals come back
    through ``add_domain_error`` and show beside their fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)

    def _post_clean(self):
        pass

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class ProgrammeForm(_ServiceValidatedForm):
    class Meta:
        model = Programme
        fields = [*EDITABLE_FIELDS, "themes", "regions"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 10}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class MilestoneForm(_ServiceValidatedForm):
    class Meta:
        model = ProgrammeMilestone
        fields = ["date", "title", "text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
        }


class PartnerForm(_ServiceValidatedForm):
    class Meta:
        model = ProgrammePartner
        fields = ["organisation", "role"]
        help_texts = {"role": _("Bijvoorbeeld: coördinerend kennispartner")}


class GovernanceBodyForm(_ServiceValidatedForm):
    class Meta:
        model = GovernanceBody
        fields = ["kind", "name", "cadence", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"name": _("Leeg laten neemt de soort als naam; verplicht bij ‘Anders’.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required by the service only for "anders"; it then says so beside the field.
        self.fields["name"].required = False


class GovernanceMemberForm(_ServiceValidatedForm):
    class Meta:
        model = GovernanceMember
        fields = ["name", "role", "organisation"]
        help_texts = {"name": _("Een persoon of een delegatie, bijvoorbeeld: Wethouders")}


class GovernanceMeetingForm(_ServiceValidatedForm):
    class Meta:
        model = GovernanceMeeting
        fields = ["date", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
