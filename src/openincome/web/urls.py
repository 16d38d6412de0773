from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import account, auth, ledger_pages, notices, programme, records, search, worklist

urlpatterns = [
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", ledger_pages.home, name="home"),
    path("worklist/", worklist.worklist, name="worklist"),
    path("worklist/build/", worklist.build_worklist, name="worklist-build"),
    path("worklist/programme/", programme.programme, name="programme"),
    path("search/", search.search, name="search"),
    path("tenancies/", ledger_pages.tenancy_list, name="tenancy-list"),
    path("tenancies/<str:tenancy_ref>/", account.account, name="account"),
    path("tenancies/<str:tenancy_ref>/contact/", records.record_contact, name="record-contact"),
    path("tenancies/<str:tenancy_ref>/action/", records.record_action, name="record-action"),
    path("tenancies/<str:tenancy_ref>/pause/", records.pause_case, name="pause-case"),
    path("tenancies/<str:tenancy_ref>/promise/", records.record_promise, name="record-promise"),
    path("tenancies/<str:tenancy_ref>/trial/", records.edit_trial_end, name="edit-trial-end"),
    path("tenancies/<str:tenancy_ref>/pauses/<int:pause_id>/lift/", records.lift_pause,
         name="lift-pause"),
    path("tenancies/<str:tenancy_ref>/benefit/", records.update_benefit, name="update-benefit"),
    path("tenancies/<str:tenancy_ref>/details/", records.edit_details, name="edit-details"),
    path("tenancies/<str:tenancy_ref>/notice/", notices.serve, name="serve-notice"),
    path("admin/", include("openincome.web.urls_admin")),
    path("payments/", include("openincome.payments.urls")),
]
