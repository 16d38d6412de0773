"""URL configuration: the stable addresses of INTERCHANGE.md first."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("openincome.web.urls")),
    path("manage/", admin.site.urls),
]
