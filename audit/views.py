"""The administrators' CSV export of the audit trail (linked from the queue and the admin)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import administrator_required
from audit.forms import AuditExportForm
from audit.request import client_ip
from audit.selectors import audit_csv_lines, audit_events_between
from audit.services import audit_export_record


@never_cache
@require_GET
@administrator_required
def export(request: HttpRequest) -> HttpResponse:
    """Administrators export the audit trail of a date range as CSV (the form when no range)."""
    form = AuditExportForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "audit/export.html",
            {"form": form},
            status=400 if form.is_bound else 200,
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    audit_export_record(start=start, end=end, actor=request.user, ip_address=client_ip(request))
    response = StreamingHttpResponse(
        audit_csv_lines(audit_events_between(start=start, end=end)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{start}-to-{end}.csv"'
    return response
