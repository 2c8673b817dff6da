"""The audit trail in the admin: read-only, with a link to the CSV export. `ReadOnlyAdmin` is
the base for every admin page that only shows records (the referrals app uses it too)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by administrators; nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is evidence: append-only in the database layer (AuditEventQuerySet) and
    read-only here. The object tools link to the CSV export for a date range."""

    change_list_template = "audit/admin_auditevent_change_list.html"
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
        return event.get_action_display()
