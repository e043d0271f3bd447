"""
Search text writes "ў" as "у" since this migration (`news.search.fold`): fold
the search text and the vocabulary saved before it. On PostgreSQL the search
vector, a generated column, follows the text.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace


def fold_short_u(apps, schema_editor):
    NewsItem = apps.get_model("news", "NewsItem")
    SearchWord = apps.get_model("news", "SearchWord")
    NewsItem.objects.filter(search_text__contains="ў").update(
        search_text=Replace("search_text", Value("ў"), Value("у"))
    )
    words = SearchWord.objects.filter(word__contains="ў")
    folded = {(word.language, word.word.replace("ў", "у")) for word in words}
    words.delete()
    SearchWord.objects.bulk_create(
        [SearchWord(language=language, word=word) for language, word in folded],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("news", "0009_attachment_permissions")]

    operations = [migrations.RunPython(fold_short_u, migrations.RunPython.noop)]
