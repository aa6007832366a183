"""A newsletter is subscribed to ("abonneren"); "aanmelden" is for sessions only (issue 15 §8)."""

import re
from pathlib import Path

import bouwplaats.newsletters

APP = Path(bouwplaats.newsletters.__file__).parent
SHOWN = [
    *(APP / "templates").rglob("*.html"),
    *(APP / "templates").rglob("*.txt"),
    APP / "api.py",
    APP / "views.py",
    APP / "mails.py",
    APP / "forms.py",
]


def test_the_newsletter_pages_mails_and_api_say_abonneren_not_aanmelden():
    said = {
        path.name: re.findall(r"\b[Aa]anmeld\w*", path.read_text(encoding="utf-8"))
        for path in SHOWN
    }
    # The consent source's example names a session's sign-up sheet ("aanmeldlijst"): that is
    # where the consent was given, a session word used rightly.
    said["forms.py"] = [w for w in said["forms.py"] if w != "aanmeldlijst"]
    assert {name: words for name, words in said.items() if words} == {}
