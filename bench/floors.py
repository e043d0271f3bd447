#!/usr/bin/env python3
"""
Where the uncached article's time goes (issue 7): the article page against the
bare view and against views that do only part of its work, under the load
bench/run.py uses, with the page cache off.

    .venv/bin/python bench/floors.py                  # 10 s a line
    .venv/bin/python bench/floors.py --duration 3     # a quick look

On a throwaway PostgreSQL database with the demo content (an article's work
does not depend on how many items there are: bench/run.py shows it), gunicorn
serves bench/floors_app.py, the portal plus those views, with 2 workers. Each
line is loaded with wrk and followed by the bare view; the lines are compared
with the median of those loads. It prints requests/s and the share of the bare
view's, and exits 0 whatever the numbers (2 if it could not run).
"""

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2

# bench/ is the script's own folder
from run import get, gunicorn, manage, run_wrk, server_environment, settle, sql

ARTICLE = re.compile(r'href="/(ru/news/\d{4}/\d\d/\d\d/[^"/]+/)"')
WARM_UP_REQUESTS = 200

BARE = "/bench/bare/"  # a fixed 20 KB page, no database, no template
# (line, what it does, path: {article} is the article's path without the leading /)
LINES = [
    ("row", "one SQL query for the article's row; its page as first rendered", None),
    ("unrendered", "the article's view through the ORM; its page as first rendered", None),
    ("rendered", "the article's templates from a context made once", None),
    ("article", "the article page as readers get it without the page cache", "/{article}"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load a line")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    options = parser.parse_args()
    server = options.postgres.rstrip("/")
    if not re.match(r"^postgres(ql)?://[^/]*@?(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$", server):
        parser.error("--postgres must be a server on this machine (127.0.0.1)")

    database = f"portal_floors_{os.getpid()}"
    admin_dsn, dsn = f"{server}/postgres", f"{server}/{database}"
    with tempfile.TemporaryDirectory(prefix="portal-floors-") as work:
        prefix = f"floors-{os.getpid()}-{secrets.token_hex(4)}"
        env = {
            **server_environment(dsn, options.redis, prefix, work),
            "PORTAL_PAGE_CACHE_SECONDS": "0",
        }
        log = Path(work) / "gunicorn.log"
        sql(admin_dsn, f'CREATE DATABASE "{database}"')
        try:
            for command in (
                ("migrate", "--no-input"),
                ("load_demo",),
                ("collectstatic", "--no-input"),
            ):
                manage(env, *command)
            return measure(options, env, dsn, log)
        except (subprocess.CalledProcessError, RuntimeError, ValueError, psycopg2.Error) as error:
            print(f"The bench failed: {error}")
            return 2
        finally:
            sql(admin_dsn, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def measure(options, env: dict, dsn: str, log: Path) -> int:
    with gunicorn(env, options.workers, log, app="bench.floors_app") as (_server, port):
        match = ARTICLE.search(get(port, "/ru/news/")[1].decode())
        if match is None:
            raise RuntimeError("the news list links to no article")
        article = match.group(1)
        paths = {
            name: path.format(article=article) if path else f"/bench/floor/{name}/{article}"
            for name, _what, path in LINES
        }
        for path in [BARE, *paths.values()]:
            for _ in range(WARM_UP_REQUESTS // len(LINES)):
                status, _body = get(port, path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
        rates, bare_rates = {}, []
        for name, path in paths.items():
            page, bare = (load(port, loaded, options, dsn) for loaded in (path, BARE))
            rates[name] = page.rps
            bare_rates.append(bare.rps)
    bare = statistics.median(bare_rates)
    print(
        f"\nThe article /{article}, page cache off; gunicorn with {options.workers} workers; "
        f"wrk -t{options.threads} -c{options.connections}; {options.duration:g} s a line."
    )
    print(f"{'line':<11} {'req/s':>6} {'× bare':>6}  what it does")
    print(f"{'bare':<11} {bare:>6.0f} {1:>6.0%}  a fixed 20 KB page, no database, no template")
    for name, what, _path in LINES:
        print(f"{name:<11} {rates[name]:>6.0f} {rates[name] / bare:>6.0%}  {what}")
    print(
        f"(bare: the median of {len(bare_rates)} loads, "
        f"{min(bare_rates):,.0f} to {max(bare_rates):,.0f} req/s, one after each line)"
    )
    return 0


def load(port: int, path: str, options, dsn: str):
    result = run_wrk(port, path, options.duration, options.threads, options.connections)
    if result.errors:
        raise RuntimeError(f"{path}: {result.errors} errors")
    settle(port, dsn)
    return result


if __name__ == "__main__":
    sys.exit(main())
