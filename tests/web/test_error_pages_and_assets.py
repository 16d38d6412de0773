"""Error pages are GOV.UK-styled, and every asset a page or its stylesheets ask for is served."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import include, path

from openincome.web import views as web_views

STATIC = Path(web_views.__file__).resolve().parent.parent / "static"


def _asset_urls(css: str) -> list[str]:
    return re.findall(r"url\(\"?([^)\"]+)\"?\)", css)


@pytest.mark.parametrize("stylesheet", ["vendor/govuk/govuk-frontend.min.css",
                                        "vendor/moj/moj-frontend.min.css"])
def test_every_url_a_stylesheet_asks_for_is_a_file_beside_it(stylesheet):
    path = STATIC / stylesheet
    urls = [u for u in _asset_urls(path.read_text()) if not u.startswith("data:")]
    missing = [u for u in urls if u.startswith("/") or not (path.parent / u).is_file()]
    assert not missing, f"{stylesheet} asks for assets that would 404: {missing}"


def test_the_stylesheet_uses_no_gds_transport_font_face():
    # GDS Transport is licensed for GOV.UK services only; we do not fetch or declare it.
    css = (STATIC / "vendor/govuk/govuk-frontend.min.css").read_text()
    assert "@font-face" not in css
    assert "GDS Transport" not in css


@pytest.mark.django_db
def test_the_favicon_and_the_pages_assets_are_served(officer):
    page = officer.get("/worklist/").content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any("favicon" in a for a in assets)
    assets += re.findall(r'from "(/static/[^"]+)"', page)
    for url in assets:
        response = officer.get(url)
        assert response.status_code == 200, url
        getattr(response, "close", lambda: None)()
    favicon = Client().get("/favicon.ico")
    assert favicon.status_code == 301
    assert Client().get(favicon["Location"]).status_code == 200


@pytest.mark.django_db
def test_an_unknown_page_is_a_govuk_not_found_page(officer):
    response = officer.get("/tenancies/NO-SUCH-REF/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "govuk-template" in text and "Page not found" in text


def _broken(request):
    raise RuntimeError("database is locked")


# This module is also the URL configuration of the server-error test: the app's pages plus one
# that fails, as a locked database would.
urlpatterns = [path("broken/", _broken), path("", include("openincome.urls"))]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_a_govuk_page_that_names_no_internals(officer):
    client = Client(raise_request_exception=False)
    client.cookies = officer.cookies
    response = client.get("/broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "govuk-template" in text and "problem with the service" in text
    assert "database is locked" not in text
