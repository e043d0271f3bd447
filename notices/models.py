"""
Urgent notices: a short site-wide message (a road closure, a weather warning)
shown at the top of every public page until it expires.

Public pages read the current notices from the cache, so showing them costs no
query while the cache is warm; saving or deleting a notice clears the cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

CACHE_KEY = "notices:current"
# The cache is cleared on every change; the timeout only bounds how long a
# change made behind Django's back (e.g. in SQL) can go unseen.
CACHE_TIMEOUT = 60 * 60


class UrgentNoticeQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expires_at__gt=timezone.now())


class UrgentNotice(models.Model):
    MAX_LENGTH = 300

    text = models.CharField(_("text (Russian)"), max_length=MAX_LENGTH)
    text_be = models.CharField(
        _("text (Belarusian)"),
        max_length=MAX_LENGTH,
        blank=True,
        help_text=_("Visitors reading in a language without a text see the Russian one."),
    )
    text_en = models.CharField(_("text (English)"), max_length=MAX_LENGTH, blank=True)
    expires_at = models.DateTimeField(
        _("shown until"),
        help_text=_("Required: the notice disappears from the site at this time."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = UrgentNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("urgent notice")
        verbose_name_plural = _("urgent notices")

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.expires_at and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("Choose a time in the future.")})

    @property
    def is_current(self) -> bool:
        return self.expires_at > timezone.now()


@receiver(post_save, sender=UrgentNotice)
@receiver(post_delete, sender=UrgentNotice)
def forget_current_notices(**kwargs):
    """
    Clear the cached notices when one is saved or deleted (also by the admin's
    bulk delete), now and again when the change is committed.
    """
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def cached_notices() -> list[dict]:
    """The current notices in all languages, from the cache (one query when it is cold)."""
    notices = cache.get(CACHE_KEY)
    if notices is None:
        notices = [
            {
                "texts": {"ru": n.text, "be": n.text_be, "en": n.text_en},
                "expires_at": n.expires_at,
            }
            for n in UrgentNotice.objects.current()
        ]
        cache.set(CACHE_KEY, notices, CACHE_TIMEOUT)
    return notices


def next_expiry():
    """When the next current notice expires (None when there is none): pages change then."""
    now = timezone.now()
    return min(
        (notice["expires_at"] for notice in cached_notices() if notice["expires_at"] > now),
        default=None,
    )


def current_notices() -> list[dict]:
    """The notices to show now, in the active language (Russian where none is given)."""
    notices = cached_notices()
    now = timezone.now()
    language = translation.get_language()
    shown = []
    for notice in notices:
        if notice["expires_at"] <= now:
            continue
        text = notice["texts"].get(language)
        shown.append(
            {"text": text or notice["texts"]["ru"], "language": language if text else "ru"}
        )
    return shown
