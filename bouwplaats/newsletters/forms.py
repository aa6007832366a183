"""Forms of the newsletter pages; every rule comes from the models (ModelForm)."""

import datetime

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.forms import name_empty_choices
from bouwplaats.events.calendar import AMSTERDAM

from .models import Issue, NewsletterList, Subscription


def _said_by_model(model: type[models.Model], name: str, **codes: str) -> dict[str, str]:
    # Form error code -> the model field's own message for the same refusal, so the page
    # says what the service would say.
    messages = model._meta.get_field(name).error_messages
    return {form_code: messages[model_code] for form_code, model_code in codes.items()}


class SubscribeForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["email", "name"]
        labels = {"email": _("E-mailadres"), "name": _("Naam")}
        help_texts = {"name": _("Voor de aanhef van de nieuwsflits.")}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "email": _said_by_model(Subscription, "email", required="blank", invalid="invalid")
        }


def blocks_parse(text: str) -> list[dict]:
    """Split the blocks field: every block starts with a line "## Titel"."""
    blocks: list[dict] = []
    for line in (text or "").splitlines():
        if line.startswith("## "):
            blocks.append({"title": line[3:].strip(), "lines": []})
        elif blocks:
            blocks[-1]["lines"].append(line)
        elif line.strip():
            blocks.append({"title": "", "lines": [line]})
    return [{"title": b["title"], "text": "\n".join(b["lines"]).strip()} for b in blocks]


def blocks_format(blocks: list[dict]) -> str:
    """Return blocks as the text of the blocks field."""
    return "\n\n".join(f"## {b.get('title', '')}\n{b.get('text', '')}" for b in blocks or [])


class IssueForm(forms.ModelForm):
    # The blocks are one text here and a list on the model; Issue.clean() checks the list
    # when the service saves it, and its refusal is shown beside this field.
    blocks = forms.CharField(
        label=_("Vrije blokken"),
        required=False,
        help_text=_("Begin elk blok met een regel „## Titel”; daaronder de tekst in Markdown."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Issue
        fields = ["subject", "intro", "signature_name", "signature_role", "agenda_days"]
        labels = {
            "subject": _("Onderwerp"),
            "intro": _("Inleiding"),
            "agenda_days": _("Agenda: sessies in de komende … dagen"),
        }
        help_texts = {
            "intro": _("Markdown: **vet**, *schuin*, [link](https://…), lijstjes met -."),
            "signature_role": _("Bijvoorbeeld: Trekker Leerplatform MIRT, DGMo, MinIenW"),
        }
        widgets = {"intro": forms.Textarea(attrs={"rows": 10})}
        error_messages = {
            "subject": _said_by_model(Issue, "subject", required="blank"),
            "agenda_days": _said_by_model(
                Issue, "agenda_days", min_value="min_value", max_value="max_value"
            ),
        }

    field_order = ["subject", "intro", "blocks", "signature_name", "signature_role", "agenda_days"]

    def cleaned_blocks(self) -> list[dict]:
        return blocks_parse(self.cleaned_data.get("blocks", ""))


class ListChoiceForm(forms.Form):
    """The list a member subscribes to or unsubscribes from on "Mijn nieuwsflitsen"."""

    list = forms.ModelChoiceField(queryset=NewsletterList.objects.all())
    action = forms.ChoiceField(choices=[("subscribe", "subscribe"), ("unsubscribe", "unsubscribe")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)


class ScheduleForm(forms.Form):
    """A date and time (Europe/Amsterdam) at which the issue goes out by itself."""

    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Tijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def moment(self):
        """Return the chosen moment as an aware datetime in Europe/Amsterdam."""
        date, time = self.cleaned_data["date"], self.cleaned_data["time"]
        return datetime.datetime.combine(date, time, tzinfo=AMSTERDAM)


class SubscriberImportForm(forms.Form):
    """A CSV of addresses (email; name) and where these people gave their consent."""

    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("Eén adres per regel: e-mailadres; naam (de naam mag leeg blijven)."),
    )
    source = forms.CharField(
        label=_("Waar gaven zij toestemming?"),
        max_length=80,
        help_text=_("Bijvoorbeeld: aanmeldlijst congres Leerplatform MIRT, juni 2027"),
    )
