"""Forms of the account pages; lengths and choices come from the model fields.

The one-line and control-character rules are the models' too: the services check them and
the pages show a refusal beside its field (core.forms.add_domain_error).
"""

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Organisation, OrganisationDomain, OrganisationMembership, User


def _model_field(model, name: str, **kwargs) -> forms.Field:
    # The model field's form field with its own validators (e.g. one line); the limits the
    # form field already checks itself are left out, so no message appears twice.
    field = model._meta.get_field(name)
    own = [
        v
        for v in field.validators
        if not isinstance(
            v, validators.MaxLengthValidator | validators.ProhibitNullCharactersValidator
        )
    ]
    return field.formfield(validators=own, **kwargs)


def _user_field(name: str, **kwargs) -> forms.Field:
    return _model_field(User, name, **kwargs)


def _organisation_field(name: str, **kwargs) -> forms.Field:
    return _model_field(Organisation, name, **kwargs)


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form: the profile a member starts with."""

    full_name = _user_field("full_name", label=_("Naam"), required=True)
    function = _user_field("function", label=_("Functie"))
    organisation = _organisation_field(
        "name",
        label=_("Organisatie"),
        required=False,
        help_text=_(
            "Wat u hier invult is uw opgave. Namens een organisatie werken kan pas als een "
            "beheerder van die organisatie uw lidmaatschap goedkeurt (of vanzelf, als uw "
            "e-mailadres bij de organisatie hoort)."
        ),
    )

    def signup(self, request, user):
        from .services import profile_update

        profile_update(
            user=user,
            full_name=self.cleaned_data["full_name"],
            function=self.cleaned_data.get("function", ""),
            organisation_name=self.cleaned_data.get("organisation", ""),
        )


class ProfileForm(forms.Form):
    full_name = _user_field("full_name", label=_("Naam"), required=True)
    function = _user_field("function", label=_("Functie"))
    organisation = _organisation_field(
        "name",
        label=_("Organisatie"),
        required=False,
        help_text=SignupProfileForm.base_fields["organisation"].help_text,
    )
    organisation_kind = _organisation_field(
        "kind",
        label=_("Soort organisatie"),
        help_text=_("Alleen gebruikt als de organisatie nog niet bekend is."),
    )


class MembershipRequestForm(forms.Form):
    """Ask to act for a known organisation."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("Kies een organisatie"),
        error_messages={"required": _("Kies de organisatie waarvoor u wilt werken.")},
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class MembershipDecisionForm(forms.Form):
    """An administrator's decision on one membership; the reason's limit is the model's."""

    status = forms.ChoiceField(
        label=_("Besluit"),
        choices=[
            (OrganisationMembership.Status.APPROVED, _("Goedkeuren")),
            (OrganisationMembership.Status.REFUSED, _("Weigeren")),
            (OrganisationMembership.Status.REVOKED, _("Intrekken")),
        ],
    )
    reason = _model_field(
        OrganisationMembership,
        "reason",
        label=_("Reden"),
        required=False,
        help_text=_("Nodig bij weigeren of intrekken; het lid leest die in de e-mail."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrganisationContactForm(forms.Form):
    contact = _organisation_field("contact", label=_("Publiek contact"))


class DomainField(forms.CharField):
    """A mail domain as people type it ("@Ede.nl"), read as the service stores it ("ede.nl")."""

    def to_python(self, value):
        return super().to_python(value).lower().lstrip("@")


class OrganisationDomainForm(forms.Form):
    domain = _model_field(OrganisationDomain, "domain", label=_("Domein"), form_class=DomainField)


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Naam van de sleutel")}
        help_texts = {"name": _("Bijvoorbeeld: koppeling met ons planningssysteem")}
        error_messages = {
            "name": {"required": ApiToken._meta.get_field("name").error_messages["blank"]}
        }


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Typ VERWIJDEREN om te bevestigen"),
        max_length=20,
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.strip() != "VERWIJDEREN":
            raise forms.ValidationError(_("Typ precies VERWIJDEREN om uw account te verwijderen."))
        return value


class HostNoticesForm(forms.Form):
    """How a host hears of registrations awaiting approval and of cancellations."""

    host_notices = forms.ChoiceField(
        label=_("Berichten over aanmeldingen en afmeldingen bij uw sessies"),
        choices=User.HostNotices.choices,
        widget=forms.RadioSelect,
    )
