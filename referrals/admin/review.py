"""Admin pages: reviews (read-only: a review changes through the case page and its services)
and the destination directory (administrators keep it here). The audit trail's page is in
audit/admin.py.
"""

from __future__ import annotations

from django.contrib import admin

from audit.admin import ClinicalRecordAdmin
from referrals.models import CaseReview, Destination


@admin.register(CaseReview)
class CaseReviewAdmin(ClinicalRecordAdmin):
    list_display = ("intake_id", "decision", "disposition", "state", "reviewed_by", "reviewed_at")
    list_filter = ("decision", "state", "disposition")
    list_select_related = ("reviewed_by",)
    search_fields = ("=intake__id",)


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    list_display = ("name", "destination_type", "email", "phone", "active")
    list_filter = ("destination_type", "active")
    search_fields = ("name", "email")
