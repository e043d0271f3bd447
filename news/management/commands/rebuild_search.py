"""
Make every item's search text and the search vocabulary again, in batches.

Saving an item keeps its search text current and adds its words to the
vocabulary; rows changed past `save()` (`QuerySet.update()`, raw SQL, an
import) may need this, and words no item uses any more are dropped. On
PostgreSQL the search vector, a generated column, follows the text by itself.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from news.models import NewsItem, SearchWord
from news.search import document_text


class Command(BaseCommand):
    help = (
        "Recompute the search text (and so the PostgreSQL search vector) of every news item, "
        "and the vocabulary typos are corrected with."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        items = NewsItem.objects.only("language", "title", "lead", "body", "search_text")
        changed = 0
        with transaction.atomic():
            SearchWord.objects.all().delete()
            batch = []
            for item in items.order_by("pk").iterator(chunk_size=batch_size):
                batch.append(item)
                if len(batch) == batch_size:
                    changed += self.rebuild(batch)
                    batch = []
            changed += self.rebuild(batch)
        words = SearchWord.objects.count()
        self.stdout.write(f"Search text rebuilt: {changed} items changed, {words} words known.")

    @staticmethod
    def rebuild(items: list[NewsItem]) -> int:
        """Store the items' search text where it changed and add their words; how many changed."""
        changed = []
        for item in items:
            text = document_text(item.title, item.lead, item.body)
            if text != item.search_text:
                item.search_text = text
                changed.append(item)
        SearchWord.objects.add_words_of(items)
        return NewsItem.objects.bulk_update(changed, ["search_text"]) if changed else 0
