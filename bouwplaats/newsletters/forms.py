from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={"required": _("Vul je e-mailadres in.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        required=False,
        help_text=_("Voor de aanhef van de nieuwsflits."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


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


class IssueForm(forms.Form):
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=200,
        error_messages={"required": _("Geef de nieuwsflits een onderwerp.")},
    )
    intro = forms.CharField(
        label=_("Inleiding"),
        required=False,
        help_text=_("Markdown: **vet**, *schuin*, [link](https://…), lijstjes met -."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    blocks = forms.CharField(
        label=_("Vrije blokken"),
        required=False,
        help_text=_("Begin elk blok met een regel „## Titel”; daaronder de tekst in Markdown."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    signature_name = forms.CharField(label=_("Ondertekening: naam"), max_length=200, required=False)
    signature_role = forms.CharField(
        label=_("Ondertekening: functie"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: Trekker Leerplatform MIRT, DGMo, MinIenW"),
    )
    agenda_days = forms.IntegerField(
        label=_("Agenda: sessies in de komende … dagen"),
        min_value=0,
        max_value=366,
        initial=90,
        error_messages={
            "required": _("Vul het aantal dagen in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Het aantal dagen ligt tussen 0 en 366."),
            "max_value": _("Het aantal dagen ligt tussen 0 en 366."),
        },
    )

    def cleaned_blocks(self) -> list[dict]:
        return blocks_parse(self.cleaned_data.get("blocks", ""))
