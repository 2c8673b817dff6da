"""Password reset by e-mail: Django's own views and tokens, in the app's templates, recording
each request and each new password. The request page answers the same whether or not the
address belongs to anyone (Django's form e-mails only active users with a usable password)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from accounts.services import password_reset_done_record, password_reset_requested_record
from audit.request import client_ip


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict[str, str]:
        # The link is built on SITE_URL, never on the request's Host header.
        return {"site_url": settings.SITE_URL.rstrip("/"), "clinic_name": settings.CLINIC_NAME}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_requested_record(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_done_record(user=form.user, ip_address=client_ip(self.request))
        return response
