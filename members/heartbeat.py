"""Is a background worker running? `manage.py worker` says so every BEAT seconds
(`Heartbeat`); the job pages and /healthz ask `worker_alive`, so a job queued while no worker
runs says why it does not move instead of sitting at 0 %."""
import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from members.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

BEAT = 15  # seconds between two heartbeats of one worker
ALIVE_WITHIN = timedelta(seconds=60)  # four beats missed: the worker is gone
FORGET_AFTER = timedelta(days=1)  # rows left by killed workers


def worker_alive(within: timedelta = ALIVE_WITHIN) -> bool:
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - within).exists()


class Heartbeat:
    """The heartbeat of this process: `start()` writes it at once, then a daemon thread
    touches it every `interval` seconds until `stop()`, which deletes the row."""

    def __init__(self, *, interval: float = BEAT, hostname: str | None = None,
                 pid: int | None = None):
        self.interval = interval
        self.hostname = (hostname or socket.gethostname())[:255]
        self.pid = os.getpid() if pid is None else pid
        self.started_at = timezone.now()
        self._stopping = threading.Event()
        self._thread = None

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            hostname=self.hostname, pid=self.pid,
            defaults={"seen_at": now}, create_defaults={"seen_at": now,
                                                        "started_at": self.started_at})
        WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()

    def start(self) -> None:
        # The first beat in the caller's thread: the worker is visible before it takes a job.
        self.beat()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        WorkerHeartbeat.objects.filter(hostname=self.hostname, pid=self.pid).delete()

    def _run(self) -> None:
        try:
            while not self._stopping.wait(self.interval):
                close_old_connections()
                try:
                    self.beat()
                except Exception:
                    # A database hiccup must not stop the worker: the next beat tries again,
                    # and four missed beats make the pages say so.
                    logger.warning("Heartbeat not written", exc_info=True)
                    connection.close()
        finally:
            connection.close()
