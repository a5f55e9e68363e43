"""Services a test starts, breaks and stops itself, never the machine's shared ones.

Each binds 127.0.0.1 only, on a free port, keeps its files in a temporary folder, and is
stopped (killed if it does not listen) however the test ends:

- `ThrowawayRedis`: a redis-server without persistence, the broker a test may stop;
- `ThrowawayPostgres`: a PostgreSQL cluster made by initdb, which a test may restart;
- `SmtpSink`: an SMTP server that counts what each recipient received, and may go down;
- `Process`: a program of the project (celery worker or beat, gunicorn) in its own
  process group, configured by its environment like production, with its output kept in
  a log file that a failing test shows.

The `throwaway_redis` fixture points this process's Celery app at a throwaway broker.
"""

import collections
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import kombu.pools
import pytest
import redis

from integration.celery import app
from tests.conftest import skip_or_fail

WAIT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll CONDITION until it is true; fail the test with WHAT after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} : toujours pas au bout de {timeout:.0f} s")
        time.sleep(interval)


def drop_connection_pool():
    """Connections and producers made earlier (or for another URL, or to a dead server)
    must not be reused."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


# --- Redis -------------------------------------------------------------------------------


class ThrowawayRedis:
    """A redis-server that keeps nothing: started again, it is empty, as after a crash."""

    def __init__(self, binary: str):
        self.binary, self.port, self.process = binary, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until(self._answers, WAIT_SECONDS, f"redis-server sur le port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"redis-server s'est arrêté au démarrage sur le port {self.port}")
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return client.ping()
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def throwaway_redis(settings, monkeypatch):
    """A throwaway broker, running, that this process's Celery app publishes to."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server est introuvable : pas de courtier jetable pour ce test")
    server = ThrowawayRedis(binary)
    server.start()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    # Celery prefers the environment variable to its configuration: override both.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    settings.CELERY_BROKER_URL = server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    drop_connection_pool()
    app.conf.broker_url = server.url
    app.conf.task_always_eager = False
    try:
        yield server
    finally:
        server.stop()
        drop_connection_pool()
        for key, value in saved.items():
            app.conf[key] = value


# --- PostgreSQL --------------------------------------------------------------------------


def _postgresql_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (initdb in a temporary folder), trusting local users.

    PostgreSQL refuses to run as root: as root, its programs run as the postgres user.
    """

    def __init__(self):
        self.bin = _postgresql_bin()
        if self.bin is None:
            skip_or_fail("PostgreSQL (initdb) est introuvable : pas de grappe jetable")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-exercice-"))
        self.data = self.dir / "data"
        # The server's output goes there, never to a pipe the test would wait on.
        self.log = str(self.dir / "postgresql.log")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def _ctl(self, *argv: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "30", *argv)

    def _run(self, *argv: str, timeout: float = 60) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode:
            pytest.fail(f"{' '.join(argv[:2])} a échoué :\n{result.stdout}\n{result.stderr}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off"
        )
        self._ctl("-l", self.log, "-o", options, "start")

    def restart(self) -> None:
        """A fast restart: every open connection is cut, as in a failover or an upgrade."""
        self._ctl("-l", self.log, "-m", "fast", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# --- SMTP --------------------------------------------------------------------------------


class _Mailbox:
    """aiosmtpd's handler: counts the messages each recipient received."""

    def __init__(self):
        self.received: collections.Counter = collections.Counter()
        self.subjects: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.received.update(envelope.rcpt_tos)
            content = envelope.content.decode("utf-8", "replace")
            lines = content.splitlines()
            subject = next((line for line in lines if line.startswith("Subject:")), "")
            self.subjects.append(subject)
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server on loopback that keeps count of what it received, across its outages."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = _Mailbox()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received(self) -> dict[str, int]:
        with self.mailbox.lock:
            return dict(self.mailbox.received)


# --- Programs ----------------------------------------------------------------------------


class Process:
    """A program in its own process group, its output (stdout and stderr) in LOG."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path, cwd: Path):
        self.name, self.argv, self.env, self.log, self.cwd = name, argv, env, log, cwd
        self.popen = None

    def start(self, ready: str | None = None, timeout: float = 60) -> "Process":
        """Start it; with READY, wait until that text appears in its output."""
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own group: a kill reaches its children too
            )
        if ready:
            wait_until(lambda: self._ready(ready), timeout, f"{self.name} prêt")
        return self

    def _ready(self, text: str) -> bool:
        if self.popen.poll() is not None:
            pytest.fail(f"{self.name} s'est arrêté au démarrage :\n{self.output()}")
        return text in self.output()

    def output(self, last: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-last:] if self.log.exists() else ""

    def children(self) -> list[int]:
        """The process ids of its direct children (a worker's pool processes)."""
        path = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL to the whole group at once, as a host or container dies."""
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL when it does not end in time."""
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(ProcessLookupError):  # children that outlived their parent
            os.killpg(self.popen.pid, signal.SIGKILL)
