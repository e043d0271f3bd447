"""
Generate many plausible news items quickly, for performance benchmarks.

Titles and bodies are put together from phrase lists in Russian, Belarusian and
English; dates spread over the last 15 years; items are inserted with
`bulk_create` in batches, so memory stays bounded and 100,000 items take
minutes. Each row gets its `search_text` and its words go into the search vocabulary;
on PostgreSQL the search vector, a generated column, follows by itself.

Like the committee's own news, about half the items have a cover: one of the
covers published items in the same language already have (the demo content's,
after `load_demo`), with its description, never one withheld from readers (of an
item withdrawn as published in error, news/withheld_images.py) nor a draft's,
which may be. No image file is made or copied.
"""

import datetime
import random
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from slugify import slugify

from news.demo_content import CATEGORIES
from news.models import SLUG_MAX_LENGTH, Category, NewsItem, SearchWord
from news.search import document_text
from news.withheld_images import keeping_images_public
from portal.page_cache import content_changed

YEARS = 15
COVER_SHARE = 0.5
LANGUAGE_WEIGHTS = {"ru": 6, "be": 2, "en": 2}

# Phrase lists: a title is subject + action + object + place; a sentence adds a detail.
# Any subject goes with any action (the Russian and Belarusian ones are all
# masculine, as the verbs are) and any action with any object (in the genitive).
PHRASES = {
    "ru": {
        "subjects": [
            "Райисполком",
            "Отдел образования",
            "Главный врач районной больницы",
            "Директор коммунального предприятия",
            "Сельсовет",
            "Районный центр культуры",
            "Лесхоз",
            "Отдел по чрезвычайным ситуациям",
            "Сельскохозяйственный кооператив",
            "Директор районной библиотеки",
        ],
        "actions": [
            "завершил ремонт",
            "начал строительство",
            "провёл проверку",
            "подвёл итоги ремонта",
            "объявил конкурс на ремонт",
            "утвердил план реконструкции",
            "организовал обсуждение проекта",
            "открыл приём заявок на благоустройство",
        ],
        "objects": [
            "местных дорог",
            "сельской школы",
            "детского сада",
            "водопроводных сетей",
            "городского парка",
            "спортивной площадки",
            "фельдшерско-акушерского пункта",
            "уличного освещения",
            "зерносушильного комплекса",
            "жилого дома",
        ],
        "places": [
            "в Лепеле",
            "в агрогородке Стайки",
            "в Боровке",
            "в Слободе",
            "в Горянах",
            "в Волосово",
            "в Заозерье",
            "на берегу Лепельского озера",
        ],
        "details": [
            "Работы выполняются за счёт средств районного бюджета.",
            "Жители смогут оценить результаты уже этой осенью.",
            "Сроки выполнения работ согласованы с подрядчиком.",
            "Вопросы можно задать по телефону горячей линии.",
            "На собрании присутствовали представители трудовых коллективов.",
            "Отчёт о ходе работ будет опубликован на сайте.",
            "В мероприятии приняли участие школьники и ветераны.",
            "Специалисты напоминают о соблюдении мер безопасности.",
            "Сотрудничество с соседними районами будет продолжено.",
            "Предложения жителей учтены при подготовке проекта.",
        ],
    },
    "be": {
        "subjects": [
            "Райвыканкам",
            "Аддзел адукацыі",
            "Галоўны ўрач раённай бальніцы",
            "Дырэктар камунальнага прадпрыемства",
            "Сельсавет",
            "Раённы цэнтр культуры",
            "Лясгас",
            "Аддзел па надзвычайных сітуацыях",
            "Сельскагаспадарчы кааператыў",
            "Дырэктар раённай бібліятэкі",
        ],
        "actions": [
            "завяршыў рамонт",
            "пачаў будаўніцтва",
            "правёў праверку",
            "падвёў вынікі рамонту",
            "абвясціў конкурс на рамонт",
            "зацвердзіў план рэканструкцыі",
            "арганізаваў абмеркаванне праекта",
            "адкрыў прыём заявак на добраўпарадкаванне",
        ],
        "objects": [
            "мясцовых дарог",
            "сельскай школы",
            "дзіцячага сада",
            "водаправодных сетак",
            "гарадскога парку",
            "спартыўнай пляцоўкі",
            "фельчарска-акушэрскага пункта",
            "вулічнага асвятлення",
            "зернесушыльнага комплексу",
            "жылога дома",
        ],
        "places": [
            "у Лепелі",
            "у аграгарадку Стайкі",
            "у Бароўцы",
            "у Слабадзе",
            "у Гранях",
            "у Валосаве",
            "у Заазер'і",
            "на беразе Лепельскага возера",
        ],
        "details": [
            "Работы выконваюцца за кошт сродкаў раённага бюджэту.",
            "Жыхары змогуць ацаніць вынікі ўжо гэтай восенню.",
            "Тэрміны выканання работ узгоднены з падрадчыкам.",
            "Пытанні можна задаць па тэлефоне гарачай лініі.",
            "На сходзе прысутнічалі прадстаўнікі працоўных калектываў.",
            "Справаздача пра ход работ будзе апублікавана на сайце.",
            "У мерапрыемстве ўзялі ўдзел школьнікі і ветэраны.",
            "Спецыялісты нагадваюць пра захаванне мер бяспекі.",
            "Супрацоўніцтва з суседнімі раёнамі будзе працягнута.",
            "Прапановы жыхароў улічаны пры падрыхтоўцы праекта.",
        ],
    },
    "en": {
        "subjects": [
            "The district executive committee",
            "The education department",
            "The head doctor of the district hospital",
            "The municipal utility company",
            "The village council",
            "The district culture centre",
            "The forestry enterprise",
            "The emergencies department",
            "An agricultural cooperative",
            "The director of the district library",
        ],
        "actions": [
            "completes repairs of",
            "starts construction of",
            "inspects",
            "reviews the repairs of",
            "announces a tender for the repair of",
            "approves a reconstruction plan for",
            "opens a public discussion of the project for",
            "accepts proposals for the improvement of",
        ],
        "objects": [
            "local roads",
            "a rural school",
            "a kindergarten",
            "water mains",
            "the town park",
            "a sports ground",
            "a rural health post",
            "street lighting",
            "a grain drying plant",
            "a block of flats",
        ],
        "places": [
            "in Lepel",
            "in the agro-town of Staiki",
            "in Borovka",
            "in Sloboda",
            "in Goryany",
            "in Volosovo",
            "in Zaozerye",
            "on the shore of Lake Lepel",
        ],
        "details": [
            "The work is financed from the district budget.",
            "Residents will see the results this autumn.",
            "The timetable has been agreed with the contractor.",
            "Questions can be asked on the hotline.",
            "Representatives of local employers attended the meeting.",
            "A progress report will be published on the website.",
            "Schoolchildren and veterans took part in the event.",
            "Specialists remind residents to follow safety rules.",
            "Cooperation with neighbouring districts will continue.",
            "Residents' suggestions were taken into account in the project.",
        ],
    },
}


class Command(BaseCommand):
    help = "Generate COUNT plausible news items in three languages (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many items to add.")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2012, help="The same seed, the same news.")

    def handle(self, *args, count, batch_size, seed, **options):
        if count < 1 or batch_size < 1:
            raise CommandError("--count and --batch-size must be positive.")
        categories = list(Category.objects.all()) or self.make_categories()
        rng = random.Random(seed)
        now = timezone.now()
        number = (NewsItem.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        covers = self.covers_by_language()
        made = 0
        while made < count:
            size = min(batch_size, count - made)
            batch = [self.make_item(rng, categories, covers, now, number + i) for i in range(size)]
            with transaction.atomic():
                NewsItem.objects.bulk_create(batch)
                SearchWord.objects.add_words_of(batch)
            made += size
            number += size
            if options["verbosity"] > 1:
                self.stdout.write(f"{made} of {count}")
        content_changed()  # bulk_create sends no signals: cached pages go out of date here
        self.stdout.write(f"Generated {made} news items.")

    @staticmethod
    def make_categories() -> list[Category]:
        return [
            Category.objects.create(
                slug=entry["slug"],
                name=entry["name"]["ru"],
                name_be=entry["name"]["be"],
                name_en=entry["name"]["en"],
                position=entry["position"],
            )
            for entry in CATEGORIES
        ]

    @staticmethod
    def covers_by_language() -> dict[str, list[dict]]:
        """The distinct public covers of existing items, with their sizes and descriptions."""
        fields = ["cover_image", "cover_image_width", "cover_image_height", "cover_image_alt"]
        covers = defaultdict(list)
        items = keeping_images_public(NewsItem.objects.exclude(cover_image=""))
        rows = items.values("language", *fields).distinct()
        for row in rows.order_by("language", "cover_image"):
            covers[row.pop("language")].append(row)
        return covers

    @staticmethod
    def make_item(rng: random.Random, categories, covers, now, number: int) -> NewsItem:
        language = rng.choices(list(LANGUAGE_WEIGHTS), weights=LANGUAGE_WEIGHTS.values())[0]
        words = PHRASES[language]
        subject, action, thing, place = (
            rng.choice(words[key]) for key in ("subjects", "actions", "objects", "places")
        )
        title = f"{subject} {action} {thing} {place}"
        lead = f"{title}. {rng.choice(words['details'])}"
        paragraphs = [
            " ".join(
                [
                    f"{rng.choice(words['subjects'])} {rng.choice(words['actions'])} "
                    f"{rng.choice(words['objects'])} {rng.choice(words['places'])}.",
                    *rng.sample(words["details"], k=rng.randint(2, 4)),
                ]
            )
            for _ in range(rng.randint(3, 6))
        ]
        body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        slug = slugify(title, max_length=SLUG_MAX_LENGTH - 12, word_boundary=True)
        published_at = now - datetime.timedelta(seconds=rng.randint(3600, YEARS * 365 * 86400))
        has_cover = covers[language] and rng.random() < COVER_SHARE
        cover = rng.choice(covers[language]) if has_cover else {}
        return NewsItem(
            title=title,
            slug=f"{slug}-{number}",
            lead=lead,
            body=body,
            category=rng.choice(categories),
            language=language,
            is_published=rng.random() > 0.02,
            published_at=published_at,
            search_text=document_text(title, lead, body),
            **cover,
        )
