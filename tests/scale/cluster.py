"""Two app servers (gunicorn) and two task workers (`manage.py worker`) on loopback, all on
one PostgreSQL database and one Redis database, started and stopped as the deployment runs
them (deploy/phattrien-web.service, deploy/phattrien-worker.service)."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .browser import Browser

STARTUP_SECONDS = 90  # four Django processes importing at once on a small CI machine
STOP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(db: dict) -> str:
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(db['NAME'], safe='')}"


def wait_for(predicate, seconds: float, step: float = 0.1):
    """The predicate's first true value within `seconds`, or its last false one."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, signum) -> None:
        # Each process leads its own group: gunicorn's workers go with their master.
        try:
            os.killpg(self.popen.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


@dataclass
class Cluster:
    env: dict
    cwd: Path  # the project: where manage.py and config/ are
    directory: Path  # where the processes' output goes
    servers: dict[str, int] = field(default_factory=dict)  # name → port
    workers: list[str] = field(default_factory=list)  # worker ids
    processes: list[Process] = field(default_factory=list)

    def _spawn(self, name: str, argv: list[str]) -> Process:
        log = self.directory / f"{name}.log"
        with open(log, "w") as out:
            popen = subprocess.Popen(argv, env=self.env, cwd=self.cwd, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_server(self, name: str, *, workers: int = 2) -> int:
        port = free_port()
        self._spawn(f"web-{name}", [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers),
            "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
            "--access-logfile", "-"])
        self.servers[name] = port
        return port

    def start_worker(self, worker_id: str) -> None:
        self._spawn(f"worker-{worker_id}", [
            sys.executable, "manage.py", "worker", "--worker-id", worker_id,
            "--no-startup-delay", "--interval", "0.2"])
        self.workers.append(worker_id)

    def worker_logs(self) -> dict[str, str]:
        return {p.name: p.output() for p in self.processes if p.name.startswith("worker-")}

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} (exit {p.popen.poll()})\n{p.output()[-3000:]}"
                         for p in self.processes)

    def healthz(self, port: int) -> tuple[int, dict]:
        try:
            response = Browser().get(port, "/healthz")
            return response.status, json.loads(response.body)
        except (OSError, ValueError):
            return 0, {}

    def wait_until_ready(self) -> None:
        """Every server answers /healthz and every worker has started, or AssertionError
        with the processes' output."""
        def ready():
            if any(p.popen.poll() is not None for p in self.processes):
                raise AssertionError(f"a process stopped while starting:\n{self.logs()}")
            servers_up = all(self.healthz(port)[0] == 200 for port in self.servers.values())
            logs = self.worker_logs().values()
            return servers_up and all("Starting worker" in text for text in logs)
        if not wait_for(ready, STARTUP_SECONDS, step=0.25):
            raise AssertionError(f"not ready in {STARTUP_SECONDS} s:\n{self.logs()}")

    def stop(self) -> None:
        """SIGTERM to every process (a worker finishes its job, gunicorn its requests), then
        SIGKILL to whatever is left after STOP_SECONDS."""
        for process in self.processes:
            process.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            process.signal(signal.SIGKILL)
            process.popen.wait()
