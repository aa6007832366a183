from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf
from .models import POST_LEVELS, Level

# The services check the same rules again, so that pages and API give the same Dutch message.


FILE_ERRORS = {"required": _("Kies eerst een bestand."), "empty": _("Het bestand is leeg.")}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Je reactie"),
        error_messages={"required": _("Schrijf eerst je reactie.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Je kunt Markdown gebruiken: **vet**, *schuin*, lijstjes en links."),
    )


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Foto"),
        error_messages={
            "required": _("Kies eerst een bestand."),
            "empty": _("Het bestand is leeg."),
        },
        help_text=_("JPEG, PNG of WebP, hoogstens %(size)s MB. Locatiegegevens worden verwijderd.")
        % {"size": conf.photo_max_bytes() // conf.MiB},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(
        label=_("Onderschrift"), required=False, max_length=conf.CAPTION_MAX_LENGTH
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        error_messages={
            "required": _("Kies eerst een bestand."),
            "empty": _("Het bestand is leeg."),
        },
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, CSV of platte tekst, "
            "hoogstens %(size)s MB."
        )
        % {"size": conf.document_max_bytes() // conf.MiB},
    )
    description = forms.CharField(
        label=_("Omschrijving"), required=False, max_length=conf.CAPTION_MAX_LENGTH
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), required=False, max_length=conf.HIDE_REASON_MAX_LENGTH
    )


class PolicyForm(forms.Form):
    comments_view = forms.ChoiceField(
        label=_("Wie mag de reacties bekijken?"), choices=Level.choices
    )
    comments_post = forms.ChoiceField(label=_("Wie mag reacties plaatsen?"), choices=POST_LEVELS)
    photos_view = forms.ChoiceField(label=_("Wie mag de foto's bekijken?"), choices=Level.choices)
    photos_post = forms.ChoiceField(label=_("Wie mag foto's plaatsen?"), choices=POST_LEVELS)
    documents_view = forms.ChoiceField(
        label=_("Wie mag de documenten bekijken?"), choices=Level.choices
    )
    documents_post = forms.ChoiceField(label=_("Wie mag documenten plaatsen?"), choices=POST_LEVELS)


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's DomainError next to the field it names, else above the form."""
    field = error.code if error.code in form.fields else None
    form.add_error(field, str(error.message))
