"""
Fill a fresh install with the demo content: sections, news in three languages
and their cover images, a few images in article bodies and attached documents,
all drawn or written here with Pillow (nothing is downloaded).

Running it again updates the same rows and keeps the images it drew before,
so the result does not depend on how many times it ran.
"""

import datetime
import io
import random
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from PIL import Image, ImageDraw
from slugify import slugify

from news.attachments import DOCUMENT_TYPES, PDF, TXT
from news.demo_content import CATEGORIES, ITEMS, SEED_ARTICLE
from news.models import Attachment, Category, NewsItem, slug_from
from news.renditions import BODY_IMAGE_PREFIX

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
        attachments = self.load_attachments()
        self.stdout.write(
            f"Demo content: {len(categories)} sections, {1 + len(ITEMS)} news items "
            f"({created} new), {attachments} attached documents."
        )

    def load_item(self, entry: dict, categories: dict) -> tuple[NewsItem, bool]:
        published_at = datetime.datetime.fromisoformat(entry["published"]).replace(
            tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
        )
        slug = slug_from(entry["title"])
        paragraphs = [f"<p>{escape(paragraph)}</p>" for paragraph in entry["body"]]
        if entry["title"] in BODY_FIGURES:
            paragraphs.insert(1, body_figure(*BODY_FIGURES[entry["title"]]))
        item, created = NewsItem.objects.update_or_create(
            language=entry["language"],
            slug=slug,
            defaults={
                "title": entry["title"],
                "lead": entry["lead"],
                "body": "".join(paragraphs),
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
        elif item.cover_image and not item.cover_image_width:
            # Demo images drawn by an earlier version lacked their stored dimensions.
            item.cover_image_width, item.cover_image_height = get_image_dimensions(item.cover_image)
            item.save(update_fields=["cover_image_width", "cover_image_height"])
        return item, created

    @staticmethod
    def has_image(item: NewsItem) -> bool:
        return bool(item.cover_image) and item.cover_image.storage.exists(item.cover_image.name)

    def load_attachments(self) -> int:
        """The demo documents; a file is written only when its attachment has none yet."""
        items = {item.title: item for item in NewsItem.objects.filter(title__in=DEMO_ATTACHMENTS)}
        count = 0
        for item_title, documents in DEMO_ATTACHMENTS.items():
            item = items[item_title]
            for position, (title, content_type, make_content) in enumerate(documents, start=1):
                attachment, _created = Attachment.objects.update_or_create(
                    news_item=item,
                    title=title,
                    defaults={"position": position, "content_type": content_type},
                )
                if not (attachment.file and attachment.file.storage.exists(attachment.file.name)):
                    extension = DOCUMENT_TYPES[content_type].extension
                    attachment.file.save(f"demo.{extension}", make_content(), save=True)
                count += 1
        return count


def draw_illustration(seed: str, palette: str, size=IMAGE_SIZE) -> ContentFile:
    """A calm landscape of fields and a sun, the same for the same seed."""
    sky, far, near, sun = PALETTES.get(palette, PALETTES["announcements"])
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, sky)
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
    # A named file: Django reads an image's width and height only from a file with a name.
    return ContentFile(buffer.getvalue(), name=f"{slugify(seed)}.jpg")


# Images inside article bodies, as the editor inserts them: item title → (file,
# description, caption). Saving the item adds their responsive renditions.
BODY_IMAGE_SIZE = (1600, 900)
BODY_FIGURES = {
    "Приглашаем на экологическую акцию по уборке берегов Лепельского озера": (
        "lake-shore.jpg",
        "Пологий берег озера, луг и солнце над водой",
        "Берег Лепельского озера у городского пляжа, где соберутся участники акции.",
    ),
    "Volunteers invited to clean up the shores of Lake Lepel": (
        "lake-shore.jpg",
        "A gently sloping lake shore, a meadow and the sun over the water",
        "The shore of Lake Lepel by the town beach, where participants will gather.",
    ),
    "В хозяйствах района продолжается уборка льна": (
        "flax-field.jpg",
        "Поле со скошенным льном, уложенным в ленты",
        "Лён расстилают на поле для вылёживания.",
    ),
}


def body_figure(file_name: str, alt: str, caption: str) -> str:
    """A figure as CKEditor 5 makes it, with its image drawn once into the body folder."""
    name = f"{BODY_IMAGE_PREFIX}demo/{file_name}"
    if not default_storage.exists(name):
        palette = "agriculture" if "flax" in file_name else "healthcare"
        default_storage.save(name, draw_illustration(file_name, palette, BODY_IMAGE_SIZE))
    return (
        f'<figure class="image"><img src="{settings.MEDIA_URL}{name}" alt="{escape(alt)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def draw_scheme_pdf(seed: str) -> ContentFile:
    """A one-page PDF: a scheme of roads with the sections to be repaired marked."""
    rng = random.Random(seed)
    width, height = 1169, 827  # A4 landscape at 100 dpi
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 60):
        draw.line((x, 0, x, height), fill="#eef2f6", width=1)
    for y in range(0, height, 60):
        draw.line((0, y, width, y), fill="#eef2f6", width=1)
    draw.ellipse((80, 520, 380, 760), fill="#bcd7ee", outline="#5b8fb9", width=4)
    for road in range(7):
        points = [(rng.randint(60, width - 60), rng.randint(60, height - 60)) for _ in range(4)]
        draw.line(points, fill="#8a8f98", width=10, joint="curve")
        start = rng.randint(0, 2)
        draw.line(points[start : start + 2], fill="#e0701a", width=14)
        draw.text(points[start], str(road + 1), fill="#1a1a1a", font_size=28)
    draw.rectangle((20, 20, width - 20, height - 20), outline="#21476b", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=100)
    return ContentFile(buffer.getvalue())


def text_document(text: str):
    return lambda: ContentFile(text.strip().encode("utf-8") + b"\n")


RECEPTION_RU = """
Порядок записи на личный приём к председателю Лепельского районного исполнительного комитета

1. Запись проводится до 20 января 2026 года по телефону 8 (02132) 3-25-47
   в рабочие дни с 8.00 до 17.00.
2. При записи сообщите фамилию, имя, отчество, адрес места жительства и суть вопроса.
3. На приём возьмите документ, удостоверяющий личность.
4. Вопрос можно изложить также в письменном или электронном обращении через официальный сайт.
"""

RECEPTION_BE = """
Парадак запісу на асабісты прыём да старшыні Лепельскага раённага выканаўчага камітэта

1. Запіс праводзіцца да 20 студзеня 2026 года па тэлефоне 8 (02132) 3-25-47
   у працоўныя дні з 8.00 да 17.00.
2. Пры запісе паведаміце прозвішча, імя, імя па бацьку, адрас месца жыхарства і сутнасць пытання.
3. На прыём вазьміце дакумент, які сведчыць асобу.
4. Пытанне можна выкласці таксама ў пісьмовым або электронным звароце праз афіцыйны сайт.
"""

ROAD_SECTIONS_RU = """
Перечень участков местных дорог, ремонтируемых в 2026 году

1. Подъезд к агрогородку Стайки — 4,2 км, май — июнь.
2. Улица Эсманова в г. Лепеле — 1,1 км, май.
3. Подъезд к средней школе в агрогородке Волосово — 2,6 км, июнь.
4. Лепель — Забоенье, участок у фельдшерско-акушерского пункта — 3,4 км, июль.
5. Ямочный ремонт улиц г. Лепеля — в течение сезона.
"""

# Documents attached to demo items: item title → [(title, content type, content)].
DEMO_ATTACHMENTS = {
    "Утверждён график ремонта местных дорог на 2026 год": [
        (
            "Схема ремонта местных дорог на 2026 год",
            PDF.content_type,
            lambda: draw_scheme_pdf("roads"),
        ),
        ("Перечень ремонтируемых участков", TXT.content_type, text_document(ROAD_SECTIONS_RU)),
    ],
    "Local road repair schedule for 2026 approved": [
        ("Road repair map for 2026", PDF.content_type, lambda: draw_scheme_pdf("roads")),
    ],
    "Председатель райисполкома проведёт личный приём граждан": [
        ("Порядок записи на личный приём", TXT.content_type, text_document(RECEPTION_RU)),
    ],
    "Старшыня райвыканкама правядзе асабісты прыём грамадзян": [
        ("Парадак запісу на асабісты прыём", TXT.content_type, text_document(RECEPTION_BE)),
    ],
    "Аб’яўленне аб грамадскім абмеркаванні праекта добраўпарадкавання гарадскога парку": [
        (
            "Схема добраўпарадкавання гарадскога парку",
            PDF.content_type,
            lambda: draw_scheme_pdf("park"),
        ),
    ],
}
