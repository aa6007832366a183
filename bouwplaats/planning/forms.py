import datetime
import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation

from .models import Department, Work
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


class WorkForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    department = forms.ChoiceField(
        label=_("Afdeling"),
        choices=[("", _("— geen afdeling —")), *Department.choices],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Soort werk"), choices=Work.Kind.choices)
    start = forms.DateField(label=_("Begin"), widget=DateInput())
    end = forms.DateField(label=_("Einde"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=Work.Status.choices, initial=Work.Status.GEPLAND
    )
    hindrance = forms.ChoiceField(
        label=_("Verwachte hinder"), choices=Work.Hindrance.choices, initial=Work.Hindrance.GEEN
    )
    geometry = forms.CharField(
        label=_("Geometrie (GeoJSON)"),
        help_text=GEOMETRY_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "class": "planning-geometry-field"}),
    )
    description = forms.CharField(
        label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("Naam, telefoon of e-mail voor vragen over dit werk"),
    )
    external_id = forms.CharField(
        label=_("Extern kenmerk"),
        max_length=100,
        required=False,
        help_text=_("Het nummer in uw eigen planningssysteem"),
    )
    public = forms.BooleanField(
        label=_("Openbaar: tonen op de kaart voor bewoners"), required=False, initial=True
    )

    def clean_geometry(self):
        return _geometry_json(self.cleaned_data["geometry"])

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
        return {"type": "Feature", "geometry": data["geometry"], "properties": props}

    @classmethod
    def initial_for(cls, work: Work) -> dict:
        initial = {
            name: getattr(work, name)
            for name in cls.base_fields
            if name not in {"geometry", "start", "end"}
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
    message = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Bijvoorbeeld: wij openen de straat in mei; leg uw kabel dan mee."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=14)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzen"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Naam van het gebied"), max_length=200)
    geometry = forms.CharField(
        label=_("Gebied (GeoJSON)"),
        help_text=_("Teken een vlak op de kaart of plak een GeoJSON-vlak."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "planning-geometry-field"}),
    )

    def clean_geometry(self):
        return _geometry_json(self.cleaned_data["geometry"])


class FilterForm(forms.Form):
    period_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=Organisation.objects.filter(planning_works__isnull=False).distinct(),
        required=False,
        empty_label=_("Alle eigenaren"),
    )
    kind = forms.ChoiceField(
        label=_("Soort werk"), choices=[("", _("Alle soorten")), *Work.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle statussen")), *Work.Status.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(user, "is_authenticated", False):
            # Visitors choose among owners of public works only.
            self.fields["owner"].queryset = Organisation.objects.filter(
                planning_works__public=True
            ).distinct()

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


class PublicFilterForm(forms.Form):
    period_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        return Filters(
            period_from=self.cleaned_data.get("period_from"),
            period_to=self.cleaned_data.get("period_to"),
        )
