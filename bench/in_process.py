#!/usr/bin/env python3
"""
What `make bench` measures inside Django rather than over HTTP: bench/run.py
runs this with the server's own environment (database, cache, settings).

    python bench/in_process.py queries --output out.json
    python bench/in_process.py search --requests 200 --output out.json
    python bench/in_process.py timings --requests 50 --output out.json

`queries` finds the pages the bench loads (home, list, the newest article, its
section, a search and the RSS feed) and counts the SQL queries of a second
request to each: the steady state of a worker, whose first request also loads
translations and the like. With PORTAL_PAGE_CACHE_SECONDS=0 that is the page's
own count; with the page cache on, what a cached page costs.

`search` times one-word searches for common words of the generated news (the
page cache should be off), after one untimed request per word.

`timings` times those pages and the ones whose speed must not depend on how
many items there are (the list's last page, a year and a month of the archive),
the bare view, and a database round trip (`SELECT 1`): the median of
--requests requests each, after one untimed request, in all and in the
database alone (the time its queries took to answer, rows included).
bench/run.py runs it at 100 items and again at --count, with the page cache off.

The result is written as JSON to --output: the log goes to stdout.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# Words the Russian phrases of news/management/commands/generate_news.py use
# often (search looks in the page's language); the first is the one the load
# generator searches for.
SEARCH_WORDS = [
    "ремонт", "строительство", "проверку", "конкурс", "школы", "дорог", "сада", "парка",
    "освещения", "Лепеле", "больница", "библиотека", "бюджета", "подрядчиком", "ветераны",
    "безопасности", "жителей", "итоги", "план", "заявок",
]  # fmt: skip
ARTICLE = re.compile(r'href="(/ru/news/\d{4}/\d\d/\d\d/[^"/]+/)"')
SECTION = re.compile(r'href="(/ru/news/category/[^"/]+/)"')
RESULT = re.compile(r'href="/\w\w/news/\d{4}/\d\d/\d\d/[^"/]+/"')
YEAR = re.compile(r'href="(/ru/news/archive/\d{4}/)"')
MONTH = re.compile(r'href="(/ru/news/archive/\d{4}/\d\d/)"')
PAGE_NUMBER = re.compile(r'href="\?page=(\d+)"')


def pages(client: Client) -> dict[str, str]:
    """The paths the bench loads, found on the news list."""
    listing = client.get("/ru/news/").content.decode()
    article, section = ARTICLE.search(listing), SECTION.search(listing)
    if not (article and section):
        sys.exit("The news list links to no article or no section.")
    return {
        "home": "/ru/",
        "list": "/ru/news/",
        "detail": article.group(1),
        "category": section.group(1),
        "search": f"/ru/news/search/?q={quote(SEARCH_WORDS[0])}",
        "feed": "/ru/news/feed/rss/",
    }


def timed_pages(client: Client) -> dict[str, str]:
    """
    `pages()`, then the list's middle and last pages, the newest year and month of
    the archive. The middle page is the farthest from both ends of the index,
    from which pages are picked (`news.views.IndexPaginator`): the slowest.
    """
    found = pages(client)
    listing = client.get(found["list"]).content.decode()
    last_page = max(map(int, PAGE_NUMBER.findall(listing)), default=1)
    year = YEAR.search(listing)
    month = year and MONTH.search(client.get(year.group(1)).content.decode())
    if not month:
        sys.exit("The news list links to no year of the archive, or the year to no month.")
    return found | {
        "middle page": f"{found['list']}?page={(last_page + 1) // 2}",
        "last page": f"{found['list']}?page={last_page}",
        "year": year.group(1),
        "month": month.group(1),
        "bare": "/bench/bare/",
    }


class DatabaseTime:
    """A query wrapper (`connection.execute_wrapper`) adding up the time queries take."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def medians_ms(call, *args, requests: int) -> tuple[float, float]:
    """The median time of `call(*args)` in all and in the database, in ms."""
    call(*args)  # untimed: the first request also loads translations and the like
    durations, in_database = [], []
    for _ in range(requests):
        database = DatabaseTime()
        with connection.execute_wrapper(database):
            started = time.perf_counter()
            call(*args)
            durations.append(time.perf_counter() - started)
        in_database.append(database.seconds)
    middle = requests // 2
    return 1000 * sorted(durations)[middle], 1000 * sorted(in_database)[middle]


def time_pages(client: Client, requests: int) -> dict:
    def fetch(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")

    def round_trip() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    pages = {}
    for name, path in timed_pages(client).items():
        total, database = medians_ms(fetch, path, requests=requests)
        pages[name] = {"path": path, "median_ms": total, "database_ms": database}
    return {"pages": pages, "round_trip_ms": medians_ms(round_trip, requests=requests)[0]}


def count_queries(client: Client) -> dict:
    found = {}
    for name, path in pages(client).items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        found[name] = {"path": path, "status": status, "queries": len(queries)}
    return found


def time_search(client: Client, requests: int) -> dict:
    paths = [f"/ru/news/search/?q={quote(word)}" for word in SEARCH_WORDS]
    empty = [path for path in paths if not RESULT.search(client.get(path).content.decode())]
    durations = []
    for number in range(requests):
        started = time.perf_counter()
        response = client.get(paths[number % len(paths)])
        durations.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"{paths[number % len(paths)]} answered {response.status_code}")
    durations.sort()
    return {
        "requests": requests,
        "p50_ms": 1000 * durations[len(durations) // 2],
        "p95_ms": 1000 * durations[min(len(durations) - 1, int(0.95 * len(durations)))],
        "max_ms": 1000 * durations[-1],
        "words_without_results": empty,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("measure", choices=["queries", "search", "timings"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--output", type=Path, required=True)
    options = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    if options.measure == "queries":
        result = count_queries(client)
    elif options.measure == "timings":
        result = time_pages(client, options.requests)
    else:
        result = time_search(client, options.requests)
    options.output.write_text(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
