"""Forms of the session space; every rule comes from the models (ModelForm or model fields).

The services check the same rules again, so pages and API refuse the same input with the same
Dutch message; a service's refusal is shown beside its field (core.forms.add_domain_error).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.forms import FILE_ERRORS, document_file_field

from . import conf
from .models import Comment, Document, Photo, SpacePolicy


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Uw reactie")}
        help_texts = {"body": _("U kunt Markdown gebruiken: **vet**, *schuin*, lijstjes en links.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "body": {"required": Comment._meta.get_field("body").error_messages["blank"]}
        }


class PhotoForm(forms.ModelForm):
    # The stored file is the re-encoded one, written by the service: the upload is no model field.
    file = forms.FileField(
        label=_("Foto"),
        error_messages=FILE_ERRORS,
        help_text=_("JPEG, PNG of WebP, hoogstens %(size)s MB. Locatiegegevens worden verwijderd.")
        % {"size": conf.photo_max_bytes() // conf.MiB},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Photo
        fields = ["caption"]
        labels = {"caption": _("Onderschrift")}

    field_order = ["file", "caption"]


class DocumentForm(forms.ModelForm):
    file = document_file_field(label=_("Document"), max_bytes=conf.document_max_bytes())

    class Meta:
        model = Document
        fields = ["description"]
        labels = {"description": _("Omschrijving")}

    field_order = ["file", "description"]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SpacePolicy
        fields = [
            "comments_view",
            "comments_post",
            "photos_view",
            "photos_post",
            "documents_view",
            "documents_post",
        ]
        labels = {
            "comments_view": _("Wie mag de reacties bekijken?"),
            "comments_post": _("Wie mag reacties plaatsen?"),
            "photos_view": _("Wie mag de foto's bekijken?"),
            "photos_post": _("Wie mag foto's plaatsen?"),
            "documents_view": _("Wie mag de documenten bekijken?"),
            "documents_post": _("Wie mag documenten plaatsen?"),
        }
