"""An e-mail backend whose server is down, for the failure path."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("mail server down")
