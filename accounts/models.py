"""What the clinic keeps about a member of staff beyond Django's user.

The table was intake's (intake_staffprofile) until intake's migration 0005 handed it over.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    """What a signed letter says about the clinician who signed it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    job_title = models.CharField(max_length=100, blank=True)
    registration_number = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class StaffInvitation(models.Model):
    """An administrator's e-mailed invitation to join the staff with one role. The link's token is
    stored hashed (the database alone cannot be used to sign up); it works once, until it
    expires (STAFF_INVITATION_HOURS)."""

    email = models.EmailField()
    role = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_invitation",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.role}"
