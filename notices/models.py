"""
Urgent notices: a short site-wide message (a road closure, a weather warning)
shown at the top of every public page until it expires.

Public pages read the current notices from the cache, so showing them costs no
query while the cache is warm; saving or deleting a notice starts a new content
generation (portal/page_cache.py), and the notices are read again.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from news.sanitizer import validate_visible_text
from portal.page_cache import cached_for_generation


class UrgentNoticeQuerySet(models.QuerySet):
    def current(self):
        now = timezone.now()
        return self.filter(starts_at__lte=now, expires_at__gt=now)

    def not_ended(self):
        """The notices shown now and those whose time has not come yet."""
        return self.filter(expires_at__gt=timezone.now())

    def next_change(self):
        """When a notice next appears or disappears (None when none will)."""
        now = timezone.now()
        changes = self.not_ended().aggregate(
            start=Min("starts_at", filter=Q(starts_at__gt=now)), end=Min("expires_at")
        )
        return min(filter(None, changes.values()), default=None)


class UrgentNotice(models.Model):
    MAX_LENGTH = 300
    LONGEST_STAY = datetime.timedelta(days=90)

    text = models.CharField(
        _("text (Russian)"), max_length=MAX_LENGTH, validators=[validate_visible_text]
    )
    text_be = models.CharField(
        _("text (Belarusian)"),
        max_length=MAX_LENGTH,
        blank=True,
        validators=[validate_visible_text],
        help_text=_("Visitors reading in a language without a text see the Russian one."),
    )
    text_en = models.CharField(
        _("text (English)"), max_length=MAX_LENGTH, blank=True, validators=[validate_visible_text]
    )
    starts_at = models.DateTimeField(
        _("shown from"),
        default=timezone.now,
        help_text=_(
            "A time ahead shows the notice from then (a road closed tomorrow); left as "
            "it is or empty, the notice shows at once."
        ),
    )
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
        # As the admin's sentences quote it («Добавлено: срочное объявление «…».»):
        # short, and without a full stop of its own before theirs.
        return Truncator(self.text.rstrip(".")).chars(80)

    def clean(self):
        super().clean()
        if self.expires_at and self.expires_at <= timezone.now() and self._expiry_changed():
            # An ended notice may still be corrected: it stays ended.
            raise ValidationError({"expires_at": _("Choose a time in the future.")})
        if self.expires_at and self.expires_at > timezone.now() + self.LONGEST_STAY:
            # An expiry in 9999 would make an urgent notice a permanent banner.
            raise ValidationError(
                {"expires_at": _("An urgent notice stays 90 days at most: choose a nearer time.")}
            )
        # (An ended notice, or one called off before it appeared, may still be corrected.)
        if (
            self.starts_at
            and self.expires_at
            and self.starts_at >= self.expires_at > timezone.now()
        ):
            raise ValidationError(
                {"expires_at": _("The notice must disappear after the time it appears.")}
            )

    def _expiry_changed(self) -> bool:
        if self.pk is None:
            return True
        stored = UrgentNotice.objects.filter(pk=self.pk).values_list("expires_at", flat=True)
        return stored.first() != self.expires_at

    @property
    def is_current(self) -> bool:
        return self.starts_at <= timezone.now() < self.expires_at


def cached_notices() -> list[dict]:
    """
    The notices shown now or later, in all languages, read once per content
    generation: saving or deleting a notice starts a new one (see
    notices/apps.py), and so does a notice's time to appear or disappear.
    """

    def read() -> list[dict]:
        return [
            {
                "texts": {"ru": n.text, "be": n.text_be, "en": n.text_en},
                "starts_at": n.starts_at,
                "expires_at": n.expires_at,
            }
            for n in UrgentNotice.objects.not_ended()
        ]

    return cached_for_generation("urgent-notices", read)


def current_notices() -> list[dict]:
    """The notices to show now, in the active language (Russian where none is given)."""
    notices = cached_notices()
    now = timezone.now()
    language = translation.get_language()
    shown = []
    for notice in notices:
        if not notice["starts_at"] <= now < notice["expires_at"]:
            continue
        text = notice["texts"].get(language)
        shown.append(
            {"text": text or notice["texts"]["ru"], "language": language if text else "ru"}
        )
    return shown
