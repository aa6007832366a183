"""Forms of the knowledge pages: model forms, so a field's rules are the model's own."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.forms import add_domain_error, required_by_rule
from bouwplaats.events.permissions import sessions_visible_to
from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.projects.permissions import pilots_visible_to, submissions_visible_to

from .models import Answer, KnowledgeItem, Question

LESSON_FIELDS = ("context", "what_happened", "do_differently", "evidence")

# What the text fields accept (Markdown), said without the jargon; knowledge/_form.html shows
# how below the form.
FORMAT_HELP = _("U kunt **vet**, *cursief*, lijstjes en links gebruiken.")


class DomainErrorMixin:
    def add_domain_error(self, error) -> None:
        add_domain_error(self, error)


class KnowledgeItemForm(DomainErrorMixin, forms.ModelForm):
    """A lesson, article or model with its themes, programme and where it came from."""

    publish = forms.BooleanField(
        label=_("Meteen publiceren"),
        required=False,
        help_text=_("Alleen voor het programmateam; anders blijft het een concept."),
    )

    class Meta:
        model = KnowledgeItem
        fields = [
            "type",
            "title",
            "summary",
            "context",
            "what_happened",
            "do_differently",
            "evidence",
            "body",
            "themes",
            "programme",
            "sessions",
            "pilots",
            "submissions",
            "check_by",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "check_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "context": forms.Textarea(attrs={"rows": 4}),
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "do_differently": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "body": format_lazy("{} {}", _("Bij een les: eventueel een toelichting."), FORMAT_HELP),
        }

    def __init__(self, *args, user, may_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        self.fields["programme"].queryset = Programme.objects.order_by("name")
        self.fields["programme"].empty_label = _("Geen programma")
        self.fields["sessions"].queryset = sessions_visible_to(user).order_by("-start")
        self.fields["sessions"].required = False
        self.fields["pilots"].queryset = pilots_visible_to(user).order_by("title")
        self.fields["pilots"].required = False
        self.fields["sessions"].help_text = _("De sessies waar dit uit voortkwam.")
        self.fields["pilots"].help_text = _("De pilots waar dit uit voortkwam.")
        self.fields["submissions"].queryset = submissions_visible_to(user).order_by("title")
        self.fields["submissions"].required = False
        self.fields["submissions"].label = _("Projecten")
        self.fields["submissions"].help_text = _("De aangemelde projecten waar dit uit voortkwam.")
        if not may_publish:
            del self.fields["publish"]
        # The service checks the lesson's parts and theme; the form shows them beside the field
        # and, instead of "(niet verplicht)", says when they are required.
        for name in (*LESSON_FIELDS, "themes"):
            self.fields[name].required = False
            required_by_rule(self.fields[name], _("verplicht bij een les"))


class QuestionForm(DomainErrorMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["title", "body", "programme", "themes"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"title": _("Uw vraag")}
        help_texts = {
            "title": _("Eén zin, bijvoorbeeld: Hoeveel sturing kun je geven?"),
            "body": format_lazy(
                "{} {}", _("Wat heeft u al geprobeerd, wat is de situatie?"), FORMAT_HELP
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        self.fields["programme"].queryset = Programme.objects.order_by("name")
        self.fields["programme"].empty_label = _("Geen programma")


class AnswerForm(DomainErrorMixin, forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        labels = {"body": _("Uw antwoord")}
        help_texts = {"body": FORMAT_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty answer is refused once, in the model's words (Answer.clean), not also
        # with the form's generic "Dit veld is verplicht.".
        required_by_rule(self.fields["body"]).required = False


class CurateForm(DomainErrorMixin, forms.ModelForm):
    """What the programme team sets: status, featured and the "check again by" date."""

    class Meta:
        model = KnowledgeItem
        fields = ["status", "featured", "check_by"]
        widgets = {"check_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ItemFilterForm(forms.Form):
    """The filters of the knowledge list; a refused value is shown and ignored."""

    type = forms.ChoiceField(
        label=_("Soort"),
        required=False,
        choices=[("", _("Alle soorten")), *KnowledgeItem.Type.choices],
    )
    theme = forms.ChoiceField(label=_("Thema"), required=False)
    programme = forms.ChoiceField(label=_("Programma"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Alle thema's"))] + list(
            Theme.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["programme"].choices = [("", _("Alle programma's"))] + [
            (str(pk), name)
            for pk, name in Programme.objects.order_by("name").values_list("pk", "name")
        ]
