#!/usr/bin/env python3
"""
Load and faults: the portal under gunicorn on PostgreSQL, loaded from loopback
for a fixed time, while one worker is killed and PostgreSQL is restarted.

    .venv/bin/python bench/load_faults.py                      # 4 phases of 10 s
    .venv/bin/python bench/load_faults.py --phase-seconds 3    # what CI runs

It makes a fresh database (migrate + load_demo), starts gunicorn with 2+
workers on 127.0.0.1, and runs a bounded load generator (threads and
http.client, new connection per request) through four phases:

  baseline      plain load;
  worker kill   one worker gets SIGKILL: the master must start another, and
                only requests in flight at that moment may fail;
  db restart    `pg_ctlcluster ... restart`: errors only while PostgreSQL is
                down, and the site recovers by itself (CONN_HEALTH_CHECKS);
  after         plain load again: no errors.

It prints a table (phase, requests, errors, p50, p99, recovered?) and exits
1 if the site did not recover, 2 if it could not be set up. Everything is
removed afterwards. It sends traffic to 127.0.0.1 only.
"""

import argparse
import contextlib
import http.client
import itertools
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only, always
MAX_REQUESTS = 1_000_000  # a hard bound on the load, whatever the duration


@dataclass
class Result:
    started: float
    duration: float
    ok: bool
    detail: str = ""


@dataclass
class Phase:
    name: str
    start: float
    end: float = 0.0
    notes: list[str] = field(default_factory=list)
    recovered: bool = True


class LoadGenerator:
    """Threads that GET the given paths round-robin until stopped; each request is recorded."""

    def __init__(self, port: int, paths: list[str], threads: int):
        self.port, self.paths, self.threads = port, paths, threads
        self.results: list[Result] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.count = 0

    def run(self, index: int) -> None:
        number = index
        while not self.stop.is_set():
            with self.lock:
                if self.count >= MAX_REQUESTS:
                    return
                self.count += 1
            path = self.paths[number % len(self.paths)]
            number += 1
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=15)
                connection.request("GET", path, headers={"Host": HOST})
                response = connection.getresponse()
                response.read()
                connection.close()
                ok, detail = response.status == 200, str(response.status)
            except (OSError, http.client.HTTPException) as error:
                ok, detail = False, type(error).__name__
            result = Result(started, time.monotonic() - started, ok, detail)
            with self.lock:
                self.results.append(result)

    def __enter__(self):
        self.workers = [
            threading.Thread(target=self.run, args=(index,), daemon=True)
            for index in range(self.threads)
        ]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=20)


def children_of(pid: int) -> set[int]:
    """The process ids whose parent is `pid` (gunicorn's workers), read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                    found.add(int(entry.name))
    return found


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def get(port: int, path: str, timeout: float = 5) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def wait_until(check, timeout: float, interval: float = 0.2) -> float | None:
    """Call `check` until it is true; return when (monotonic), or None after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return time.monotonic()
        time.sleep(interval)
    return None


def database_is_ready(dsn: str) -> bool:
    connection = psycopg2.connect(dsn, connect_timeout=2)
    with contextlib.closing(connection), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return True


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--phase-seconds", type=float, default=10.0)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("LOAD_FAULTS_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="the PostgreSQL server (no database name); a fresh database is made on it",
    )
    parser.add_argument(
        "--cluster",
        default=os.environ.get("LOAD_FAULTS_CLUSTER", ""),
        help="VERSION/NAME of that server's cluster for pg_ctlcluster (default: the only "
        "version in /etc/postgresql, cluster main)",
    )
    options = parser.parse_args()
    if options.workers < 2:
        parser.error("--workers must be 2 or more: one of them is killed")
    version, cluster = (
        options.cluster or f"{sorted(os.listdir('/etc/postgresql'))[0]}/main"
    ).split("/")
    server = options.postgres.rstrip("/")
    if not re.match(r"^postgres(ql)?://[^/]*@?(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$", server):
        parser.error("--postgres must be a server on this machine (127.0.0.1)")

    database = f"portal_load_faults_{os.getpid()}"
    admin_dsn = f"{server}/postgres"
    with tempfile.TemporaryDirectory(prefix="load-faults-") as work:
        env = {
            **os.environ,
            "DATABASE_URL": f"{server}/{database}",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_DEBUG": "0",
            "DJANGO_PLAIN_STATIC": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": f"{work}/media",
            "STATIC_ROOT": f"{work}/static",
        }
        gunicorn = None
        create_or_drop(admin_dsn, f'CREATE DATABASE "{database}"')
        try:
            print(f"Preparing the database {database} (migrate, load_demo)...", flush=True)
            manage(env, "migrate", "--no-input")
            manage(env, "load_demo")
            log = open(Path(work) / "gunicorn.log", "w")  # noqa: SIM115 - closed with the folder
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind",
                 f"{HOST}:{options.port}", "--workers", str(options.workers),
                 "--timeout", "30", "--graceful-timeout", "5"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            if wait_until(lambda: get(options.port, "/healthz")[0] == 200, timeout=60) is None:
                print("gunicorn did not answer /healthz:\n" + Path(log.name).read_text()[-3000:])
                return 2
            wait_until(lambda: len(children_of(gunicorn.pid)) == options.workers, timeout=30)
            paths = pages_to_load(options.port)
            print(f"Loading {len(paths)} pages with {options.threads} threads, "
                  f"{options.phase_seconds:g} s per phase...", flush=True)  # fmt: skip
            phases = run_phases(options, gunicorn.pid, paths, version, cluster, admin_dsn)
        except subprocess.CalledProcessError as error:
            print(f"Setup failed: {error}")
            return 2
        finally:
            if gunicorn is not None:
                gunicorn.terminate()
                try:
                    gunicorn.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    gunicorn.kill()
            wait_until(lambda: database_is_ready(admin_dsn), timeout=60)
            create_or_drop(admin_dsn, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return 0 if all(phase.recovered for phase in phases) else 1


def create_or_drop(admin_dsn: str, statement: str) -> None:
    with contextlib.closing(psycopg2.connect(admin_dsn)) as connection:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)


def pages_to_load(port: int) -> list[str]:
    """The home page, news lists (two pages, three languages), one article and /healthz."""
    _status, page = get(port, "/ru/news/")
    articles = re.findall(r'href="(/ru/news/\d{4}/\d\d/\d\d/[^"/]+/)"', page)
    return ["/ru/", "/ru/news/", "/be/news/", "/en/news/?page=2", "/healthz", *articles[:1]]


def run_phases(options, master: int, paths, version, cluster, admin_dsn) -> list[Phase]:
    seconds = options.phase_seconds
    phases: list[Phase] = []
    with LoadGenerator(options.port, paths, options.threads) as load:
        baseline = Phase("baseline", time.monotonic())
        phases.append(baseline)
        time.sleep(seconds)

        killed = Phase("worker killed", time.monotonic())
        phases.append(killed)
        time.sleep(min(1.0, seconds / 4))
        before = children_of(master)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        replaced_at = wait_until(
            lambda: len(children_of(master) - {victim}) == options.workers, timeout=seconds * 3
        )
        killed.notes.append(f"SIGKILL to worker {victim}")
        if replaced_at is None:
            killed.notes.append("the master did not start a new worker")
            killed.recovered = False
        else:
            new = sorted(children_of(master) - before)
            killed.notes.append(f"new worker {new} after {replaced_at - killed_at:.1f} s")
        time.sleep(max(0.0, killed.start + seconds - time.monotonic()))

        restart = Phase("db restart", time.monotonic())
        phases.append(restart)
        time.sleep(min(1.0, seconds / 4))
        down_at = time.monotonic()
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"]
        done = subprocess.run(command, capture_output=True, text=True)
        ready_at = wait_until(lambda: database_is_ready(admin_dsn), timeout=60) or time.monotonic()
        restart.notes.append(
            f"{' '.join(command[2:])}: down {ready_at - down_at:.1f} s"
            + ("" if done.returncode == 0 else f" (exit {done.returncode}: {done.stderr.strip()})")
        )
        time.sleep(max(0.0, restart.start + seconds - time.monotonic(), 2.0))

        after = Phase("after", time.monotonic())
        phases.append(after)
        time.sleep(seconds)
        after.end = time.monotonic()
    for phase, following in itertools.pairwise(phases):
        phase.end = following.start

    results = sorted(load.results, key=lambda result: result.started)
    judge(phases, results, killed_at, down_at, ready_at)
    print_table(phases, results)
    return phases


def in_phase(phase: Phase, results: list[Result]) -> list[Result]:
    return [result for result in results if phase.start <= result.started < phase.end]


def judge(phases, results, killed_at, down_at, ready_at, grace=1.0) -> None:
    """Decide for each phase whether the site behaved and recovered."""
    baseline, killed, restart, after = phases
    for phase in (baseline, after):
        errors = [r for r in in_phase(phase, results) if not r.ok]
        phase.recovered = not errors
    # Only requests already in flight when the worker died may fail.
    late = [r for r in in_phase(killed, results) if not r.ok and r.started > killed_at + 0.1]
    if late:
        killed.recovered = False
        killed.notes.append(f"{len(late)} errors in requests started after the kill")
    # Errors only while PostgreSQL was down (and the second it takes to reconnect).
    failed = [r for r in in_phase(restart, results) if not r.ok]
    outside = [r for r in failed if not down_at - 0.1 <= r.started <= ready_at + grace]
    restart.notes.append(f"{len(failed) - len(outside)} errors while down")
    if outside:
        restart.recovered = False
        restart.notes.append(f"{len(outside)} errors outside the outage")
    later = [r for r in in_phase(restart, results) if r.started > ready_at + grace]
    if not later or not all(r.ok for r in later):
        restart.recovered = False
    else:
        first_ok = next(r for r in results if r.started >= ready_at and r.ok)
        restart.notes.append(f"first success {first_ok.started - ready_at:+.1f} s after ready")


def print_table(phases: list[Phase], results: list[Result]) -> None:
    header = f"{'phase':<14} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p99 ms':>7}  recovered?"
    print()
    print(header)
    print("-" * len(header))
    for phase in phases:
        done = in_phase(phase, results)
        latencies = [r.duration * 1000 for r in done]
        errors = sum(not r.ok for r in done)
        print(
            f"{phase.name:<14} {len(done):>8} {errors:>6} {percentile(latencies, 0.5):>7.1f} "
            f"{percentile(latencies, 0.99):>7.1f}  {'yes' if phase.recovered else 'NO'}"
        )
    print()
    for phase in phases:
        kinds = sorted({r.detail for r in in_phase(phase, results) if not r.ok})
        notes = phase.notes + ([f"error kinds: {', '.join(kinds)}"] if kinds else [])
        if notes:
            print(f"{phase.name}: {'; '.join(notes)}")
    total = len(results)
    print(f"total: {total} requests, {sum(not r.ok for r in results)} errors")


if __name__ == "__main__":
    sys.exit(main())
