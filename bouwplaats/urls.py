from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from bouwplaats import personal_data
from bouwplaats.api import api
from bouwplaats.core.health import healthz
from bouwplaats.core.views import site_page
from bouwplaats.views import home

handler403 = "bouwplaats.core.views.error_403"
handler404 = "bouwplaats.core.views.error_404"
handler500 = "bouwplaats.core.views.error_500"

urlpatterns = [
    path("", home, name="home"),
    # Monitors and proxies: no login, no rate limit, no redirect to HTTPS (settings).
    path("healthz", healthz, name="healthz"),
    path("account/", include("allauth.urls")),
    path("profiel/mijn-gegevens/", personal_data.page, name="personal_data"),
    path("profiel/mijn-gegevens.pdf", personal_data.pdf, name="personal_data_pdf"),
    path("profiel/mijn-gegevens.zip", personal_data.archive, name="personal_data_zip"),
    path("profiel/", include("bouwplaats.accounts.urls")),
    path("programmas/", include("bouwplaats.anchoring.urls")),
    path("programmas/", include("bouwplaats.programmes.urls")),
    path("sessies/", include("bouwplaats.events.urls")),
    path("mijn-bouwplaats/", include("bouwplaats.events.mine_urls")),
    path("sessieruimte/", include("bouwplaats.spaces.urls")),
    path("nieuwsflits/", include("bouwplaats.newsletters.urls")),
    path("oproepen/", include("bouwplaats.projects.urls")),
    path("pilots/", include("bouwplaats.projects.pilot_urls")),
    path("kennis/", include("bouwplaats.knowledge.urls")),
    path("zoeken/", include("bouwplaats.search.urls")),
    path("werk-met-werk/", include("bouwplaats.planning.urls")),
    # The residents' map at the short address that goes on letters and site boards.
    path(
        "werk-in-uw-straat/",
        RedirectView.as_view(pattern_name="planning:public", query_string=True),
        name="public_works",
    ),
    # The pages a Dutch government site must have, linked from every page's footer.
    re_path(
        r"^(?P<slug>privacyverklaring|toegankelijkheid|contact)/$", site_page, name="site_page"
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.BENCH_BARE_VIEW:
    # The load bench's baseline (bench/load.py); only when the environment asks for it.
    from bouwplaats.core.bench_views import bare

    urlpatterns.insert(0, path("bench/bare/", bare))
# MEDIA_URL is deliberately not served: uploads are only reachable through views that check
# access on every request (see bouwplaats/spaces).
