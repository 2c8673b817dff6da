"""The patient's self-help pages (namespace `selfhelp`), at the site's root like the pre-visit
form's: a link trades its token for a session, the pages read the session."""

from django.urls import path

from referrals.views import patient

app_name = "selfhelp"

urlpatterns = [
    path("s/<str:token>/", patient.patient_link, name="link"),
    path("self-help/", patient.handout, name="handout"),
    path("self-help/handout.pdf", patient.handout_download, name="handout_download"),
    path("follow-up/", patient.follow_up, name="follow_up"),
]
