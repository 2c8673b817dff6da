"""Admin pages: the audit trail (read-only, with the CSV export), reviews (read-only: a review
changes through the case page and its services) and the destination directory (administrators
keep it here).
"""

from __future__ import annotations

from django.contrib import admin

from intake.audit import audit_action_label
from intake.models import AuditEvent
from referrals.admin.letters import ReadOnlyAdmin
from referrals.models import CaseReview, Destination


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is evidence: append-only in the database layer (AuditEventQuerySet) and
    read-only here. The object tools link to the CSV export for a date range."""

    change_list_template = "referrals/admin_auditevent_change_list.html"
    list_display = (
        "at",
        "actor",
        "action_label",
        "intake_id",
        "object_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("action", "at")
    date_hierarchy = "at"
    search_fields = ("=intake__id", "=object_id", "actor__username", "action")
    list_select_related = ("actor",)
    show_full_result_count = False  # a COUNT over the whole trail on every page is slow

    @admin.display(description="What", ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return audit_action_label(event.action)


@admin.register(CaseReview)
class CaseReviewAdmin(ReadOnlyAdmin):
    list_display = ("intake_id", "decision", "disposition", "state", "reviewed_by", "reviewed_at")
    list_filter = ("decision", "state", "disposition")
    list_select_related = ("reviewed_by",)
    search_fields = ("=intake__id",)


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    list_display = ("name", "destination_type", "email", "phone", "active")
    list_filter = ("destination_type", "active")
    search_fields = ("name", "email")
