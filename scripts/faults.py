#!/usr/bin/env python3
"""Fault drill: the database goes away under load and comes back; the portal must follow by itself.

    make faults            (or: .venv/bin/python scripts/faults.py)

It never touches the machine's own PostgreSQL server: it creates a throwaway cluster (initdb) in
a temporary folder on a free port, migrates a database there, starts gunicorn against it (the
production settings: DEBUG off, collected static files) and drives requests from a few threads at
127.0.0.1 only, for a bounded time. Then it stops the cluster for a few seconds and starts it again.

It passes when: no request ever answers 500 or hangs past the timeout; during the outage pages
answer 503; and from RECOVERY_GRACE seconds after the restart every request answers 200 again,
with no restart of gunicorn. It prints the figures and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import collections
import glob
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
# A returning visitor's (unknown) session cookie: loading it reads the session cache, i.e. the database.
PATHS = [("/readyz", {}), ("/", {"Cookie": "sessionid=0123456789abcdefghijklmnopqrstuv"})]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("faults: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return Path(found[-1]).parent


class Cluster:
    """A private PostgreSQL cluster: its own data folder, socket folder and port."""

    def __init__(self, folder: Path, port: int):
        self.bin = pg_bin()
        self.data = folder / "data"
        self.folder = folder
        self.port = port
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)  # noqa: S603

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "postgres.log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}?connect_timeout=2"


class Load:
    """Threads sending GETs in a loop until told to stop; every answer is kept with its time."""

    def __init__(self, port: int, threads: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.results: list[tuple[float, str, int | str, float]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(threads)]

    def _loop(self, index: int) -> None:
        n = index
        while not self.stopping.is_set():
            path, headers = PATHS[n % len(PATHS)]
            n += 1
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
                response = conn.getresponse()
                response.read()
                outcome: int | str = response.status
            except TimeoutError:
                outcome = "timeout"
            except OSError as exc:
                outcome = type(exc).__name__
            finally:
                conn.close()
            with self.lock:
                self.results.append((started, path, outcome, time.monotonic() - started))
            time.sleep(0.02)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.timeout + 5)


def wait_http(port: int, path: str, want: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == want:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def summarise(results, start: float, end: float) -> collections.Counter:
    return collections.Counter(outcome for t, _, outcome, _ in results if start <= t < end)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before the outage")
    parser.add_argument("--outage", type=float, default=5, help="seconds the database is down")
    parser.add_argument("--after", type=float, default=8, help="seconds of load after the restart")
    parser.add_argument("--recovery-grace", type=float, default=3, help="seconds allowed to recover")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=10, help="a request slower than this is a hang")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ebok-faults-"))
    os.chmod(folder, 0o755)  # noqa: S103 (the postgres user must reach its socket folder)
    cluster = Cluster(folder, free_port())
    app_port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "EBOK_TESTING", "REDIS_URL")}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "faults-drill-only-" + os.urandom(24).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": cluster.url("ebok_faults"),
            "STATIC_ROOT": str(folder / "static"),
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback: no TLS proxy in this drill
            "LOG_LEVEL": "ERROR",
            # Production refuses a disabled CAPTCHA; the drill never shows the form to Google.
            "RECAPTCHA_DISABLED": "0",
            "RECAPTCHA_PUBLIC_KEY": "faults-drill-public",
            "RECAPTCHA_PRIVATE_KEY": "faults-drill-private",
        }
    )
    gunicorn = None
    load = None
    try:
        print(f"faults: throwaway PostgreSQL cluster in {folder} on port {cluster.port}")
        cluster.init()
        cluster.start()
        cluster._run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "ebok_faults")
        for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
        gunicorn = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "ebok.wsgi", "-b", f"127.0.0.1:{app_port}", "-w", "2", "-t", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
        )
        if not wait_http(app_port, "/readyz", 200, 30):
            print("faults: gunicorn did not become ready", file=sys.stderr)
            return 1
        print(f"faults: gunicorn on 127.0.0.1:{app_port}, {args.threads} threads of requests to / and /readyz")

        load = Load(app_port, args.threads, args.timeout)
        t0 = time.monotonic()
        load.start()
        time.sleep(args.warmup)
        t_down = time.monotonic()
        cluster.stop()
        print(f"faults: database stopped at +{t_down - t0:.1f} s")
        time.sleep(args.outage)
        t_up = time.monotonic()
        cluster.start()
        print(f"faults: database started at +{t_up - t0:.1f} s")
        time.sleep(args.after)
        load.stop()
        t_end = time.monotonic()

        results = load.results
        # A request still in flight when the database stops belongs to the outage, so "before"
        # counts only answers that came back before the stop.
        before = collections.Counter(o for t, _, o, d in results if t + d < t_down)
        during = collections.Counter(o for t, _, o, d in results if t + d >= t_down and t < t_up)
        recovering = summarise(results, t_up, t_up + args.recovery_grace)
        after = summarise(results, t_up + args.recovery_grace, t_end)
        slowest = max((d for *_, d in results), default=0)
        first_ok = min((t for t, p, o, _ in results if t >= t_up and p == "/readyz" and o == 200), default=None)

        print(f"faults: {len(results)} requests, slowest {slowest:.2f} s")
        for name, counts in (("before", before), ("outage", during), ("restart", recovering), ("after", after)):
            print(f"  {name:8} {dict(sorted(counts.items(), key=str))}")
        if first_ok is not None:
            print(f"faults: first /readyz 200 {first_ok - t_up:.2f} s after the database started")

        failures = []
        every = summarise(results, t0, t_end)
        if every.get(500):
            failures.append(f"{every[500]} answers were 500")
        hangs = sum(n for outcome, n in every.items() if not isinstance(outcome, int))
        if hangs:
            failures.append(f"{hangs} requests timed out or lost the connection")
        if set(before) != {200}:
            failures.append("errors before the outage")
        if not during.get(503):
            failures.append("no 503 during the outage")
        errors_after = sum(n for outcome, n in after.items() if outcome != 200)
        print(f"faults: errors after recovery: {errors_after} of {sum(after.values())}")
        if errors_after or not after:
            failures.append(f"{errors_after} errors after recovery")
        if gunicorn.poll() is not None:
            failures.append("gunicorn died")
        for failure in failures:
            print(f"faults: FAIL {failure}", file=sys.stderr)
        print("faults: OK" if not failures else "faults: FAILED")
        return 1 if failures else 0
    finally:
        if load is not None:
            load.stop()
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
