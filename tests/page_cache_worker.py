"""
A worker process of the portal for tests/test_redis_cache.py: Django set up
from the environment alone (DATABASE_URL, REDIS_URL, CACHE_KEY_PREFIX), as a
gunicorn worker is, so that it shares nothing with another worker but the
database and Redis. It reads one command a line on stdin and answers each with
one JSON line on stdout:

    {"get": "/ru/"}                              {"status": 200, "queries": 4, "text": "…"}
    {"create": {"title": "…", "is_published": false}}      {"pk": 7, "url": "/ru/news/…/"}
    {"save": 7, "fields": {"is_published": true}}          {"url": "/ru/news/…/"}

A page is asked for by a new anonymous reader, with Django's test client; the
SQL queries it took are counted (none: it came from the page cache). An item is
created or changed through the model, with its signals, in a transaction, as
the admin saves it. The log goes to stderr.
"""

import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# The portal logs to sys.stdout, which carries the answers here.
answers, sys.stdout = sys.stdout, sys.stderr

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from news.models import Category, NewsItem  # noqa: E402


def get(url: str) -> dict:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    return {
        "status": response.status_code,
        "queries": len(queries),
        "text": response.content.decode(),
    }


def create(fields: dict) -> dict:
    category, _created = Category.objects.get_or_create(
        slug="economy", defaults={"name": "Экономика", "name_en": "Economy"}
    )
    fields = {
        "lead": "Краткое содержание.",
        "body": "<p>Текст новости.</p>",
        "category": category,
        "language": "ru",
        "published_at": timezone.now() - datetime.timedelta(hours=1),
        **fields,
    }
    with transaction.atomic():
        item = NewsItem.objects.create(**fields)
    return {"pk": item.pk, "url": item.get_absolute_url()}


def save(pk: int, fields: dict) -> dict:
    with transaction.atomic():
        item = NewsItem.objects.get(pk=pk)
        for name, value in fields.items():
            setattr(item, name, value)
        item.save()
    return {"url": item.get_absolute_url()}


def main() -> None:
    for line in sys.stdin:
        command = json.loads(line)
        if "get" in command:
            answer = get(command["get"])
        elif "create" in command:
            answer = create(command["create"])
        else:
            answer = save(command["save"], command["fields"])
        print(json.dumps(answer), file=answers, flush=True)


if __name__ == "__main__":
    main()
