"""
Link previews (`og:image`) and search engines (JSON-LD) get a JPEG copy of
each cover at most 1200 pixels either way (news/renditions.py, ShareRendition),
made when a cover is saved. This makes the copies of the covers saved before,
but for those out of sight (news/withheld_images.py), whose copies would be public.
"""

from django.db import migrations
from PIL import UnidentifiedImageError


def make_share_copies(apps, schema_editor):
    from news.renditions import make_share_rendition
    from news.withheld_images import is_withheld

    NewsItem = apps.get_model("news", "NewsItem")
    covers = NewsItem.objects.exclude(cover_image="").values_list("cover_image", flat=True)
    for name in covers.distinct().iterator():
        if is_withheld(name):
            continue
        try:
            make_share_rendition(name)
        except (OSError, UnidentifiedImageError):  # a file lost: generateimages makes it later
            continue


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0015_texts_must_be_visible"),
    ]

    operations = [
        migrations.RunPython(make_share_copies, migrations.RunPython.noop, elidable=True),
    ]
