"""`manage.py devserver [addrport]`: the development web server and a background worker
together, so a large report or import started from the pages is really processed. Ctrl-C
(or SIGTERM) stops both; when either stops on its own, the other is stopped too."""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

DEFAULT_ADDRPORT = "127.0.0.1:8000"
GRACE = 5  # seconds a child has to stop before it is killed


class Command(BaseCommand):
    help = "Chạy máy chủ web phát triển (runserver) cùng một tiến trình nền (worker)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT,
                            help=f"địa chỉ và cổng của máy chủ web (mặc định {DEFAULT_ADDRPORT})")
        parser.add_argument("--noreload", action="store_true",
                            help="không tự khởi động lại máy chủ web khi mã nguồn thay đổi")

    def handle(self, *, addrport, noreload, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_args = ["runserver", addrport] + (["--noreload"] if noreload else [])
        children = {
            "máy chủ web": spawn(manage + web_args),
            "tiến trình nền": spawn(manage + ["worker", "--no-startup-delay"]),
        }
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        for name, child in children.items():
            self.stdout.write(f"Đã khởi động {name} (pid {child.pid}).")
        self.stdout.write(self.style.SUCCESS(
            f"Ứng dụng ở http://{host}/ — nhấn Ctrl-C để dừng cả máy chủ web và tiến trình nền."))

        stopping = []

        def on_signal(signum, frame):
            stopping.append(signum)
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stopping:
                ended = [n for n, c in children.items() if c.poll() is not None]
                if ended:
                    self.stderr.write(f"{ended[0].capitalize()} đã dừng "
                                      f"(mã {children[ended[0]].returncode}); dừng phần còn lại.")
                    break
                time.sleep(0.2)
        finally:
            stop_all(children.values())
            for s, handler in previous.items():
                signal.signal(s, handler)
        self.stdout.write("Đã dừng máy chủ web và tiến trình nền.")


def spawn(argv):
    # Each child leads its own process group, so stopping it also stops runserver's
    # autoreloaded grandchild, and a terminal's Ctrl-C reaches only this command.
    return subprocess.Popen(argv, env=os.environ.copy(), start_new_session=True)


def stop_all(children):
    children = list(children)
    for child in children:
        signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # The group may outlive its leader (runserver's reloaded child): kill what is left.
        signal_group(child, signal.SIGKILL)
        child.wait()


def signal_group(child, signum):
    try:
        os.killpg(child.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
