from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
    # The audit export keeps the address it had when it was part of the review dashboard.
    path("review/audit/", include("audit.urls")),
    path("review/", include("referrals.urls")),
    path("", include("referrals.patient_urls")),
]
