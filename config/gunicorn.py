"""Gunicorn's configuration, used by the Dockerfile and docker-compose.yml
(`gunicorn -c config/gunicorn.py config.wsgi`).

Every value can be overridden on the command line; the environment sets the usual ones.
The access and error logs pass through the same masking as Django's logging
(config/log_privacy.py): no patient-link token and no staff search words reach them.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger

from config.log_privacy import PrivateUrlFilter

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A worker that stops answering (a hung database) is replaced after this many seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
errorlog = "-"


class PrivateUrlLogger(Logger):
    """Gunicorn's logger with the masking filter on its access and error logs."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's Config
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, PrivateUrlFilter) for f in log.filters):
                log.addFilter(PrivateUrlFilter())


logger_class = PrivateUrlLogger
