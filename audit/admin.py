"""The audit trail in the admin: read-only, with a link to the CSV export. `ReadOnlyAdmin` is
the base for every admin page that only shows records (the referrals app uses it too)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from audit.models import AuditEvent
from audit.request import client_ip
from audit.services import admin_view_record


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by administrators; nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ClinicalRecordAdmin(ReadOnlyAdmin):
    """A read-only page of a clinical record (a review, a referral, a letter): each opening of
    a record's page is a read of health data, so it is in the trail (audit.services)."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            admin_view_record(actor=request.user, obj=obj, ip_address=client_ip(request))
        return response


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
