"""Admin pages of the red-flag alerts and the contacts with patients: read-only, for operators
(which alerts are unacknowledged, how often each was sent). Changes go through the case page."""

from __future__ import annotations

from django.contrib import admin

from audit.admin import ReadOnlyAdmin
from referrals.models import PatientContact, RedFlagAlert


@admin.register(RedFlagAlert)
class RedFlagAlertAdmin(ReadOnlyAdmin):
    list_display = ("id", "intake_id", "raised_at", "sends_done", "last_sent_at", "acknowledged_at")
    list_filter = (("acknowledged_at", admin.EmptyFieldListFilter),)
    search_fields = ("=id", "=intake__id")
    show_full_result_count = False


@admin.register(PatientContact)
class PatientContactAdmin(ReadOnlyAdmin):
    list_display = ("id", "intake_id", "contacted_at", "method", "outcome", "recorded_by")
    list_filter = ("outcome", "method")
    search_fields = ("=intake__id",)
    exclude = ("note",)  # clinical words stay on the case page
    show_full_result_count = False
