"""
Make every item's search text again, in batches.

Saving an item keeps its search text current; rows changed past `save()`
(`QuerySet.update()`, raw SQL, an import) may need this. On PostgreSQL the
search vector, a generated column, follows the text by itself.
"""

from django.core.management.base import BaseCommand

from news.models import NewsItem
from news.search import document_text


class Command(BaseCommand):
    help = "Recompute the search text (and so the PostgreSQL search vector) of every news item."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        items = NewsItem.objects.only("title", "lead", "body", "search_text").order_by("pk")
        changed, batch = 0, []
        for item in items.iterator(chunk_size=batch_size):
            text = document_text(item.title, item.lead, item.body)
            if text != item.search_text:
                item.search_text = text
                batch.append(item)
            if len(batch) >= batch_size:
                changed += NewsItem.objects.bulk_update(batch, ["search_text"])
                batch = []
        if batch:
            changed += NewsItem.objects.bulk_update(batch, ["search_text"])
        self.stdout.write(f"Search text rebuilt: {changed} items changed.")
