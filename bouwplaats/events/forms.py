import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import User
from bouwplaats.core.errors import DomainError
from bouwplaats.programmes.models import Programme, Theme

from .calendar import AMSTERDAM
from .models import Session

# Where a domain error of the services belongs in the session form.
ERROR_FIELDS = {
    "start": "date",
    "end": "end_time",
    "parts": "parts",
    "registration_deadline": "registration_deadline",
}


def parse_parts(text: str) -> list[dict[str, str]]:
    """Read one part per line: "title", "title | time" or "title | time | text"."""
    parts = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, _sep, rest = line.partition("|")
        time, _sep, body = rest.partition("|")
        parts.append({"title": title.strip(), "time": time.strip(), "text": body.strip()})
    return parts


def parts_as_text(parts) -> str:
    lines = []
    for part in parts:
        fields = [part.title, part.time, part.text]
        while fields and not fields[-1]:
            fields.pop()
        lines.append(" | ".join(fields))
    return "\n".join(lines)


class SessionForm(forms.Form):
    """Organise or edit a session; the services check the rules."""

    programme = forms.ModelChoiceField(
        label=_("Hoort bij programma"), queryset=Programme.objects.order_by("name")
    )
    type = forms.ChoiceField(label=_("Soort sessie"), choices=Session.Type.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    intro = forms.CharField(
        label=_("Inleiding"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    goal = forms.CharField(
        label=_("Doel"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.CharField(label=_("Doelgroep"), required=False, max_length=300)
    criteria = forms.CharField(
        label=_("Criteria deelnemers"),
        required=False,
        help_text=_("Eén criterium per regel"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(label=_("Eindtijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    location = forms.CharField(label=_("Locatie"), required=False, max_length=300)
    online = forms.BooleanField(label=_("Ook (of alleen) online"), required=False)
    online_url = forms.URLField(
        label=_("Link naar de online bijeenkomst"),
        assume_scheme="https",
        required=False,
        help_text=_("Alleen zichtbaar voor aangemelde deelnemers"),
    )
    parts = forms.CharField(
        label=_("Programmaonderdelen"),
        required=False,
        help_text=_(
            "Eén onderdeel per regel: titel | tijd | tekst (tijd en tekst zijn niet verplicht)"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(
        label=_("Maximum aantal deelnemers"), required=False, help_text=_("Leeg: onbeperkt")
    )
    registration_deadline = forms.DateTimeField(
        label=_("Aanmelden kan tot"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    requires_approval = forms.BooleanField(
        label=_("Ik beoordeel elke aanmelding aan de hand van de criteria"), required=False
    )
    questions = forms.CharField(
        label=_("Vragen bij aanmelding"),
        required=False,
        help_text=_("Eén vraag per regel"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    participant_visibility = forms.ChoiceField(
        label=_("Deelnemerslijst zichtbaar voor"),
        choices=Session.Visibility.choices,
        initial=Session.Visibility.PUBLIC,
    )
    co_hosts = forms.CharField(
        label=_("Mede-organisatoren"),
        required=False,
        help_text=_("E-mailadressen van leden die mee organiseren, één per regel"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 0:
            raise forms.ValidationError(_("Het maximum aantal deelnemers kan niet negatief zijn."))
        return capacity

    def clean_co_hosts(self):
        emails = [e.strip().lower() for e in self.cleaned_data["co_hosts"].split() if e.strip()]
        members = list(User.objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {m.email.lower() for m in members})
        if unknown:
            raise forms.ValidationError(
                _("Geen lid gevonden met dit e-mailadres: %(emails)s"),
                params={"emails": ", ".join(unknown)},
            )
        return members

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start and end:
            data["start"] = datetime.datetime.combine(date, start, tzinfo=AMSTERDAM)
            data["end"] = datetime.datetime.combine(date, end, tzinfo=AMSTERDAM)
            if data["end"] <= data["start"]:
                self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        if not data.get("location", "").strip() and not data.get("online"):
            self.add_error("location", _("Geef een locatie op of kies online (of allebei)."))
        return data

    def service_kwargs(self) -> dict:
        """Return the keyword arguments for session_create / session_update."""
        data = self.cleaned_data
        return {
            "type": data["type"],
            "title": data["title"],
            "intro": data["intro"],
            "goal": data["goal"],
            "audience": data["audience"],
            "criteria": data["criteria"],
            "start": data["start"],
            "end": data["end"],
            "location": data["location"],
            "online": data["online"],
            "online_url": data["online_url"],
            "capacity": data["capacity"],
            "registration_deadline": data["registration_deadline"],
            "requires_approval": data["requires_approval"],
            "questions": data["questions"],
            "participant_visibility": data["participant_visibility"],
            "parts": parse_parts(data["parts"]),
            "themes": list(data["themes"]),
            "co_hosts": data["co_hosts"],
        }

    @classmethod
    def initial_from(cls, session: Session) -> dict:
        start = timezone.localtime(session.start, AMSTERDAM)
        end = timezone.localtime(session.end, AMSTERDAM)
        return {
            "programme": session.programme_id,
            "type": session.type,
            "title": session.title,
            "intro": session.intro,
            "goal": session.goal,
            "audience": session.audience,
            "criteria": "\n".join(session.criteria),
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "location": session.location,
            "online": session.online,
            "online_url": session.online_url,
            "parts": parts_as_text(session.parts.all()),
            "capacity": session.capacity,
            "registration_deadline": session.registration_deadline
            and timezone.localtime(session.registration_deadline, AMSTERDAM),
            "requires_approval": session.requires_approval,
            "questions": "\n".join(session.questions),
            "participant_visibility": session.participant_visibility,
            "themes": list(session.themes.all()),
            "co_hosts": "\n".join(u.email for u in session.co_hosts.all()),
        }

    def add_domain_error(self, error: DomainError) -> None:
        field = ERROR_FIELDS.get(error.code, error.code)
        self.add_error(field if field in self.fields else None, str(error.message))


class RegistrationForm(forms.Form):
    """The answers to a session's questions when signing up."""

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(label=question, required=False, max_length=1000)

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Toelichting voor de organisator"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class FacilitationForm(forms.Form):
    note = forms.CharField(
        label=_("Wat vraag je van het programmateam?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 5}))
