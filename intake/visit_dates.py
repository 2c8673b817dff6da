"""The window of visit dates the clinic accepts, at the desk and from `import_history`.

A visit date outside it is a typing slip (0001-01-01, 9999-12-31), not a visit: such a date
would sort every queue wrongly and overflow date arithmetic. The window: from ten years back
(histories imported from the clinic's older records) to two years ahead (the longest a clinic
books ahead). The desk refuses past dates on top of this: it books visits, it does not record them.
"""

from __future__ import annotations

import datetime as dt

YEARS_BACK = 10
YEARS_AHEAD = 2


def visit_date_window(*, today: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest visit dates accepted, both inclusive."""
    return _years_from(today, -YEARS_BACK), _years_from(today, YEARS_AHEAD)


def visit_date_refusal(visit_date: dt.date, *, today: dt.date) -> str:
    """Why `visit_date` is refused, in words for staff; empty when it is inside the window."""
    earliest, latest = visit_date_window(today=today)
    if earliest <= visit_date <= latest:
        return ""
    return (
        f"The visit date {visit_date.isoformat()} is outside the dates the clinic accepts "
        f"({earliest:%Y-%m-%d} to {latest:%Y-%m-%d})."
    )


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
