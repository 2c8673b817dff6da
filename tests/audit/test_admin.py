"""The trail's admin page: read-only, searchable, linked to the CSV export."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_trail_read_only(admin_client_, event) -> None:
    changelist = admin_client_.get("/admin/audit/auditevent/")
    detail = admin_client_.get(f"/admin/audit/auditevent/{event.pk}/change/")

    assert changelist.status_code == 200
    assert "Viewed the case" in changelist.content.decode()
    assert "Export a date range as CSV" in changelist.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/audit/auditevent/add/"),
        ("post", "/admin/audit/auditevent/{pk}/change/"),
        ("get", "/admin/audit/auditevent/{pk}/delete/"),
        ("post", "/admin/audit/auditevent/{pk}/delete/"),
    ],
)
def test_the_admin_refuses_to_add_change_or_delete_events(
    admin_client_, event, method: str, url: str
) -> None:
    response = getattr(admin_client_, method)(
        url.format(pk=event.pk), {"detail": "x", "post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_the_admin_offers_no_bulk_delete_action(rf, administrator) -> None:
    request = rf.get("/admin/audit/auditevent/")
    request.user = administrator

    assert "delete_selected" not in site._registry[AuditEvent].get_actions(request)


@pytest.mark.parametrize("query", ["abc", "42", "case.viewed"])
def test_the_admin_search_takes_any_text(admin_client_, event, query: str) -> None:
    assert admin_client_.get("/admin/audit/auditevent/", {"q": query}).status_code == 200
