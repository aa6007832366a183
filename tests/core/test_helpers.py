"""Shared helpers in core: the apps' hook modules and the pagination links."""

from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from bouwplaats.core.hooks import app_modules


def test_hook_modules_come_in_the_apps_dependency_order():
    found = [app for app, _module in app_modules("demo")]
    ours = [app for app in settings.INSTALLED_APPS if app in found]
    assert found == ours
    assert found.index("bouwplaats.programmes") < found.index("bouwplaats.events")
    assert {"bouwplaats.accounts", "bouwplaats.planning"} <= set(found)
    assert "bouwplaats.core" not in found
    modules = dict(app_modules("api"))
    assert all(hasattr(module, "router") for module in modules.values())


def test_pagination_links_keep_the_filters_and_change_the_page():
    request = RequestFactory().get("/sessies/", {"q": "fiets & trein", "page": "2"})
    page = Paginator(range(100), 10).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert 'href="?q=fiets+%26+trein&amp;page=1" rel="prev"' in html
    assert 'href="?q=fiets+%26+trein&amp;page=3" rel="next"' in html
