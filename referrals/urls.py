from django.urls import path

from referrals.views import letters, review, selfhelp

app_name = "referrals"

review_urlpatterns = [
    path("", review.queue, name="queue"),
    path("updates/", review.queue_updates, name="queue_updates"),
    path("case/<int:intake_id>/", review.case, name="case"),
    path("case/<int:intake_id>/review/", review.review, name="review"),
    path("case/<int:intake_id>/notes/", review.review_notes, name="review_notes"),
    path("case/<int:intake_id>/reopen/", review.review_reopen, name="review_reopen"),
    path(
        "case/<int:intake_id>/follow-up/reviewed/",
        review.follow_up_reviewed,
        name="follow_up_reviewed",
    ),
    path(
        "case/<int:intake_id>/alert/acknowledge/",
        review.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("case/<int:intake_id>/contacts/", review.contact_record, name="contact_record"),
]

letter_urlpatterns = [
    path("case/<int:intake_id>/letters/", letters.case_letters, name="case_letters"),
    path(
        "case/<int:intake_id>/letters/panel/", letters.case_letters_panel, name="case_letters_panel"
    ),
    path(
        "case/<int:intake_id>/referrals/new/",
        letters.referral_drafts_create,
        name="referral_drafts_create",
    ),
    path("case/<int:intake_id>/handout/", letters.handout_issue, name="handout_issue"),
    path("case/<int:intake_id>/handout/preview/", letters.handout_preview, name="handout_preview"),
    path("referrals/<int:pk>/", letters.referral_detail, name="referral"),
    path("referrals/<int:pk>/edit/", letters.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/preview/", letters.referral_preview, name="referral_preview"),
    path("referrals/<int:pk>/sign/", letters.referral_sign, name="referral_sign"),
    path("referrals/<int:pk>/correct/", letters.referral_correct, name="referral_correct"),
    path("referrals/<int:pk>/send/", letters.referral_send, name="referral_send"),
    path("referrals/<int:pk>/status/", letters.referral_status, name="referral_status"),
    path("letters/<int:pk>/retry/", letters.letter_retry, name="letter_retry"),
    path("letters/<int:pk>/download/", letters.letter_download, name="letter_download"),
    path("letters/print.css", letters.letter_css, name="letter_css"),
]

self_help_urlpatterns = [
    path("case/<int:intake_id>/handout/send/", selfhelp.handout_send, name="handout_send"),
    path("case/<int:intake_id>/follow-up/", selfhelp.follow_up_schedule, name="follow_up"),
]

urlpatterns = review_urlpatterns + letter_urlpatterns + self_help_urlpatterns
