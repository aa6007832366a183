"""Forms of the session pages: fields and widgets, the rules come from the models.

SessionForm builds its fields from Session's own fields (``max_length``, choices and
validators), and the service checks everything again (``validate_instance``): a refusal
of the service is shown beside the field it names (``core.forms.add_domain_error``).
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.core import forms as core_forms
from bouwplaats.core.errors import DomainError, InvalidInput
from bouwplaats.core.validation import validate_plausible_year, validate_text
from bouwplaats.programmes.models import Programme, Theme

from .calendar import AMSTERDAM
from .models import CoHostInvitation, Session
from .services.registrations import ANSWER_MAX_LENGTH
from .services.sessions import MESSAGE_SUBJECT_MAX, clean_parts

# Where a refusal of the services, keyed by the model's field, belongs in the session form.
ERROR_FIELDS = {"start": "start_date", "end": "end_time"}

# The Session fields whose rules between fields (Session.clean) the form runs itself.
CLEAN_FIELDS = ("title", "start", "end", "location", "online", "registration_deadline")

# The form's fields that make up each instant of the session.
INSTANT_FIELDS = {"start": ("start_date", "start_time"), "end": ("end_date", "end_time")}


def model_formfield(model: type[models.Model], name: str, **kwargs) -> forms.Field:
    """Return the form field of ``model``'s field ``name`` with the model field's validators.

    Django's ``formfield()`` carries ``max_length`` and choices but not the validators
    (those run in the model's ``full_clean()``); this adds them, so that the page refuses
    a bad value beside its field before the service is asked.
    """
    model_field = model._meta.get_field(name)
    # A choice's empty option reads as Dutch words, not Django's "---------".
    empty_label = kwargs.pop("empty_label", _("Maak een keuze"))
    if isinstance(model_field, models.IntegerField):
        # The model field's own Min/MaxValueValidators give the (Dutch) limits.
        kwargs.setdefault("min_value", None)
    field = model_field.formfield(**kwargs)
    field.validators = [
        *field.validators,
        *(v for v in model_field.validators
          if not isinstance(v, MaxLengthValidator) and v not in field.validators),
    ]  # fmt: skip
    if isinstance(field, forms.TypedChoiceField):
        field.choices = [(v, empty_label if v == "" else label) for v, label in field.choices]
    return field


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


def _lines(label, help_text, rows: int) -> forms.CharField:
    # One text per line; the model's list validator checks the lines in the service.
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _exists(value: datetime.datetime) -> bool:
    """Return True if the local wall time ``value`` is shown by a clock in its zone."""
    back = value.astimezone(datetime.UTC).astimezone(value.tzinfo)
    return back.replace(tzinfo=None) == value.replace(tzinfo=None)


def _keep_fold(value: datetime.datetime, before: datetime.datetime | None) -> datetime.datetime:
    """Return ``value`` with the fold of ``before`` if both are the same wall time."""
    if before is None:
        return value
    local = timezone.localtime(before, value.tzinfo)
    if local.replace(tzinfo=None, fold=0) == value.replace(tzinfo=None, fold=0):
        return value.replace(fold=local.fold)
    return value


def _minute(value: datetime.datetime) -> datetime.datetime:
    return value.replace(second=0, microsecond=0)


class SessionForm(forms.Form):
    """Organise or edit a session; the fields carry Session's rules, the service checks all."""

    programme = forms.ModelChoiceField(
        label=_("Hoort bij programma"),
        queryset=Programme.objects.order_by("name"),
        empty_label=_("Kies een programma"),
    )
    type = model_formfield(
        Session, "type", label=_("Soort sessie"), empty_label=_("Kies een soort")
    )
    title = model_formfield(Session, "title", label=_("Titel"))
    intro = model_formfield(
        Session, "intro", label=_("Inleiding"), widget=forms.Textarea(attrs={"rows": 4})
    )
    goal = model_formfield(
        Session, "goal", label=_("Doel"), widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = model_formfield(Session, "audience", label=_("Doelgroep"))
    criteria = _lines(_("Criteria deelnemers"), _("Eén criterium per regel"), 3)
    # A session runs from a start to an end date-time: a congress or a course takes days.
    # A browser's date input takes and gives ISO dates only (not the Dutch 31-10-2027).
    start_date = forms.DateField(
        label=_("Begindatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=Session._meta.get_field("start").validators,
    )
    start_time = forms.TimeField(
        label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_date = forms.DateField(
        label=_("Einddatum"),
        required=False,
        help_text=_("Leeg: dezelfde dag als het begin"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=Session._meta.get_field("end").validators,
    )
    end_time = forms.TimeField(
        label=_("Eindtijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    # Session.clean()'s rule: a location unless the session is online.
    location = core_forms.required_by_rule(
        model_formfield(Session, "location", label=_("Locatie")),
        _("verplicht, tenzij de sessie online is"),
    )
    online = model_formfield(Session, "online", label=_("Ook (of alleen) online"))
    online_url = model_formfield(
        Session,
        "online_url",
        label=_("Link naar de online bijeenkomst"),
        assume_scheme="https",
        help_text=_("Alleen zichtbaar voor aangemelde deelnemers"),
    )
    parts = forms.CharField(
        label=_("Programmaonderdelen"),
        required=False,
        help_text=_(
            "Eén onderdeel per regel: titel | tijd | tekst, bijvoorbeeld „Welkom | 13:00 - "
            "13:30 | Koffie en kennismaking” (tijd en tekst zijn niet verplicht)"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = model_formfield(Session, "capacity", label=_("Maximum aantal deelnemers"))
    registration_deadline = model_formfield(
        Session,
        "registration_deadline",
        label=_("Aanmelden kan tot"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    requires_approval = model_formfield(
        Session,
        "requires_approval",
        label=_("Ik beoordeel elke aanmelding aan de hand van de criteria"),
    )
    questions = _lines(_("Vragen bij aanmelding"), _("Eén vraag per regel"), 2)
    participant_visibility = model_formfield(
        Session, "participant_visibility", label=_("Deelnemerslijst zichtbaar voor")
    )
    cohost_emails = forms.CharField(
        label=_("Mede-organisatoren uitnodigen"),
        required=False,
        help_text=_(
            "E-mailadressen, één per regel. Elk adres krijgt een uitnodiging; wie die aanvaardt, "
            "organiseert mee."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_cohost_emails(self) -> list[str]:
        # Only the form of each address is checked: whether it has an account is never asked,
        # so the answer is the same for members and non-members.
        emails = [e.strip() for e in self.cleaned_data["cohost_emails"].split() if e.strip()]
        field = CoHostInvitation._meta.get_field("email")
        bad = []
        for email in emails:
            try:
                field.run_validators(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(
                _("Dit is geen geldig e-mailadres: %(emails)s"), params={"emails": ", ".join(bad)}
            )
        return emails

    def clean_parts(self) -> str:
        # The service's own check of the parts (time "25:99", a title too long), run here too
        # so that its refusal shows with the form's other errors on the first submit.
        try:
            clean_parts(parse_parts(self.cleaned_data["parts"]))
        except InvalidInput as error:
            raise forms.ValidationError(error.errors["parts"]) from error
        return self.cleaned_data["parts"]

    def _clean_between_fields(self, data: dict) -> None:
        # Session.clean()'s rules between fields (a location unless online, the end after the
        # start) on the values given, so that they show with every other error at once; a
        # field already refused is left out, the service checks all again.
        values = {name: data[name] for name in CLEAN_FIELDS if data.get(name) is not None}
        try:
            Session(**values).clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                target = ERROR_FIELDS.get(name, name)
                if target in self.fields and target not in self.errors:
                    for message in messages:
                        self.add_error(target, message)

    def clean(self):
        # Puts the date and times together; whether they make sense is the model's rule. A
        # wall time that the clock skips is refused; one it passes twice (the night summer
        # time ends) is the occurrence the session already had, else the first, and an end
        # that would come before its start is the second.
        data = super().clean()
        start_date, start = data.get("start_date"), data.get("start_time")
        end_date, end = data.get("end_date") or start_date, data.get("end_time")
        if not (start_date and start and end and end_date):
            self._clean_between_fields(data)
            return data
        start = _keep_fold(
            datetime.datetime.combine(start_date, start, tzinfo=AMSTERDAM),
            self.initial.get("start"),
        )
        end = _keep_fold(
            datetime.datetime.combine(end_date, end, tzinfo=AMSTERDAM), self.initial.get("end")
        )
        # (Compared in UTC: within one zone Python compares wall times and ignores the fold.)
        utc = datetime.UTC
        if end.astimezone(utc) <= start.astimezone(utc) < end.replace(fold=1).astimezone(utc):
            end = end.replace(fold=1)
        for name, value in (("start_time", start), ("end_time", end)):
            if not _exists(value):
                self.add_error(
                    name,
                    _("Dit tijdstip bestaat niet: die nacht gaat de klok van 2:00 naar 3:00."),
                )
        data["start"], data["end"] = start.astimezone(utc), end.astimezone(utc)
        self._clean_between_fields(data)
        return data

    def service_kwargs(self, *, changed_only: bool = False) -> dict:
        """Return the keyword arguments for session_create / session_update.

        With ``changed_only`` (editing) only what the person changed in the form: a field
        they did not touch is not sent, so it is neither changed nor recorded.
        """
        data = self.cleaned_data
        kwargs = {
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
            "cohost_emails": data["cohost_emails"],
        }
        if not changed_only:
            return kwargs
        changed = set(self.changed_data)
        for name, fields in INSTANT_FIELDS.items():
            if changed.intersection(fields):
                changed.add(name)
        # The form fields that are not a field of the service's (the date and time parts).
        changed -= {part for fields in INSTANT_FIELDS.values() for part in fields}
        kwargs = {name: value for name, value in kwargs.items() if name in changed}
        kwargs.setdefault("cohost_emails", [])
        return kwargs

    @classmethod
    def initial_from(cls, session: Session) -> dict:
        # To the minute, as the inputs show them: a time the person does not touch then
        # counts as unchanged (and is not sent), even if it was stored with seconds.
        start = _minute(timezone.localtime(session.start, AMSTERDAM))
        end = _minute(timezone.localtime(session.end, AMSTERDAM))
        deadline = session.registration_deadline
        return {
            # Not fields: the instants, so that an unchanged time in the hour that repeats
            # when summer time ends keeps its occurrence.
            "start": session.start,
            "end": session.end,
            "programme": session.programme_id,
            "type": session.type,
            "title": session.title,
            "intro": session.intro,
            "goal": session.goal,
            "audience": session.audience,
            "criteria": "\n".join(session.criteria),
            "start_date": start.date(),
            "start_time": start.time(),
            "end_date": end.date(),
            "end_time": end.time(),
            "location": session.location,
            "online": session.online,
            "online_url": session.online_url,
            "parts": parts_as_text(session.parts.all()),
            "capacity": session.capacity,
            "registration_deadline": deadline and _minute(timezone.localtime(deadline, AMSTERDAM)),
            "requires_approval": session.requires_approval,
            "questions": "\n".join(session.questions),
            "participant_visibility": session.participant_visibility,
            "themes": list(session.themes.all()),
        }

    def add_domain_error(self, error: DomainError) -> None:
        """Show a refusal of the services beside the field it names (start → start_date)."""
        core_forms.add_domain_error(self, error, ERROR_FIELDS)


class SessionFilterForm(forms.Form):
    """The filters of the session list (GET); a filter that does not validate is left out."""

    programma = model_formfield(Programme, "slug", required=False)
    soort = model_formfield(Session, "type", required=False)
    thema = model_formfield(Theme, "slug", required=False)
    maand = forms.DateField(
        required=False, input_formats=["%Y-%m"], validators=[validate_plausible_year]
    )

    def filters(self) -> dict:
        """Return the valid filters as session_list() takes them (None: no filter)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        month = data.get("maand")
        return {
            "programme": data.get("programma") or None,
            "type": data.get("soort") or None,
            "theme": data.get("thema") or None,
            "month": month.strftime("%Y-%m") if month else None,
        }


class RegistrationForm(forms.Form):
    """The answers to a session's questions when signing up."""

    def __init__(self, *args, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(
                label=question,
                required=False,
                max_length=ANSWER_MAX_LENGTH,
                validators=[validate_text],
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}

    def add_domain_error(self, error: DomainError) -> None:
        """Show a refusal of registration_create beside the question it names (``q<n>``)."""
        core_forms.add_domain_error(self, error)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SendBackForm(forms.Form):
    comment = model_formfield(
        Session,
        "facilitation_note",
        label=_("Toelichting voor de organisator"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=True,
    )


class FacilitationAnswerForm(forms.Form):
    """The programme team takes a request on: a facilitator from the team and an answer."""

    facilitator = forms.ModelChoiceField(
        label=_("Facilitator"), queryset=get_user_model().objects.none(), empty_label=None
    )
    answer = model_formfield(
        Session,
        "facilitation_answer",
        label=_("Antwoord aan de organisator"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=True,
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        team = session.programme.memberships.values("user_id")
        self.fields["facilitator"].queryset = (
            get_user_model().objects.filter(pk__in=team, is_active=True).order_by("full_name")
        )


class CancelForm(forms.Form):
    """The reason a session is cancelled: mailed to everyone registered."""

    reason = model_formfield(
        Session,
        "cancellation_reason",
        label=_("Reden van annulering"),
        help_text=_(
            "De deelnemers krijgen deze reden in hun bericht; ook de sessiepagina toont haar."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=True,
    )


class FacilitationForm(forms.Form):
    note = model_formfield(
        Session,
        "facilitation_note",
        label=_("Wat vraagt u van het programmateam?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=MESSAGE_SUBJECT_MAX)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 5}))
