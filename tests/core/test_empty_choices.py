"""No select shows Django's "---------": each names its empty option in Dutch."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import bouwplaats
from bouwplaats.anchoring.forms import KoffertjeItemForm, RatingForm, StakeholderForm
from bouwplaats.core.forms import DJANGO_EMPTY_LABEL, name_empty_choices
from bouwplaats.planning.forms import WorkForm
from bouwplaats.programmes.forms import GovernanceBodyForm, GovernanceMemberForm, PartnerForm
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form_classes():
    for info in pkgutil.iter_modules(bouwplaats.__path__):
        try:
            module = importlib.import_module(f"bouwplaats.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def _required_keywords(cls) -> list[str]:
    return [
        name
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty
    ]


def test_the_forms_that_set_their_own_empty_labels_keep_them():
    form = forms.Form()
    form.fields["kind"] = forms.ChoiceField(choices=[("", "Kies een soort"), ("a", "A")])
    name_empty_choices(form)
    assert form.fields["kind"].choices[0] == ("", "Kies een soort")


@pytest.mark.parametrize(
    "make",
    [
        lambda: PartnerForm(),
        lambda: GovernanceBodyForm(),
        lambda: GovernanceMemberForm(),
        lambda: KoffertjeItemForm(),
        lambda: StakeholderForm(programme=ProgrammeFactory()),
        lambda: RatingForm(),
        lambda: WorkForm(user=UserFactory(is_staff=True)),
    ],
)
def test_selects_name_their_empty_option(make):
    html = str(make())
    assert DJANGO_EMPTY_LABEL not in html
    assert ">Maak een keuze</option>" in html or ">Geen</option>" in html


def test_no_form_that_needs_no_context_shows_the_dashes():
    checked, dashes = 0, []
    for cls in _form_classes():
        if cls.__name__.startswith("_") or _required_keywords(cls):
            continue  # a base, or needs context (a user, a programme): covered above or by its app
        try:
            form = cls()
        except TypeError:
            continue
        if DJANGO_EMPTY_LABEL in str(form):
            dashes.append(f"{cls.__module__}.{cls.__name__}")
        checked += 1
    assert dashes == []
    assert checked > 20
