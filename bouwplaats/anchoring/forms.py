"""Forms of the koffertje and stakeholder pages: fields from the models; rules in the services."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation, User
from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error, name_empty_choices, required_by_rule

from .models import (
    RATING_MAX,
    RATING_MIN,
    KoffertjeItem,
    Stakeholder,
    StakeholderPerson,
    StakeholderRating,
)


class _ServiceForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)
        # A rating's range is the model's (1–5): the page says so before the service is asked.
        for name in ("interest", "influence"):
            if name in self.fields:
                field = self.fields[name]
                field.validators += [MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
                field.widget.attrs.update({"min": RATING_MIN, "max": RATING_MAX})

    def _post_clean(self):
        # The model's rules run once, in the service.
        pass

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class KoffertjeItemForm(_ServiceForm):
    class Meta:
        model = KoffertjeItem
        fields = ["element", "text", "owner", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class KoffertjeFilterForm(forms.Form):
    """The grid's filters: one element and one status (both optional)."""

    element = forms.ChoiceField(
        label=_("Onderdeel"),
        required=False,
        choices=[("", _("Alle onderdelen")), *KoffertjeItem.Element.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *KoffertjeItem.Status.choices],
    )


class RegionForm(forms.Form):
    """The programme team adds a region (and so starts its koffertje); rules in the service."""

    region = required_by_rule(
        forms.CharField(
            label=_("Naam van de regio"),
            help_text=_("Bijvoorbeeld: Regio Twente. Daarna richt u in wie het koffertje vult."),
            required=False,
            strip=False,
        )
    )

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class KoffertjeSetupForm(forms.Form):
    """The programme team names the region's organisations and extra writers (by e-mail)."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisaties van de regio"),
        queryset=Organisation.objects.filter(verified=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hun geverifieerde leden vullen het koffertje"),
    )
    writers = forms.CharField(
        label=_("Andere schrijvers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("E-mailadressen van leden, één per regel"),
    )

    def clean_writers(self):
        emails = [line.strip() for line in self.cleaned_data["writers"].splitlines()]
        emails = [e for e in emails if e]
        users = list(User.objects.filter(email__in=emails, is_active=True, is_removed=False))
        unknown = sorted({e.lower() for e in emails} - {u.email.lower() for u in users})
        if unknown:
            raise forms.ValidationError(
                _("Geen lid gevonden met dit e-mailadres: %(emails)s"),
                params={"emails": ", ".join(unknown)},
            )
        return users


class StakeholderForm(_ServiceForm):
    reason = StakeholderRating._meta.get_field("reason").formfield(
        label=_("Waarom deze inschatting"), initial=""
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = programme.pilots.order_by("title")

    class Meta:
        model = Stakeholder
        fields = [
            "name", "kind", "pilot", "interest", "influence", "level", "direction", "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class RatingForm(_ServiceForm):
    class Meta:
        model = StakeholderRating
        fields = ["interest", "influence", "level", "direction", "reason"]


class PersonForm(_ServiceForm):
    class Meta:
        model = StakeholderPerson
        fields = ["name", "role"]
