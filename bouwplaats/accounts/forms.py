from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form: the profile a member starts with."""

    full_name = forms.CharField(label=_("Naam"), max_length=150)
    function = forms.CharField(
        label=_("Functie"),
        max_length=150,
        required=False,
        help_text=_("Bijvoorbeeld Communicatieadviseur"),
    )
    organisation = forms.CharField(label=_("Organisatie"), max_length=200, required=False)

    def signup(self, request, user):
        from .services import profile_update

        profile_update(
            user=user,
            full_name=self.cleaned_data["full_name"],
            function=self.cleaned_data.get("function", ""),
            organisation_name=self.cleaned_data.get("organisation", ""),
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=150)
    function = forms.CharField(
        label=_("Functie"),
        max_length=150,
        required=False,
        help_text=_("Bijvoorbeeld Communicatieadviseur"),
    )
    organisation = forms.CharField(label=_("Organisatie"), max_length=200, required=False)
    organisation_kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.ANDERS,
        help_text=_("Alleen gebruikt als de organisatie nog niet bekend is."),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de sleutel"),
        max_length=100,
        help_text=_("Bijvoorbeeld: koppeling met ons planningssysteem"),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Typ VERWIJDEREN om te bevestigen"),
        max_length=20,
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.strip() != "VERWIJDEREN":
            raise forms.ValidationError(_("Typ precies VERWIJDEREN om je account te verwijderen."))
        return value
