from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from slugify import slugify

from .attachments import DOCUMENT_TYPES, attachment_upload_to, download_name
from .renditions import RENDITION_SPECS, responsive_body_images, srcset
from .sanitizer import sanitize_html
from .search import document_text, search_news, search_vector_expression

SLUG_MAX_LENGTH = 120


class Category(models.Model):
    """A section of the news, e.g. "Economy" or "Announcements"."""

    name = models.CharField(_("name (Russian)"), max_length=100)
    name_be = models.CharField(_("name (Belarusian)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in ascending order.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language, falling back to the Russian one."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        return getattr(self, f"name_{language}", "") or self.name


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: marked published, with a publication time that has come."""
        return self.filter(is_published=True, published_at__lte=timezone.now())

    def in_language(self, language: str | None = None):
        return self.filter(language=language or translation.get_language())

    def search(self, query: str, language: str | None = None):
        """Items in `language` (the active one by default) matching `query`, best first."""
        return search_news(self, query, language or translation.get_language())


class NewsItem(models.Model):
    class Language(models.TextChoices):
        RUSSIAN = "ru", _("Russian")
        BELARUSIAN = "be", _("Belarusian")
        ENGLISH = "en", _("English")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The readable part of the address. Made from the title when left empty; "
            "it cannot change once the item is published."
        ),
    )
    lead = models.TextField(_("lead"), help_text=_("A short summary shown in lists."))
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
    cover_image_alt = models.CharField(
        _("cover image description"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
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
        limit_choices_to={"is_staff": True},
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

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="news_unique_slug_per_language"
            ),
        ]
        indexes = [
            models.Index(
                fields=["language", "is_published", "-published_at"],
                name="news_public_list_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(responsive_body_images(sanitize_html(self.body)))
        if not self.slug:
            self.slug = self._unique_slug()
        self.search_text = document_text(self.title, self.lead, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "lead", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

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
        if self.cover_image and not self.cover_image_alt.strip():
            raise ValidationError(
                {"cover_image_alt": _("Describe the image for readers who cannot see it.")}
            )

    def _unique_slug(self) -> str:
        """A readable slug from the title (Cyrillic is transliterated), unique per language."""
        base = slugify(self.title, max_length=SLUG_MAX_LENGTH - 4, word_boundary=True) or "news"
        siblings = NewsItem.objects.filter(language=self.language).exclude(pk=self.pk)
        slug, suffix = base, 2
        while siblings.filter(slug=slug).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    @property
    def is_live(self) -> bool:
        """Whether readers can see the item now (the same rule as `published()`)."""
        return self.is_published and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.is_published and self.published_at > timezone.now()

    @property
    def cover_srcset(self) -> str:
        """The cover's renditions for `srcset` (no file is opened to make it)."""
        if not self.cover_image:
            return ""
        renditions = {480: self.cover_480, 800: self.cover_800, 1200: self.cover_1200}
        return srcset(renditions, self.cover_image_width)


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
        help_text=_("What readers see as the link, e.g. “Schedule of receptions”."),
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Documents are listed in ascending order.")
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
        super().save(*args, **kwargs)

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
