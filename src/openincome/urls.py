"""URL configuration: the stable addresses of INTERCHANGE.md first."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("openincome.web.urls")),
    path("", include("openincome.web.urls_letters")),
    path("manage/", admin.site.urls),
    # Browsers and tools ask for /favicon.ico whatever the page's link says.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True),
         name="favicon"),
]
