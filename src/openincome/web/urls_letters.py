"""The letters pages: sending from an account, delivery, templates and the outbox."""

from django.urls import path

from .views.letters import bulk, delivery, manage, send

urlpatterns = [
    path("tenancies/<str:tenancy_ref>/send/", send.send, name="letters-send"),
    path("tenancies/<str:tenancy_ref>/send/preview/", send.preview_pdf,
         name="letters-preview-pdf"),
    path("tenancies/<str:tenancy_ref>/communications/", send.sent_item,
         name="letters-sent-item"),
    path("letters/bulk/", bulk.bulk_send, name="letters-bulk"),
    path("letters/bulk/selected/", bulk.bulk_selected, name="letters-bulk-selected"),
    path("letters/bulk/progress/", bulk.bulk_progress, name="letters-bulk-progress"),
    path("letters/bulk/resume/", bulk.bulk_resume, name="letters-bulk-resume"),
    path("letters/failures/", delivery.failures, name="letters-failures"),
    path("letters/notify/callback/", delivery.notify_callback, name="letters-notify-callback"),
    path("admin/outbox/", delivery.outbox, name="letters-outbox"),
    path("admin/letter-details/", manage.letter_details, name="letters-details"),
    path("admin/automatic-sends/", manage.auto_send, name="letters-auto-send"),
    path("admin/templates/", manage.template_list, name="letters-templates"),
    path("admin/templates/edit/", manage.template_edit, name="letters-template-edit"),
]
