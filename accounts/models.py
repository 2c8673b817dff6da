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
