"""Texts of the planning pages that are data: Leaflet.draw's labels and the history's actions."""

from django.utils.translation import gettext_lazy

# Leaflet.draw's texts in the page's language (merged into L.drawLocal by planning.js).
DRAW_LABELS = {
    "draw": {
        "toolbar": {
            "actions": {
                "title": gettext_lazy("Tekenen afbreken"),
                "text": gettext_lazy("Afbreken"),
            },
            "finish": {
                "title": gettext_lazy("Tekenen voltooien"),
                "text": gettext_lazy("Voltooien"),
            },
            "undo": {
                "title": gettext_lazy("Laatste punt verwijderen"),
                "text": gettext_lazy("Laatste punt verwijderen"),
            },
            "buttons": {
                "polyline": gettext_lazy("Teken een lijn"),
                "polygon": gettext_lazy("Teken een vlak"),
                "rectangle": gettext_lazy("Teken een rechthoek"),
                "circlemarker": gettext_lazy("Zet een punt"),
            },
        },
        "handlers": {
            "circlemarker": {
                "tooltip": {"start": gettext_lazy("Klik op de kaart om het punt te zetten.")}
            },
            "polygon": {
                "tooltip": {
                    "start": gettext_lazy("Klik om het vlak te beginnen."),
                    "cont": gettext_lazy("Klik om verder te tekenen."),
                    "end": gettext_lazy("Klik op het eerste punt om het vlak te sluiten."),
                }
            },
            "polyline": {
                "error": gettext_lazy("Randen mogen elkaar niet kruisen."),
                "tooltip": {
                    "start": gettext_lazy("Klik om de lijn te beginnen."),
                    "cont": gettext_lazy("Klik om de lijn voort te zetten."),
                    "end": gettext_lazy("Klik op het laatste punt om de lijn af te maken."),
                },
            },
            "rectangle": {
                "tooltip": {"start": gettext_lazy("Klik en sleep om een rechthoek te tekenen.")}
            },
            "simpleshape": {"tooltip": {"end": gettext_lazy("Laat de muis los om af te ronden.")}},
        },
    },
    "edit": {
        "toolbar": {
            "actions": {
                "save": {
                    "title": gettext_lazy("Wijzigingen bewaren"),
                    "text": gettext_lazy("Bewaren"),
                },
                "cancel": {
                    "title": gettext_lazy("Wijzigingen ongedaan maken"),
                    "text": gettext_lazy("Annuleren"),
                },
                "clearAll": {
                    "title": gettext_lazy("Alles wissen"),
                    "text": gettext_lazy("Alles wissen"),
                },
            },
            "buttons": {
                "edit": gettext_lazy("Tekening aanpassen"),
                "editDisabled": gettext_lazy("Nog niets om aan te passen"),
                "remove": gettext_lazy("Tekening wissen"),
                "removeDisabled": gettext_lazy("Nog niets om te wissen"),
            },
        },
        "handlers": {
            "edit": {
                "tooltip": {
                    "text": gettext_lazy("Versleep de punten om de tekening aan te passen."),
                    "subtext": gettext_lazy("Kies Annuleren om terug te gaan."),
                }
            },
            "remove": {"tooltip": {"text": gettext_lazy("Klik op de tekening om die te wissen.")}},
        },
    },
}

HISTORY_LABELS = {
    "planning.work.created": gettext_lazy("Ingevoerd"),
    "planning.work.updated": gettext_lazy("Gewijzigd"),
    "planning.work.request_sent": gettext_lazy("Combinatieverzoek verstuurd"),
    "planning.work.joined": gettext_lazy("Samengevoegd tot gezamenlijk werk"),
}

# What each expected hindrance means for a resident, in plain words (the residents' page).
HINDRANCE_PLAIN = {
    "geen": gettext_lazy("U merkt er weinig van: de straat blijft open."),
    "beperkt": gettext_lazy(
        "De stoep of het fietspad is deels afgezet. U kunt er wel langs, soms via een omweg."
    ),
    "rijstrook": gettext_lazy(
        "Een rijstrook is dicht. Verkeer kan er langs, maar het is druk; reken op vertraging."
    ),
    "afsluiting": gettext_lazy(
        "De straat is afgesloten voor verkeer. Woningen en winkels blijven te voet bereikbaar."
    ),
}
