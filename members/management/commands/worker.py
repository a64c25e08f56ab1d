"""`manage.py worker`: django-tasks-db's `db_worker` (same options: --batch, --max-tasks,
--queue-name…) that also writes a heartbeat (`members.heartbeat`) while it runs, so the job
pages and /healthz know whether anyone will pick the queued work up."""
from django_tasks_db.management.commands import db_worker

from members.heartbeat import Heartbeat


class Command(db_worker.Command):
    help = ("Chạy các việc nền (báo cáo lớn, nhập tệp lớn) và báo hoạt động mỗi 15 giây. "
            "Các tuỳ chọn như db_worker.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # db_worker reloads on code changes when DEBUG is on, in a child process that the
        # parent does not stop on SIGTERM; one process is what devserver and systemd expect.
        parser.set_defaults(reload=False)

    def handle(self, *args, **options):
        heartbeat = Heartbeat()
        heartbeat.start()
        try:
            # db_worker leaves by SystemExit on SIGINT/SIGTERM: the row goes either way.
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
