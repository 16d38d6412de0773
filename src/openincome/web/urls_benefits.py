"""The benefits pages (included by web.urls): the Benefits area and a form per piece of
benefits work on an account (web.forms_benefits.FORMS)."""

from django.urls import path

from .forms_benefits import FORMS
from .views import benefits

urlpatterns = [
    path("benefits/", benefits.area, name="benefits"),
    *(path(f"tenancies/<str:tenancy_ref>/benefits/{slug}/", benefits.work, {"form": slug},
           name=f"benefit-{slug}") for slug in FORMS),
]
