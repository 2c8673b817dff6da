from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.http import require_http_methods

from accounts.views import password_reset, sign_in, staff

app_name = "accounts"

urlpatterns = [
    path("two-factor/", sign_in.verify, name="verify"),
    path("two-factor/enrol/", sign_in.enrol, name="enrol"),
    path("staff/", staff.staff, name="staff"),
    path("staff/invite/", staff.invite, name="invite"),
    path(
        "staff/<int:pk>/second-factor/reset/",
        staff.second_factor_reset_view,
        name="second_factor_reset",
    ),
    path("staff/<int:pk>/deactivate/", staff.deactivate, name="deactivate"),
    path("invitation/<str:token>/", staff.invitation, name="invitation"),
    path("password-reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        # Django's view redirects a valid link before it looks at the method.
        require_http_methods(["GET", "POST"])(password_reset.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
