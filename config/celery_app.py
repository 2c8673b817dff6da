"""The Celery application: web, worker and beat run the same code with the same settings.

Scaling out means starting more workers against the same broker; nothing here names a host.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("clinic")
logger = logging.getLogger(__name__)


def broker_url(url: str) -> str:
    """The broker URL Kombu is given. A filesystem URL without a host (`filesystem://`) makes
    Kombu warn "No hostname was supplied" on every connection (start-up, each publish); the
    transport ignores the host, so name the one Kombu would fall back to anyway."""
    parts = urlsplit(url)
    if parts.scheme == "filesystem" and not parts.hostname:
        return "filesystem://localhost/"
    return url


def filesystem_transport_options(folder: Path) -> dict[str, object]:
    """Kombu's filesystem transport: a broker that needs no server, for one machine."""
    queue_dir, processed_dir, control_dir = (
        folder / "queue",
        folder / "processed",
        folder / "control",
    )
    for path in (queue_dir, processed_dir, control_dir):
        path.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "processed_folder": str(processed_dir),
        "control_folder": str(control_dir),
        "store_processed": False,
    }


def _broker_transport_options() -> dict[str, object]:
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        return filesystem_transport_options(settings.BROKER_DIR)
    # Redis redelivers an unacknowledged task after the visibility timeout: it must be longer
    # than the hard time limit, or a long render would run twice at once.
    if settings.CELERY_VISIBILITY_TIMEOUT <= settings.CELERY_TASK_TIME_LIMIT:
        raise RuntimeError(
            "CELERY_VISIBILITY_TIMEOUT must be greater than CELERY_TASK_TIME_LIMIT "
            f"({settings.CELERY_VISIBILITY_TIMEOUT} <= {settings.CELERY_TASK_TIME_LIMIT})."
        )
    return {"visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT}


def configure(celery: Celery) -> None:
    """Apply the Django settings to the Celery app (also used by tests that re-point the broker)."""
    celery.conf.update(
        broker_url=broker_url(settings.CELERY_BROKER_URL),
        # None unless CELERY_RESULT_BACKEND names one: nothing reads results, and publishing a
        # task that keeps its result waits on the backend first (config/settings.py).
        result_backend=settings.CELERY_RESULT_BACKEND,
        task_ignore_result=True,
        broker_transport_options=_broker_transport_options(),
        broker_connection_retry_on_startup=True,
        # Ids only cross the broker, as JSON: no pickled objects, no patient data.
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=3600,
        task_soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
        task_time_limit=settings.CELERY_TASK_TIME_LIMIT,
        worker_max_tasks_per_child=settings.CELERY_WORKER_MAX_TASKS_PER_CHILD,
        worker_max_memory_per_child=settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        # A pool process has this long to start, warm-up included (_warm_up_and_freeze).
        worker_proc_alive_timeout=30,
        beat_schedule_filename=str(settings.VAR_DIR / "celerybeat-schedule"),
        timezone=settings.TIME_ZONE,
        beat_schedule=getattr(settings, "CELERY_BEAT_SCHEDULE", {}),
    )


@app.on_configure.connect
def _configure_from_django(sender: Celery, **_kwargs: object) -> None:
    # Settings are read when Celery first needs its configuration, not at import, so importing
    # config/ never forces Django's settings to load half-way through their own import.
    configure(sender)


app.autodiscover_tasks()


def pdf_warm_up() -> None:
    """Load what every letter needs before the first one: WeasyPrint's fonts, the print
    stylesheet and the letter templates, by rendering a one-line PDF through the one PDF path."""
    from django.template.loader import get_template

    from referrals.pdf import PRINT_CSS_TEMPLATE, html_to_pdf

    get_template(PRINT_CSS_TEMPLATE)
    templates = settings.BASE_DIR / "templates"
    for template in (templates / "pdf").rglob("*.html"):
        get_template(template.relative_to(templates).as_posix())
    html_to_pdf("<p>Warm-up: fonts, stylesheet and layout loaded once per process.</p>")


@worker_process_init.connect
def _warm_up_and_freeze(**_kwargs: object) -> None:
    # Rendering allocates many short-lived objects, so the cyclic collector runs a full
    # collection about every 100 ms of rendering and walks every long-lived object each time
    # (Django, WeasyPrint, fonts). Frozen objects are skipped: measured, mean render CPU fell by
    # 13-25 % and its p95 by 40-45 %, with byte-identical PDFs. Warm up first, so what the first
    # letter would load is frozen too. Runs in each pool process, including replacements.
    try:
        pdf_warm_up()
    except Exception:
        # A broken warm-up must not stop the pool: the first letter reports the real fault.
        logger.exception("PDF warm-up failed in pool process %d", os.getpid())
    gc.collect()
    gc.freeze()
    logger.info(
        "Pool process %d warmed up; %d objects frozen out of garbage collection.",
        os.getpid(),
        gc.get_freeze_count(),
    )


@app.task(name="config.ping", ignore_result=False)
def ping() -> str:
    """A no-op task: health checks and the test suite use it to prove a worker answers."""
    return "pong"
