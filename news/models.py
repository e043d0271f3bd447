import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField, TrigramSimilarity
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from simple_history.models import HistoricalRecords
from slugify import slugify

from . import workflow
from .attachments import DOCUMENT_TYPES, attachment_upload_to, download_name
from .renditions import (
    RENDITION_SPECS,
    RENDITION_WIDTHS,
    ShareImage,
    ShareRendition,
    rendition_urls,
    responsive_body_images,
    share_image,
    srcset,
)
from .sanitizer import sanitize_html, validate_visible_text
from .search import (
    WORD_MAX_LENGTH,
    document_text,
    fold,
    search_news,
    search_vector_expression,
    vocabulary,
)

SLUG_MAX_LENGTH = 120
# A publication time outside these is a typo (0202 for 2022, 2062 for 2026), not a plan.
EARLIEST_PUBLICATION_YEAR = 1991
LONGEST_SCHEDULE = datetime.timedelta(days=366)


def slug_from(title: str) -> str:
    """
    The readable part of an item's address made from its title, Cyrillic
    transliterated: «Сям'я і школа» is `siamia-i-shkola`. An apostrophe is
    dropped, whichever is typed (' ’ ʼ), as transliteration drops it; the
    straight one made a hyphen of it before (`siam-ia`). "" for a title with
    no letters or digits.
    """
    return slugify(
        title, max_length=SLUG_MAX_LENGTH - 4, word_boundary=True, replacements=[["'", ""]]
    )


def first_unused(base: str, items: models.QuerySet, field: str) -> str:
    """`base`, or else `base-2`, `base-3`…: the first that none of `items` has in `field`."""
    value, suffix = base, 2
    while items.filter(**{field: value}).exists():
        value, suffix = f"{base}-{suffix}", suffix + 1
    return value


def next_category_position() -> int:
    """After the last section: a new one is not put before all the others (at 0)."""
    last = Category.objects.aggregate(last=models.Max("position"))["last"]
    return min((last or 0) + 1, 32767)  # the most a small integer holds


class CategoryQuerySet(models.QuerySet):
    def with_news_flag(self, language: str | None = None, name: str = "has_news"):
        """
        Each section with `name` telling whether readers find any of its news
        in `language` (the page's). An empty section's page says so, and is left
        out of the sections listed beside the news and out of the sitemap.
        """
        published = NewsItem.objects.published().in_language(language)
        return self.annotate(**{name: Exists(published.filter(category=OuterRef("pk")))})


class Category(models.Model):
    """A section of the news, e.g. "Economy" or "Announcements"."""

    name = models.CharField(_("name (Russian)"), max_length=100, validators=[validate_visible_text])
    name_be = models.CharField(
        _("name (Belarusian)"),
        max_length=100,
        blank=True,
        validators=[validate_visible_text],
        help_text=_("If left empty, Belarusian pages and feeds show the Russian name."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        validators=[validate_visible_text],
        help_text=_("If left empty, English pages and feeds show the Russian name."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=next_category_position,
        help_text=_("Sections are listed in ascending order."),
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language, falling back to the Russian one."""
        return self._name_in_active_language() or self.name

    @property
    def name_lang(self) -> str:
        """
        The `lang` of `localized_name` where it is not the page's language: "ru"
        when the section has no name in the active language (a screen reader then
        reads the Russian name as Russian), "" otherwise.
        """
        return "" if self._name_in_active_language() else settings.LANGUAGE_CODE

    @property
    def localized_name_html(self) -> str:
        """`localized_name` for a sentence of the page, marked with its `lang` where needed."""
        if self.name_lang:
            return format_html('<span lang="{}">{}</span>', self.name_lang, self.localized_name)
        return conditional_escape(self.localized_name)

    def languages_without_a_name(self) -> list[str]:
        """The languages besides Russian the section has no name in (it shows the Russian one)."""
        return [
            code
            for code, _language in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE and not getattr(self, f"name_{code}")
        ]

    def _name_in_active_language(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE:
            return self.name
        return getattr(self, f"name_{language}", "")


class RelatedItems(NamedTuple):
    previous: "NewsItem | None"
    next: "NewsItem | None"
    translations: list["NewsItem"]


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        """
        What readers may see in lists, feeds and the sitemap: marked published,
        with a publication time that has come, and not withdrawn.
        """
        return self.visible().filter(withdrawn_at__isnull=True)

    def visible(self):
        """
        Items whose own page answers readers: the published ones and those
        withdrawn after publication, whose page then carries a notice.
        """
        return self.filter(is_published=True, published_at__lte=timezone.now())

    # The admin's states; readers only ever see `published()`.
    def drafts(self):
        return self.filter(is_published=False)

    def scheduled(self):
        return self.filter(
            is_published=True, published_at__gt=timezone.now(), withdrawn_at__isnull=True
        )

    def withdrawn(self):
        return self.filter(is_published=True, withdrawn_at__isnull=False)

    def next_publication(self):
        """When the next scheduled item goes live (None when none is scheduled)."""
        return self.scheduled().aggregate(next=Min("published_at"))["next"]

    def in_language(self, language: str | None = None):
        return self.filter(language=language or translation.get_language())

    def for_pages(self, body: bool = True):
        """
        Items as readers' pages show them: with their sections, without their
        search text and vector, which no page shows, and, for lists, feeds and
        search results (`body=False`), without their body. That is most of a row.
        """
        unshown = ["search_text", "search_vector", *([] if body else ["body"])]
        return self.select_related("category").defer(*unshown)

    def with_appendix_flags(self):
        """
        Each item with `has_corrections` and `has_attachments`: an article
        page then reads its corrections and documents only when it has some,
        and most have none.
        """
        return self.annotate(
            has_corrections=Exists(Correction.objects.filter(item=OuterRef("pk"))),
            has_attachments=Exists(Attachment.objects.filter(news_item=OuterRef("pk"))),
        )

    def count_by_year(self) -> list[dict]:
        """`{"year": 2024, "count": n}` for each (Minsk) year that has items, newest first."""
        return list(
            self.order_by()
            .annotate(year=ExtractYear("published_at"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )

    def count_by_month(self):
        """`{"month": <first moment of the month>, "count": n}` rows, newest month first."""
        # Truncation happens in the current (Minsk) time zone, like the archive pages.
        return (
            self.order_by()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("-month")
        )

    def search(self, query: str, language: str | None = None):
        """
        Items in `language` (the active one by default) matching `query`, best
        first: a sequence (`news.search.SearchResults`) that reads a page's items
        when sliced.
        """
        return search_news(self, query, language or translation.get_language())


class NewsItem(models.Model):
    class Language(models.TextChoices):
        RUSSIAN = "ru", _("Russian")
        BELARUSIAN = "be", _("Belarusian")
        ENGLISH = "en", _("English")

    title = models.CharField(_("title"), max_length=255, validators=[validate_visible_text])
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The readable part of the address. Made from the title when left empty; "
            "it cannot change once the item is published."
        ),
    )
    lead = models.TextField(
        _("lead"),
        help_text=_("A short summary shown in lists."),
        validators=[validate_visible_text],
    )
    body = models.TextField(_("text"), blank=True)
    cover_image = models.ImageField(
        _("cover image"),
        upload_to="news/covers/%Y/%m/",
        blank=True,
        width_field="cover_image_width",
        height_field="cover_image_height",
    )
    cover_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # WebP copies of the cover, made when it is saved (news/renditions.py).
    cover_480 = ImageSpecField(source="cover_image", spec=RENDITION_SPECS[480])
    cover_800 = ImageSpecField(source="cover_image", spec=RENDITION_SPECS[800])
    cover_1200 = ImageSpecField(source="cover_image", spec=RENDITION_SPECS[1200])
    # A JPEG copy for link previews.
    cover_share = ImageSpecField(source="cover_image", spec=ShareRendition)
    cover_image_alt = models.CharField(
        _("cover image description"),
        max_length=255,
        blank=True,
        validators=[validate_visible_text],
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="news_items",
        verbose_name=_("category"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=Language.RUSSIAN
    )
    translation_group = models.SlugField(
        _("translation group"),
        max_length=100,
        blank=True,
        help_text=_(
            "Items that tell the same story in different languages share this key; "
            "the language switch then leads from one to the other."
        ),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Readers see the item once this is set and its publication time has come."),
    )
    published_at = models.DateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_("The date readers see. A time in the future schedules the item."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_items",
        # Whom the admin offers is its form's choice (active staff); an item
        # keeps an author who has since left.
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Searching (news/search.py): the folded plain text, made on save, and on
    # PostgreSQL its weighted full-text vector (NULL on SQLite).
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = models.GeneratedField(
        expression=search_vector_expression(),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    # The editorial workflow (news/workflow.py): who last changed the content,
    # a counter that detects edit conflicts, and a withdrawal's public notice.
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    withdrawn_in_error = models.BooleanField(_("published in error"), default=False, editable=False)

    objects = NewsItemQuerySet.as_manager()
    # The search text and vector are made from the other fields on every save.
    history = HistoricalRecords(
        excluded_fields=["search_text", "search_vector"],
        # simple-history names it "historical новость" in every language.
        verbose_name=_("news item version"),
        verbose_name_plural=_("news item versions"),
    )

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        permissions = [
            ("publish_newsitem", _("Can publish, schedule, unpublish and withdraw news items")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="news_unique_slug_per_language"
            ),
        ]
        # The public pages read only what readers may see (`published()` but
        # for the time), newest first: partial indexes hold just those rows.
        indexes = [
            models.Index(
                fields=["language", "-published_at", "-id"],
                condition=Q(is_published=True, withdrawn_at__isnull=True),
                name="news_published_idx",
            ),
            models.Index(
                fields=["category", "language", "-published_at", "-id"],
                condition=Q(is_published=True, withdrawn_at__isnull=True),
                name="news_published_category_idx",
            ),
            # The sitemap, and when the next scheduled item goes live.
            models.Index(
                fields=["published_at"],
                condition=Q(is_published=True, withdrawn_at__isnull=True),
                name="news_published_at_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(responsive_body_images(sanitize_html(self.body)))
        if not self.slug:
            self.slug = self._unique_slug()
        if not self.is_published:
            # Only a published item can be withdrawn; a draft carries no notice.
            self.withdrawn_at, self.withdrawal_reason, self.withdrawn_in_error = None, "", False
        # Each save is a new version, counted from the stored one, so that a
        # form loaded before it can tell that it is out of date.
        stored = NewsItem.objects.filter(pk=self.pk).values_list("version", flat=True).first()
        self.version = (stored or 0) + 1
        self.search_text = document_text(self.title, self.lead, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "lead", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None or "search_text" in kwargs["update_fields"]:
            SearchWord.objects.add_words_of([self])

    def get_absolute_url(self) -> str:
        local_date = timezone.localtime(self.published_at).date()
        with translation.override(self.language):
            return reverse(
                "news:detail",
                kwargs={
                    "year": local_date.year,
                    "month": f"{local_date.month:02d}",
                    "day": f"{local_date.day:02d}",
                    "slug": self.slug,
                },
            )

    def clean(self):
        super().clean()
        errors = {}
        if self.cover_image and not self.cover_image_alt.strip():
            errors["cover_image_alt"] = _("Describe the image for readers who cannot see it.")
        if self.published_at:
            earliest = datetime.datetime(
                EARLIEST_PUBLICATION_YEAR, 1, 1, tzinfo=timezone.get_default_timezone()
            )
            if self.published_at < earliest:
                errors["published_at"] = _(
                    "Check the year: a publication time cannot be before %(year)s."
                ) % {"year": EARLIEST_PUBLICATION_YEAR}
            elif self.published_at > timezone.now() + LONGEST_SCHEDULE:
                errors["published_at"] = _("An item can be scheduled at most a year ahead.")
        if errors:
            raise ValidationError(errors)

    def _unique_slug(self) -> str:
        """A readable slug from the title (Cyrillic is transliterated), unique per language."""
        siblings = NewsItem.objects.filter(language=self.language).exclude(pk=self.pk)
        return first_unused(slug_from(self.title) or "news", siblings, "slug")

    def key_for_translations(self) -> str:
        """
        The translation group a new translation of the item takes: its own, or
        when it has none, a new key made from its slug that no item uses yet
        (the item takes it when the translation is saved: `take_translation_group`).
        """
        if self.translation_group:
            return self.translation_group
        max_length = self._meta.get_field("translation_group").max_length
        base = self.slug[: max_length - 4].strip("-") or "news"
        return first_unused(base, NewsItem.objects.all(), "translation_group")

    def take_translation_group(self, translation: "NewsItem", user) -> bool:
        """
        Give the item the key of `translation`, just saved as a translation of
        it, if it has none yet and no other item has that key; whether it took it.
        Joining a group of other items would lead the item's page to their
        versions: that is for those who may change it, in its own form.

        Whoever saves the translation links the two, also an editor who may not
        change the item (it is published): the key is written alone, not saved
        with the item, which would date its text anew. Its version counts the
        change, so that a form of it loaded before tells that it is out of date
        rather than save the key away, and its history records who linked it.
        """
        key = translation.translation_group
        others = NewsItem.objects.filter(translation_group=key).exclude(pk=translation.pk)
        taken = bool(key) and NewsItem.objects.filter(
            ~Exists(others), pk=self.pk, translation_group=""
        ).update(translation_group=key, version=F("version") + 1)
        if taken:
            self.refresh_from_db()
            NewsItem.history.bulk_history_create(
                [self],
                update=True,
                default_user=user,
                default_change_reason=workflow.change_reason(
                    ("translation_added", {"title": translation.title})
                ),
            )
        return bool(taken)

    def related_items(self) -> "RelatedItems":
        """
        What the item's page links to: the published items of its language
        just before and after it (ties in time go by id), and its published
        translations, in one query.

        The query is written out in SQL: the ORM took 2 ms to compose it, on
        every article page, five times what PostgreSQL takes to answer it.
        Its conditions are those of `published()`.
        """
        table = connection.ops.quote_name(self._meta.db_table)
        select_published = (
            f"SELECT id, title, slug, language, published_at FROM {table} "
            "WHERE is_published AND published_at <= %(now)s AND withdrawn_at IS NULL"
        )
        same_language = f"{select_published} AND language = %(language)s"
        parts = [
            f"{same_language} AND (published_at, id) < (%(at)s, %(id)s) "
            "ORDER BY published_at DESC, id DESC LIMIT 1",
            f"{same_language} AND (published_at, id) > (%(at)s, %(id)s) "
            "ORDER BY published_at, id LIMIT 1",
        ]
        if self.translation_group:
            parts.append(
                f"{select_published} AND translation_group = %(group)s "
                "AND language <> %(language)s ORDER BY published_at, id"
            )
        # Each part is a subquery: SQLite takes no ORDER BY in a member of a UNION.
        query = " UNION ALL ".join(
            f"SELECT * FROM ({part}) AS part_{number}" for number, part in enumerate(parts)
        )
        at_time = connection.ops.adapt_datetimefield_value
        parameters = {
            "now": at_time(timezone.now()),
            "language": self.language,
            "at": at_time(self.published_at),
            "id": self.pk,
            "group": self.translation_group,
        }
        related = RelatedItems(None, None, [])
        for item in NewsItem.objects.raw(query, parameters):
            if item.language != self.language:
                related.translations.append(item)
            elif (item.published_at, item.pk) < (self.published_at, self.pk):
                related = related._replace(previous=item)
            else:
                related = related._replace(next=item)
        return related

    @property
    def is_live(self) -> bool:
        """Whether readers can see the item now (the same rule as `published()`)."""
        return self.is_published and self.published_at <= timezone.now() and not self.is_withdrawn

    def was_live(self) -> bool:
        """
        Whether readers have seen the item before: one of its saved versions was
        published, not withdrawn, and its time came before the next was saved.
        """
        versions = list(
            self.history.order_by("history_date").values_list(
                "is_published", "published_at", "withdrawn_at", "history_date"
            )
        )
        ends = [version[3] for version in versions[1:]] + [timezone.now()]
        return any(
            published and withdrawn_at is None and published_at <= end
            for (published, published_at, withdrawn_at, _date), end in zip(
                versions, ends, strict=True
            )
        )

    @property
    def last_modified(self):
        """When readers' version last changed: an item scheduled ahead appears when it goes live."""
        return max(self.published_at, self.updated_at)

    @property
    def is_scheduled(self) -> bool:
        return self.is_published and self.published_at > timezone.now() and not self.is_withdrawn

    @property
    def is_withdrawn(self) -> bool:
        return self.is_published and self.withdrawn_at is not None

    @property
    def state(self) -> "NewsItem.State":
        if self.is_withdrawn:
            return self.State.WITHDRAWN
        if self.is_scheduled:
            return self.State.SCHEDULED
        if self.is_published:
            return self.State.PUBLISHED
        return self.State.DRAFT

    @property
    def cover_srcset(self) -> str:
        """The cover's renditions for `srcset` (no file is opened to make it)."""
        if not self.cover_image:
            return ""
        return srcset(rendition_urls(self.cover_image.name), self.cover_image_width)

    @property
    def share_image(self) -> ShareImage | None:
        """The cover as link previews and search engines get it (None without one)."""
        if not self.cover_image:
            return None
        return share_image(self.cover_image.name, self.cover_image_width, self.cover_image_height)

    @property
    def cover_card_url(self) -> str:
        """The cover's smallest rendition, which cards show."""
        if not self.cover_image:
            return ""
        return rendition_urls(self.cover_image.name)[RENDITION_WIDTHS[0]]


class SearchWordQuerySet(models.QuerySet):
    def add_words_of(self, items) -> None:
        """Add the words of the items' search text to their languages' vocabularies."""
        words = {(item.language, word) for item in items for word in vocabulary(item.search_text)}
        self.bulk_create(
            [SearchWord(language=language, word=word) for language, word in words],
            batch_size=1000,
            ignore_conflicts=True,
        )

    def similar_to(self, language: str, word: str, count: int = 3) -> list[str]:
        """The `count` words of `language` most similar to `word` (PostgreSQL only)."""
        word = fold(word)
        return list(
            self.filter(language=language, word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:count]
        )


class SearchWord(models.Model):
    """
    A word found in the news of one language, for search to correct typos with:
    a query word found nowhere is replaced by the most similar of these. Words
    are added as items are saved and never shown; search still shows only what
    readers may see.
    """

    language = models.CharField(max_length=2, choices=NewsItem.Language)
    word = models.CharField(max_length=WORD_MAX_LENGTH)

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="news_unique_search_word")
        ]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class Correction(models.Model):
    """A public note that a published item was corrected: "Updated on <date>: <note>"."""

    item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("news item")
    )
    note = models.CharField(_("note"), max_length=300, validators=[validate_visible_text])
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("made by"),
    )
    # Kept so that recovering a deleted item brings its corrections back.
    history = HistoricalRecords(
        verbose_name=_("correction version"), verbose_name_plural=_("correction versions")
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return self.note


class ShareLink(models.Model):
    """
    A link that shows an unpublished item to a person without an account.

    The address carries a signed value naming this record and its expiry; the
    record lets a publisher revoke the link before it expires.
    """

    MAX_LIFETIME = datetime.timedelta(days=7)
    SALT = "news.share-link"

    item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="share_links", verbose_name=_("news item")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return str(self.item)

    def get_absolute_url(self) -> str:
        with translation.override(self.item.language):
            return reverse("news:shared", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def token(self) -> str:
        return signing.Signer(salt=self.SALT).sign_object(
            {"link": self.pk, "expires": int(self.expires_at.timestamp())}
        )

    @classmethod
    def from_token(cls, token: str) -> "ShareLink":
        """The link a token names, or DoesNotExist; it may have expired or been revoked."""
        try:
            value = signing.Signer(salt=cls.SALT).unsign_object(token)
            link = cls.objects.select_related("item__category").get(pk=value["link"])
        except (signing.BadSignature, TypeError, KeyError, ValueError):
            raise cls.DoesNotExist from None
        if int(link.expires_at.timestamp()) != value["expires"]:
            raise cls.DoesNotExist
        return link


class Attachment(models.Model):
    """A document attached to a news item: PDF, office documents or plain text."""

    news_item = models.ForeignKey(
        NewsItem,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("news item"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        validators=[validate_visible_text],
        help_text=_("What readers see as the link, e.g. “Schedule of receptions”."),
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Documents are listed in ascending order.")
    )

    # Kept so that recovering a deleted item brings its documents back.
    history = HistoricalRecords(
        verbose_name=_("attachment version"), verbose_name_plural=_("attachment versions")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        stored = None
        if self.pk is not None:
            stored = Attachment.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        super().save(*args, **kwargs)
        if stored and stored != self.file.name:  # replaced by another document
            delete_file_on_commit(self.file.storage, stored)

    def get_absolute_url(self) -> str:
        with translation.override(self.news_item.language):
            return reverse("news:attachment", kwargs={"pk": self.pk})

    @property
    def type_label(self) -> str:
        kind = DOCUMENT_TYPES.get(self.content_type)
        return kind.label if kind else ""

    @property
    def download_name(self) -> str:
        kind = DOCUMENT_TYPES.get(self.content_type)
        return download_name(self.title, kind.extension if kind else "bin")


def delete_file_on_commit(storage, name: str) -> None:
    """
    Delete a stored file once the change that let go of it is committed; a
    file that cannot be deleted is logged, and the change stands.
    """
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def attachment_deleted(sender, instance: Attachment, origin, **kwargs) -> None:
    """
    A document taken off an item takes its file with it. Documents deleted with
    their item keep theirs: recovering the item brings them back.
    """
    deleted = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if deleted is not NewsItem and instance.file:
        delete_file_on_commit(instance.file.storage, instance.file.name)
