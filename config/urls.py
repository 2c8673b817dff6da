from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views.sign_in import StaffLoginView
from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        StaffLoginView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    # The admin's own sign-in would skip the recorded one: every sign-in goes through ours.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
    # The audit export keeps the address it had when it was part of the review dashboard.
    path("review/audit/", include("audit.urls")),
    path("review/", include("referrals.urls")),
    path("", include("referrals.patient_urls")),
]
