"""The programme team's form for its own programme page: fields from the model."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error

from .models import Programme, ProgrammeMilestone, ProgrammePartner
from .services import EDITABLE_FIELDS


class ProgrammeForm(forms.ModelForm):
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

    def _post_clean(self):
        # The model's rules run once, in the service (programme_update).
        pass

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = ProgrammeMilestone
        fields = ["date", "title", "text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        # The model's rules run once, in the service (milestone_create/update).
        pass

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ProgrammePartner
        fields = ["organisation", "role"]
        help_texts = {"role": _("Bijvoorbeeld: coördinerend kennispartner")}

    def _post_clean(self):
        # The model's rules run once, in the service (partner_create/update).
        pass

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)
