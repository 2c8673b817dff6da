from django.urls import path

from intake.views import desk, patient

app_name = "intake"

desk_urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("desk/patients/new/", desk.patient_new, name="patient_new"),
    path("desk/patients/<int:pk>/", desk.patient_detail, name="patient"),
    path("desk/patients/<int:pk>/edit/", desk.patient_edit, name="patient_edit"),
    path("desk/patients/<int:pk>/visits/", desk.visit_create, name="visit_create"),
    path("desk/visits/<int:pk>/link/", desk.link_create, name="link_create"),
    path("desk/visits/<int:pk>/tablet/", desk.tablet_start, name="tablet_start"),
    path("desk/visits/<int:pk>/revoke/", desk.link_revoke, name="link_revoke"),
    path("desk/visits/<int:pk>/reopen/", desk.intake_reopen_view, name="reopen"),
]

patient_urlpatterns = [
    path("p/<str:token>/", patient.patient_link, name="patient_link"),
    path("form/", patient.form_start, name="form_start"),
    path("form/confirm/", patient.form_confirm, name="form_confirm"),
    path("form/review/", patient.form_review, name="form_review"),
    path("form/submit/", patient.form_submit, name="form_submit"),
    path("form/done/", patient.form_done, name="form_done"),
    path("form/leave/", patient.form_leave, name="form_leave"),
    path("form/<slug:step>/", patient.form_step, name="form_step"),
    path("tablet/", patient.tablet, name="tablet"),
]

urlpatterns = desk_urlpatterns + patient_urlpatterns
