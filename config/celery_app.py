"""The Celery application: web, worker and beat run the same code with the same settings.

Scaling out means starting more workers against the same broker; nothing here names a host.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("clinic")


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
        broker_url=settings.CELERY_BROKER_URL,
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


@app.task(name="config.ping", ignore_result=False)
def ping() -> str:
    """A no-op task: health checks and the test suite use it to prove a worker answers."""
    return "pong"
