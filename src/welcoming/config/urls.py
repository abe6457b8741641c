"""URLs: pages under /en/ and /fr/, the API and the admin outside them."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from welcoming.api import api
from welcoming.core.views import favicon, health

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", health, name="health"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("welcoming.accounts.urls")),
    path("framework/", include("welcoming.framework.urls")),
    path("connections/", include("welcoming.connections.urls")),
    path("directory/stewardship/", include("welcoming.directory.steward_urls")),
    path("directory/", include("welcoming.directory.urls")),
    path("", include("welcoming.indicators.urls")),
    path("", include("welcoming.scorecards.urls")),
    path("", include("welcoming.core.urls")),
    prefix_default_language=True,
)
