"""The export's form: it validates a date range and returns it; the view and services act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

MAX_EXPORT_DAYS = 366


class AuditExportForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="To (inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # A date far in the future holds no events and overflows the range's arithmetic
        # (9999-12-31 plus one day): refused with a message, never a 500.
        latest = timezone.localdate() + dt.timedelta(days=MAX_EXPORT_DAYS)
        for name in ("start", "end"):
            if data.get(name) and data[name] > latest:
                self.add_error(
                    name, f"Choose a date up to {latest:%Y-%m-%d}: the trail holds nothing later."
                )
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end date is before the start date.")
            elif (end - start).days >= MAX_EXPORT_DAYS:
                self.add_error("end", f"Export at most {MAX_EXPORT_DAYS} days at a time.")
        return data
