"""The payments pages (included under /payments/ by web.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.history, name="payments"),
    path("import/", views.upload, name="payments-upload"),
    path("imports/<int:item_id>/", views.import_detail, name="payments-import"),
    path("suspense/", views.suspense, name="payments-suspense"),
    path("suspense/<int:item_id>/", views.allocate, name="payments-allocate"),
    path("duplicates/", views.duplicates, name="payments-duplicates"),
    path("duplicates/<int:item_id>/", views.resolve, name="payments-resolve"),
    path("direct-debits/reports/", views.bacs_report, name="dd-report"),
]
