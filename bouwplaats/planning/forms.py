import datetime
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.forms import name_empty_choices, required_by_rule
from bouwplaats.core.validation import validate_single_line

from . import locator, placing
from .geo import GeometryError, parse_geometry
from .models import (
    CombinationRequest,
    Department,
    InterestZone,
    JointWork,
    Work,
    validate_period,
)
from .permissions import acting_organisation_id, organisations_for
from .selectors import Filters

GEOMETRY_HELP = _(
    "Teken het werk op de kaart (punt, lijn of vlak) of plak hier een GeoJSON-geometrie, "
    "in WGS84 of in RD New (EPSG:28992)."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _geometry_json(value: str):
    try:
        data = json.loads(value)
    except (TypeError, ValueError) as exc:
        raise forms.ValidationError(_("Geen geldige GeoJSON: controleer de tekst.")) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    return data


def _placed_geometry(value: str):
    """Return the GeoJSON geometry of a work's field, or None when empty; raise the
    ValidationError of a geometry the service would refuse (geo.parse_geometry, its check).

    Said with the form's other errors (the period, a title) instead of after them.
    """
    if not value.strip():
        return None
    data = _geometry_json(value)
    try:
        parse_geometry(data)
    except GeometryError as exc:
        raise forms.ValidationError(str(exc), code="geometry") from exc
    return data


def _period(form: forms.Form, cleaned: dict) -> None:
    """Put the model's rules on the dates (the fields' validators, then
    models.validate_period) beside ``start`` and ``end``, with the form's other errors."""
    for name in ("start", "end"):
        if cleaned.get(name) is not None:
            try:
                Work._meta.get_field(name).run_validators(cleaned[name])
            except ValidationError as error:
                form.add_error(name, error)
    if "start" in form.errors or "end" in form.errors:
        return
    try:
        validate_period(cleaned.get("start"), cleaned.get("end"))
    except ValidationError as error:
        form.add_error(None, error)


def _model_field(model, name: str, **kwargs) -> forms.Field:
    """Return the form field of ``model``'s field ``name``: its length, choices, required.

    The rest of the model's rules (one line, plausible years, end after start) run in the
    service, whose refusal the view puts beside the field (core.forms.add_domain_error).
    """
    return model._meta.get_field(name).formfield(**kwargs)


def _address_field() -> forms.CharField:
    """Return the "Adres of postcode" field: a place without drawing (WCAG 2.1.1)."""
    return forms.CharField(
        label=_("Adres of postcode"),
        required=False,
        max_length=placing.MAX_ADDRESS,
        validators=[validate_single_line],
        help_text=_(
            "Zonder tekenen: een straat, postcode of adres, bijvoorbeeld Molenstraat, Ede. "
            "De adreszoeker van PDOK zoekt de plaats; een straat wordt een lijn. Wat u tekent "
            "of plakt, gaat voor."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


class PlacedByAddress:
    """A form whose ``geometry`` may come from its ``address`` field instead of a drawing.

    The lookup happens in ``clean``, on submit, so the form works without script; an unknown
    address or an unreachable locator is an error beside the address field.
    """

    # The place the address was found at (locator.Place), when the address placed it.
    place = None
    no_place_message = _(
        "Teken het werk op de kaart, plak GeoJSON of vul een adres of postcode in."
    )

    def _place_by_address(self, cleaned: dict, *, drawn: bool) -> dict:
        if "geometry" in self.errors or "address" in self.errors:
            return cleaned
        address = cleaned.get("address", "")
        if address and not drawn:
            try:
                self.place, cleaned["geometry"] = placing.locate(address)
            except placing.PlaceNotFound as error:
                self.add_error("address", error.message)
            except locator.LocatorError as error:
                self.add_error(
                    "address",
                    _("%(reason)s Teken het werk op de kaart of plak GeoJSON.")
                    % {"reason": error.message},
                )
        elif cleaned.get("geometry") is None:
            self.add_error("geometry", self.no_place_message)
        return cleaned


class WorkForm(PlacedByAddress, forms.Form):
    """A work's fields; the view turns them into a GeoJSON Feature for the service."""

    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— kies een organisatie —"),
        help_text=_("Leeg: de organisatie waarvoor u werkt"),
    )
    title = _model_field(Work, "title", label=_("Titel"))
    department = _model_field(
        Work,
        "department",
        label=_("Afdeling"),
        choices=[("", _("— geen afdeling —")), *Department.choices],
    )
    kind = _model_field(Work, "kind", label=_("Soort werk"))
    start = _model_field(Work, "start", label=_("Begin"), widget=DateInput())
    end = _model_field(Work, "end", label=_("Einde"), widget=DateInput())
    status = _model_field(Work, "status", label=_("Status"))
    hindrance = _model_field(Work, "hindrance", label=_("Verwachte hinder"))
    address = _address_field()
    geometry = forms.CharField(
        label=_("Geometrie (GeoJSON)"),
        help_text=GEOMETRY_HELP,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "planning-geometry-field"}),
    )
    description = _model_field(
        Work, "description", label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = _model_field(
        Work,
        "contact",
        label=_("Contact"),
        help_text=_("Naam, telefoon of e-mail voor vragen over dit werk"),
    )
    external_id = _model_field(
        Work,
        "external_id",
        label=_("Extern kenmerk"),
        help_text=_("Het nummer in uw eigen planningssysteem"),
    )
    public = _model_field(Work, "public", label=_("Openbaar: tonen op de kaart voor bewoners"))

    def __init__(self, *args, user=None, work: Work | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)
        self.work = work
        if work is not None:
            # A work keeps its owner: the update form does not offer one.
            del self.fields["owner"]
            return
        owners = organisations_for(user)
        self.fields["owner"].queryset = owners
        org = acting_organisation_id(user)
        if org is not None:
            self.fields["owner"].initial = org

    def clean_geometry(self):
        return _placed_geometry(self.cleaned_data["geometry"])

    def clean(self):
        """Place the work by its address when nothing (new) was drawn or pasted."""
        cleaned = super().clean()
        _period(self, cleaned)
        geometry = cleaned.get("geometry")
        # On the edit page the field holds the stored geometry: unchanged is not drawn.
        drawn = geometry is not None and (self.work is None or geometry != self.work.geometry)
        return self._place_by_address(cleaned, drawn=drawn)

    def to_feature(self) -> dict:
        data = self.cleaned_data
        props = {
            name: data[name]
            for name in [
                "title",
                "department",
                "kind",
                "status",
                "hindrance",
                "description",
                "contact",
                "external_id",
                "public",
            ]
        }
        props["start"], props["end"] = data["start"].isoformat(), data["end"].isoformat()
        if data.get("owner") is not None:
            props["owner"] = data["owner"].pk
        return {"type": "Feature", "geometry": data["geometry"], "properties": props}

    @classmethod
    def initial_for(cls, work: Work) -> dict:
        initial = {
            name: getattr(work, name)
            for name in cls.base_fields
            if name not in {"geometry", "start", "end", "owner", "address"}
        }
        initial["start"], initial["end"] = work.start, work.end
        initial["geometry"] = json.dumps(work.geometry)
        return initial


class RequestForm(forms.Form):
    deadline = forms.DateField(
        label=_("Antwoord graag voor"),
        widget=DateInput(),
        help_text=_("Drie dagen ervoor krijgt de andere eigenaar een herinnering."),
    )
    message = _model_field(
        CombinationRequest,
        "message",
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: wij openen de straat in mei; leg uw kabel dan mee."),
    )

    contact = _model_field(CombinationRequest, "contact", label=_("Contactpersoon"))

    def __init__(self, *args, contact: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=14)
        self.fields["contact"].initial = contact


class AcceptForm(forms.Form):
    answer = _model_field(
        CombinationRequest,
        "answer",
        label=_("Bericht aan de aanvrager"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: goed idee; bel mij om de planning af te stemmen."),
    )


class PeriodForm(forms.Form):
    """The one period of a joint work that one owner proposes and another agrees to."""

    start = _model_field(JointWork, "proposed_start", label=_("Begin"), widget=DateInput())
    end = _model_field(JointWork, "proposed_end", label=_("Einde"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].required = self.fields["end"].required = True


class DeclineForm(forms.Form):
    # A reason is optional on the model (accepted requests have none), required to decline.
    reason = _model_field(
        CombinationRequest,
        "reason",
        label=_("Reden van afwijzen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=True,
    )


class ZoneForm(forms.Form):
    name = _model_field(InterestZone, "name", label=_("Naam van het gebied"))
    geometry = forms.CharField(
        label=_("Gebied (GeoJSON)"),
        help_text=_("Teken een vlak op de kaart of plak een GeoJSON-vlak."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "planning-geometry-field"}),
    )

    def clean_geometry(self):
        return _geometry_json(self.cleaned_data["geometry"])


class PeriodFilter:
    """A filter form with ``period_from`` and ``period_to``: the model's period rule."""

    def clean(self):
        cleaned = super().clean()
        try:
            validate_period(cleaned.get("period_from"), cleaned.get("period_to"), "period_to")
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class FilterForm(PeriodFilter, forms.Form):
    period_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Alle eigenaren"),
    )
    kind = forms.ChoiceField(
        label=_("Soort werk"), choices=[("", _("Alle soorten")), *Work.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle statussen")), *Work.Status.choices], required=False
    )

    def __init__(self, *args, owners=None, **kwargs):
        """``owners``: the organisations to choose from (selectors.owners_visible_to)."""
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            owner=data["owner"].pk if data.get("owner") else None,
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
        )


class PublicFilterForm(PeriodFilter, forms.Form):
    q = forms.CharField(
        label=_("Straat of postcode"),
        required=False,
        max_length=120,
        error_messages={
            "max_length": _("Een straat, postcode of adres is hoogstens 120 tekens lang.")
        },
        help_text=_("Bijvoorbeeld: Molenstraat Ede, of 6711 AB"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "type": "search"}),
    )
    period_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        return Filters(
            period_from=self.cleaned_data.get("period_from"),
            period_to=self.cleaned_data.get("period_to"),
        )


class InitiativeForm(PlacedByAddress, forms.Form):
    """A residents' initiative: what, where and when, addressed to a municipality."""

    owner = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE, verified=True),
        empty_label=_("— kies de gemeente —"),
        help_text=_("De gemeente beoordeelt uw voorstel; pas daarna staat het op de kaart."),
    )
    title = _model_field(Work, "title", label=_("Titel"))
    description = _model_field(
        Work, "description", label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 4})
    )
    start = _model_field(Work, "start", label=_("Begin"), widget=DateInput())
    end = _model_field(Work, "end", label=_("Einde"), widget=DateInput())
    address = _address_field()
    # Residents' words: the field holds what is drawn on the map (planning.js fills it).
    geometry = forms.CharField(
        label=_("Waar? Teken de plek op de kaart"),
        help_text=_(
            "Kies op de kaart een punt, een lijn of een vlak en klik de plek aan. Liever niet "
            "tekenen? Vul dan hierboven een adres of postcode in."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "planning-geometry-field"}),
    )
    no_place_message = _("Teken de plek op de kaart of vul een adres of postcode in.")

    def clean_geometry(self):
        return _placed_geometry(self.cleaned_data["geometry"])

    def clean(self):
        """Place the initiative by its address when nothing was drawn or pasted."""
        cleaned = super().clean()
        _period(self, cleaned)
        return self._place_by_address(cleaned, drawn=cleaned.get("geometry") is not None)


class InitiativeDeclineForm(forms.Form):
    """Why the municipality declines an initiative; the service requires it (Work.clean)."""

    initiative_reason = required_by_rule(
        _model_field(
            Work,
            "initiative_reason",
            label=_("Reden van afwijzen"),
            help_text=_("De bewoner leest deze reden in de e-mail en bij zijn initiatieven."),
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    )


class FollowForm(forms.Form):
    """Follow a street: the place as found again by the locator, and an address."""

    q = forms.CharField(widget=forms.HiddenInput, max_length=120)
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        help_text=_("U krijgt eerst een e-mail om te bevestigen; daarna bericht bij nieuw werk."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Vul uw e-mailadres in om deze straat te volgen.")},
    )


class UploadForm(forms.Form):
    """A file of works: a GeoJSON FeatureCollection or a CSV with the documented columns."""

    file = forms.FileField(
        label=_("Bestand (CSV of GeoJSON)"),
        help_text=_(
            "Een CSV-bestand uit Excel (puntkomma of komma, UTF-8) of een GeoJSON "
            "FeatureCollection; de kolommen en grenzen staan hieronder."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.geojson,.json,text/csv,application/geo+json"}
        ),
    )
