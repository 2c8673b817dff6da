from django.urls import path

from audit import views

app_name = "audit"

# Included by config/urls.py under /review/audit/, where the export has always been.
urlpatterns = [
    path("export/", views.export, name="export"),
]
