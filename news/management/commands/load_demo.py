"""
Fill a fresh install with the demo content: sections, news in three languages
and their cover images, drawn here with Pillow (nothing is downloaded).

Running it again updates the same rows and keeps the images it drew before,
so the result does not depend on how many times it ran.
"""

import datetime
import io
import random
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from PIL import Image, ImageDraw
from slugify import slugify

from news.demo_content import CATEGORIES, ITEMS, SEED_ARTICLE
from news.models import SLUG_MAX_LENGTH, Category, NewsItem

IMAGE_SIZE = (1200, 675)

# One palette per section: sky, far fields, near fields, sun.
PALETTES = {
    "economy": ("#cfe3f5", "#5b8fb9", "#21476b", "#f2b134"),
    "agriculture": ("#e8f1d8", "#9bbf4f", "#4c7a2a", "#f5c542"),
    "education": ("#f6ead8", "#d08c48", "#7a4a1e", "#e2543c"),
    "healthcare": ("#e4f4f1", "#5fb3a4", "#23695e", "#f08a7e"),
    "culture-and-sport": ("#f1e3f3", "#a86cb8", "#5a2d68", "#f4d35e"),
    "announcements": ("#eceff3", "#8493a8", "#3b4757", "#d94f3d"),
}


class Command(BaseCommand):
    help = "Load the demo sections and news items (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has news (the run command's first-run load).",
        )

    @transaction.atomic
    def handle(self, *args, if_empty=False, **options):
        if if_empty and NewsItem.objects.exists():
            self.stdout.write("The site already has news; demo content not loaded.")
            return
        categories = {
            entry["slug"]: Category.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"]["ru"],
                    "name_be": entry["name"]["be"],
                    "name_en": entry["name"]["en"],
                    "position": entry["position"],
                },
            )[0]
            for entry in CATEGORIES
        }
        created = 0
        for entry in [SEED_ARTICLE, *ITEMS]:
            _item, was_created = self.load_item(entry, categories)
            created += was_created
        self.stdout.write(
            f"Demo content: {len(categories)} sections, {1 + len(ITEMS)} news items "
            f"({created} new)."
        )

    def load_item(self, entry: dict, categories: dict) -> tuple[NewsItem, bool]:
        published_at = datetime.datetime.fromisoformat(entry["published"]).replace(
            tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
        )
        slug = slugify(entry["title"], max_length=SLUG_MAX_LENGTH - 4, word_boundary=True)
        item, created = NewsItem.objects.update_or_create(
            language=entry["language"],
            slug=slug,
            defaults={
                "title": entry["title"],
                "lead": entry["lead"],
                "body": "".join(f"<p>{escape(paragraph)}</p>" for paragraph in entry["body"]),
                "source": entry["source"],
                "category": categories[entry["category"]],
                "translation_group": entry.get("translation_key") or "",
                "is_published": True,
                "published_at": published_at,
                "cover_image_alt": entry.get("image_alt") or "",
            },
        )
        if entry.get("image_alt") and not self.has_image(item):
            image = draw_illustration(seed=f"{item.language}-{slug}", palette=entry["category"])
            item.cover_image.save(f"demo-{item.language}-{item.pk}.jpg", image, save=True)
        return item, created

    @staticmethod
    def has_image(item: NewsItem) -> bool:
        return bool(item.cover_image) and item.cover_image.storage.exists(item.cover_image.name)


def draw_illustration(seed: str, palette: str) -> ContentFile:
    """A calm landscape of fields and a sun, the same for the same seed."""
    sky, far, near, sun = PALETTES.get(palette, PALETTES["announcements"])
    rng = random.Random(seed)
    width, height = IMAGE_SIZE
    image = Image.new("RGB", IMAGE_SIZE, sky)
    draw = ImageDraw.Draw(image)
    sun_x, sun_y, radius = rng.randint(150, width - 150), rng.randint(90, 220), rng.randint(50, 90)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=sun)
    for layer, colour in enumerate((far, near)):
        base = int(height * (0.55 + 0.18 * layer))
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rng.randint(-40, 40)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    for stripe in range(6):
        y = int(height * 0.8) + stripe * 22
        draw.line((0, y, width, y - rng.randint(20, 80)), fill=far, width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue())
