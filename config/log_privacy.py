"""What no log may hold: live patient-link tokens and the words staff search for.

One function, `private_urls_masked`, rewrites every URL in a log line: the token of a patient
link (`/p/<token>/`) becomes `/p/***/`, and a query string (`/desk/?q=<patient name>`) is
dropped. Django's logging (config/settings.py LOGGING) runs it on every record through
`PrivateUrlFilter`; gunicorn's access log runs it through config/gunicorn.py's logger class.
"""

from __future__ import annotations

import logging
import re

MASKED_TOKEN = "***"  # noqa: S105 - what replaces a token, not a secret
# A patient link's token: everything between /p/ and the next slash, space, quote or "?".
_PATIENT_TOKEN = re.compile(r"(/p/)[^/\s\"'?#]+")
# A query string after a path, up to the end of the URL (a space, a quote or the line's end).
_QUERY = re.compile(r"(/[^\s\"'?]*)\?[^\s\"']*")


def private_urls_masked(text: str) -> str:
    """`text` with every patient-link token masked and every query string dropped."""
    return _QUERY.sub(r"\1", _PATIENT_TOKEN.sub(rf"\1{MASKED_TOKEN}", text))


class PrivateUrlFilter(logging.Filter):
    """Rewrite the record's message (arguments included) before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = private_urls_masked(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
