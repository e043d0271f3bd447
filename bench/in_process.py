#!/usr/bin/env python3
"""
What `make bench` measures inside Django rather than over HTTP: bench/run.py
runs this with the server's own environment (database, cache, settings).

    python bench/in_process.py queries --output out.json
    python bench/in_process.py search --requests 200 --output out.json

`queries` finds the pages the bench loads (home, list, the newest article, its
section, a search and the RSS feed) and counts the SQL queries of a second
request to each: the steady state of a worker, whose first request also loads
translations and the like. With PORTAL_PAGE_CACHE_SECONDS=0 that is the page's
own count; with the page cache on, what a cached page costs.

`search` times one-word searches for common words of the generated news (the
page cache should be off), after one untimed request per word.

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
    parser.add_argument("measure", choices=["queries", "search"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--output", type=Path, required=True)
    options = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    if options.measure == "queries":
        result = count_queries(client)
    else:
        result = time_search(client, options.requests)
    options.output.write_text(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
