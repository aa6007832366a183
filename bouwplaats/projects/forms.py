"""Forms of the call pages: fields and widgets; the rules are the models' and the services'."""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.errors import DomainError
from bouwplaats.core.forms import add_domain_error, document_file_field, required_by_rule

from .models import (
    SCORE_MAX,
    SCORE_MIN,
    Attachment,
    Call,
    PilotEvaluation,
    PilotMilestone,
    ProgressReport,
    Review,
    Submission,
    SubmissionAnswer,
    SubmissionStep,
    SupportRequest,
    validate_not_past,
)
from .selectors import NO_REPORT
from .services import CALL_FIELDS, EVALUATION_FIELDS, REVIEW_STEPS, answer_field, score_field

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPTIONAL_MARK = "(optioneel)"


def _date(text: str) -> datetime.date | None:
    """Read a date written d-m-yyyy or yyyy-mm-dd (None if it is neither)."""
    for pattern in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _attachment_field() -> forms.FileField:
    return document_file_field(
        label=_("Bijlage toevoegen"), max_bytes=Attachment.max_bytes(), required=False
    )


def _attachments(form: forms.Form) -> list:
    """Return the service's ``attachments``: the chosen file, if any."""
    upload = form.cleaned_data.get("file")
    return [upload] if upload else []


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


class CallForm(forms.Form):
    """A call's text, dates, who may submit, questions, criteria and reviewers.

    The rules are the model's and call_create/call_update's: this form only reads the fields.
    """

    def __init__(self, *args, programmes=None, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"] = forms.ModelChoiceField(
                queryset=programmes, label=_("Programma"), empty_label=None
            )
        field = Call._meta.get_field
        self.fields["title"] = field("title").formfield()
        self.fields["text"] = field("text").formfield(widget=forms.Textarea(attrs={"rows": 12}))
        self.fields["opens_on"] = field("opens_on").formfield(widget=DATE_INPUT)
        self.fields["closes_on"] = field("closes_on").formfield(widget=DATE_INPUT)
        self.fields["rolling"] = field("rolling").formfield()
        # Which kinds, and at least one, is the model's rule (OrganisationKindsValidator).
        self.fields["organisation_kinds"] = forms.MultipleChoiceField(
            label=field("organisation_kinds").verbose_name.capitalize(),
            help_text=field("organisation_kinds").help_text,
            choices=Organisation.Kind.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["repair_days"] = field("repair_days").formfield()
        self.fields["published"] = field("published").formfield(
            help_text=_("Een gepubliceerde oproep is voor iedereen te zien")
        )
        self.fields["questions"] = forms.CharField(
            label=_("Vragen"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_(
                "Eén vraag per regel. Begin een regel met ‘%(mark)s’ voor een vraag die niet "
                "verplicht is."
            )
            % {"mark": OPTIONAL_MARK},
        )
        self.fields["criteria"] = forms.CharField(
            label=_("Beoordelingscriteria"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Eén criterium per regel, met de weging na een streep: ‘Versnellen | 3’."),
        )
        self.fields["rounds"] = forms.CharField(
            label=_("Beoordelingsrondes"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Alleen bij doorlopende aanmelding. Eén ronde per regel: naam en sluitingsdatum "
                "na een streep, bijvoorbeeld ‘Voorjaarsronde | 1-3-2027’. Wat tot en met die "
                "datum binnenkomt, wordt in die ronde beoordeeld."
            ),
        )
        if reviewers is not None:
            self.fields["reviewers"] = forms.ModelMultipleChoiceField(
                queryset=reviewers,
                label=_("Beoordelaars"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=field("reviewers").help_text,
            )
        self.fields["file"] = _attachment_field()

    @classmethod
    def initial_from(cls, call: Call) -> dict:
        """Return the form's initial values for an existing call."""
        initial = {name: getattr(call, name) for name in CALL_FIELDS}
        initial["questions"] = "\n".join(
            q.text if q.required else f"{OPTIONAL_MARK} {q.text}" for q in call.questions.all()
        )
        initial["criteria"] = "\n".join(f"{c.name} | {c.weight}" for c in call.criteria.all())
        initial["reviewers"] = list(call.reviewers.all())
        initial["rounds"] = "\n".join(
            f"{r.name} | {r.closes_on:%-d-%-m-%Y}" for r in call.rounds.all()
        )
        return initial

    def clean_rounds(self) -> list[tuple[str, datetime.date]]:
        """Read "<name> | <d-m-yyyy>" lines; the rules on rounds are the service's."""
        result = []
        for number, line in _lines(self.cleaned_data["rounds"]):
            name, _bar, when = line.rpartition("|")
            closes_on = _date(when)
            if closes_on is None or not name.strip():
                raise forms.ValidationError(
                    _("Regel %(n)s: schrijf de naam, een streep en de sluitingsdatum "
                      "(dag-maand-jaar).") % {"n": number}
                )  # fmt: skip
            result.append((name.strip(), closes_on))
        return result

    def clean_questions(self) -> list[tuple[str, bool]]:
        """Read "<question>" or "(optioneel) <question>" lines."""
        result = []
        for _n, line in _lines(self.cleaned_data["questions"]):
            optional = line.lower().startswith(OPTIONAL_MARK)
            result.append((line[len(OPTIONAL_MARK) :].strip() if optional else line, not optional))
        return result

    def clean_criteria(self) -> list[tuple[str, int]]:
        """Read "<name> | <weight>" lines (weight 1 without one); the range is the model's."""
        result = []
        for number, line in _lines(self.cleaned_data["criteria"]):
            name, bar, weight = line.rpartition("|") if "|" in line else (line, "", "1")
            weight = weight.strip()
            if not (weight.isascii() and weight.isdigit()):
                raise forms.ValidationError(
                    _("Regel %(n)s: zet na de streep de weging als heel getal, bijvoorbeeld 3.")
                    % {"n": number}
                )
            result.append((name.strip(), int(weight[:4])))
        return result

    def values(self) -> dict:
        """Return the service's keyword arguments."""
        data = self.cleaned_data
        values = {name: data[name] for name in CALL_FIELDS}
        values["questions"] = data["questions"]
        values["criteria"] = data["criteria"]
        values["rounds"] = data["rounds"]
        if "reviewers" in self.fields:
            values["reviewers"] = list(data["reviewers"])
        values["attachments"] = _attachments(self)
        return values

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error, {"call": "__all__", "programme": "programme"})


class SubmissionForm(forms.Form):
    """A submission's title, organisation, summary and one field per question of the call."""

    def __init__(self, *args, call: Call, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=organisations,
                label=_("Namens organisatie"),
                empty_label=None,
                help_text=_("Organisaties waarvan u geverifieerd lid bent en die mogen meedoen"),
            )
        self.fields["title"] = Submission._meta.get_field("title").formfield(
            label=_("Titel van uw project of case")
        )
        self.fields["summary"] = Submission._meta.get_field("summary").formfield(
            widget=forms.Textarea(attrs={"rows": 6})
        )
        answer = SubmissionAnswer._meta.get_field("text")
        for question in call.questions.all():
            # Whether an answer is required is the service's rule (drafts may leave it open).
            field = forms.CharField(
                label=question.text,
                help_text=question.help_text,
                required=False,
                max_length=answer.max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            field.required_to_submit = question.required
            self.fields[answer_field(question.pk)] = field
        self.fields["milestones"] = forms.CharField(
            label=_("Mijlpalen die uw project belooft"),
            help_text=_(
                "Eén per regel: datum en omschrijving, bijvoorbeeld ‘1-6-2027 Eerste woningen "
                "opgeleverd’. Wordt uw project toegelaten, dan volgt de pilot deze mijlpalen."
            ),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["file"] = _attachment_field()

    def clean_milestones(self) -> list[tuple[str, datetime.date]]:
        """Read "<d-m-yyyy or yyyy-mm-dd> <title>" lines; the rules on them are the service's."""
        result = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            if not line.strip():
                continue
            when, _sep, title = line.strip().partition(" ")
            planned = _date(when)
            if planned is None or not title.strip():
                raise forms.ValidationError(
                    _("Regel %(n)s: begin met een datum (dag-maand-jaar), dan de omschrijving.")
                    % {"n": number}
                )
            result.append((title.strip(), planned))
        return result

    @staticmethod
    def milestones_text(milestones) -> str:
        """Return promised milestones as the field's lines."""
        return "\n".join(f"{m.planned:%-d-%-m-%Y} {m.title}" for m in milestones)

    def attachments(self) -> list:
        """Return the service's ``attachments``: the chosen file, if any."""
        return _attachments(self)

    def answers(self) -> dict[int, str]:
        """Return the answers as {question id: text}."""
        return {
            q.pk: self.cleaned_data.get(answer_field(q.pk), "") for q in self.call.questions.all()
        }

    def add_domain_error(self, error: DomainError) -> None:
        # A refused milestone (``milestones.<index>.<field>``) goes beside the one field that
        # holds them all; its message names the milestone.
        names = {name: "milestones" for name in error.errors if name.startswith("milestones.")}
        add_domain_error(self, error, {"call": "__all__", "status": "__all__", **names})


class StatusForm(forms.Form):
    """The programme team's next step for a submission, with its reason and named contact."""

    status = forms.ChoiceField(label=_("Nieuwe status"))
    reason = forms.CharField(
        label=_("Reden"),
        help_text=_("De indiener leest deze reden in de mail en in de geschiedenis"),
        max_length=SubmissionStep._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_name = SubmissionStep._meta.get_field("contact_name").formfield(
        help_text=_("Laat leeg om uzelf als contactpersoon te noemen")
    )
    contact_email = SubmissionStep._meta.get_field("contact_email").formfield()
    hold = forms.BooleanField(
        label=_("Besluit vasthouden en later samen met de andere besluiten versturen"),
        required=False,
        help_text=_(
            "Alleen bij toelaten of afwijzen; de indiener ziet het besluit pas bij versturen"
        ),
    )

    def __init__(self, *args, submission: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Submission.Status.choices)
        self.fields["status"].choices = [
            (status, labels[status]) for status in REVIEW_STEPS.get(submission.status, ())
        ]

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class ReviewForm(forms.Form):
    """A reviewer's score per criterion of the call (SCORE_MIN–SCORE_MAX) and a private note."""

    def __init__(self, *args, submission: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(submission.call.criteria.all())
        choices = [("", "—")] + [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            # Whether every criterion is scored, and the range, is the service's rule.
            self.fields[score_field(criterion.pk)] = required_by_rule(
                forms.TypedChoiceField(
                    label=_("%(name)s (weging %(weight)s)")
                    % {"name": criterion.name, "weight": criterion.weight},
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    help_text=criterion.description,
                )
            )
        self.fields["confidence"] = Review._meta.get_field("confidence").formfield(
            empty_label=_("Niet opgegeven")
        )
        self.fields["note"] = Review._meta.get_field("note").formfield(
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Alleen het programmateam leest deze notitie; de indiener niet."),
        )

    def scores(self) -> dict[int, int | None]:
        """Return the scores as {criterion id: score or None}."""
        return {c.pk: self.cleaned_data.get(score_field(c.pk)) for c in self.criteria}

    @classmethod
    def initial_from(cls, review: Review | None) -> dict:
        if review is None:
            return {}
        initial = {score_field(s.criterion_id): s.score for s in review.scores.all()}
        initial["note"] = review.note
        initial["confidence"] = review.confidence
        return initial

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class QueueFilterForm(forms.Form):
    """The review queue's filters: status, organisation kind, reviewed by me or not."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle"))]
        + [c for c in Submission.Status.choices if c[0] != Submission.Status.CONCEPT],
    )
    kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        required=False,
        choices=[("", _("Alle"))] + list(Organisation.Kind.choices),
    )
    mine = forms.ChoiceField(
        label=_("Door mij beoordeeld"),
        required=False,
        choices=[("", _("Alle")), ("nee", _("Nog niet")), ("ja", _("Ja"))],
    )

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        if rounds:
            self.fields["round"] = forms.TypedChoiceField(
                label=_("Ronde"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Alle"))] + [(r.pk, r.name) for r in rounds],
            )

    def filters(self) -> dict:
        """Return the selector's keyword arguments (no filter for a refused value)."""
        data = self.cleaned_data if self.is_valid() else {}
        mine = {"ja": True, "nee": False}.get(data.get("mine", ""))
        return {
            "status": data.get("status", ""),
            "kind": data.get("kind", ""),
            "reviewed_by_me": mine,
            "round_id": data.get("round"),
        }


def _empty_label(field: forms.ChoiceField, label: str) -> None:
    """Name the empty option of a choice ``field`` in words instead of Django's "---------"."""
    field.choices = [(v, label if v == "" else text) for v, text in field.choices]


class ReportForm(forms.ModelForm):
    """A progress report of the pilot's team."""

    class Meta:
        model = ProgressReport
        fields = ["status", "reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _empty_label(self.fields["status"], _("Kies een status"))

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class MilestoneChoiceField(forms.ModelChoiceField):
    """A pilot's milestones named by title and current date, in the site's date format."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({date_format(obj.current)})"


class MilestoneForm(forms.Form):
    """Re-plan a milestone of the pilot (new date and why) or mark it done."""

    milestone = MilestoneChoiceField(
        queryset=PilotMilestone.objects.none(),
        label=_("Mijlpaal"),
        empty_label=_("Kies een mijlpaal"),
    )
    current = forms.DateField(
        label=_("Nieuwe datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        # The re-plan's own rule (MilestoneReplan.current), so the page says it at once.
        validators=[validate_not_past],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—")] + list(PilotMilestone.Status.choices)
    )
    # Required with a new date and to reopen a finished milestone (MilestoneReplan's and
    # MilestoneReopening's rule, checked by milestone_update).
    reason = required_by_rule(
        forms.CharField(
            label=_("Waarom herpland of heropend"),
            required=False,
            max_length=500,
            help_text=_(
                "De oorspronkelijke datum blijft zichtbaar; een heropende mijlpaal staat met "
                "de reden in de geschiedenis van de pilot"
            ),
        ),
        _("verplicht bij een nieuwe datum en bij heropenen"),
    )

    prefix = "mijlpaal"  # beside the report form on the same page (its own "status")

    def __init__(self, *args, pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = pilot.milestones.all()

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class SupportRequestForm(forms.ModelForm):
    """A pilot team's request for support."""

    class Meta:
        model = SupportRequest
        fields = ["kind", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 4})}

    prefix = "hulpvraag"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _empty_label(self.fields["kind"], _("Kies een soort hulp"))

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class SupportAnswerForm(forms.ModelForm):
    """The programme team's status and answer for one support request."""

    class Meta:
        model = SupportRequest
        fields = ["status", "answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 3})}

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class EvaluationForm(forms.ModelForm):
    """The pilot's evaluation in the fixed form."""

    class Meta:
        model = PilotEvaluation
        fields = list(EVALUATION_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in EVALUATION_FIELDS[1:]}

    prefix = "evaluatie"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _empty_label(self.fields["outcome"], _("Kies een uitkomst"))

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error)


class PilotFilterForm(forms.Form):
    """The pilots list's filters: the last report's status, the call, words in the title or
    the organisation's name, and the page. A refused value filters nothing (filters()) and is
    named in the page's error summary (never echoed: it may be 10,000 characters long)."""

    status = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        error_messages={"invalid_choice": _("Kies een stand uit de lijst.")},
    )
    oproep = forms.TypedChoiceField(
        label=_("Oproep"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies een oproep uit de lijst.")},
    )
    q = forms.CharField(
        label=_("Zoeken in pilots"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Gebruik ten hoogste %(limit_value)d tekens.")},
    )
    page = forms.IntegerField(
        label=_("Pagina"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Het paginanummer moet een heel getal van 1 of meer zijn."),
            "min_value": _("Het paginanummer moet een heel getal van 1 of meer zijn."),
        },
    )

    def __init__(self, *args, calls=(), **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Alle")),
            *ProgressReport.Status.choices,
            (NO_REPORT, _("Nog geen rapportage")),
        ]
        self.fields["oproep"].choices = [("", _("Alle oproepen"))] + [
            (call.pk, call.title) for call in calls
        ]

    def clean_q(self) -> str:
        # Control characters (a NUL, which PostgreSQL refuses) are no words to look for.
        return "".join(c for c in self.cleaned_data["q"] if c.isprintable())

    def filters(self) -> dict:
        """Return the selector's keyword arguments (no filter for a refused value)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status", ""),
            "call_id": data.get("oproep"),
            "q": data.get("q", ""),
        }

    def page_number(self) -> int | None:
        """Return the page asked for, None when none was asked or it was refused."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("page")
