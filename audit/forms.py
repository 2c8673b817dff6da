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
        today = timezone.localdate()
        for name in ("start", "end"):
            if data.get(name) and data[name] > today:
                self.add_error(
                    name, "The trail holds nothing after today: choose today or earlier."
                )
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end date is before the start date.")
            elif (end - start).days >= MAX_EXPORT_DAYS:
                self.add_error("end", f"Export at most {MAX_EXPORT_DAYS} days at a time.")
        return data
