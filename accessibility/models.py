import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .preferences import (
    FONT,
    IMAGES,
    LETTER_SPACING,
    LINE_SPACING,
    SCHEME,
    SETTINGS,
    SIZE,
    Preferences,
)


def setting_field(setting):
    return models.CharField(
        setting.label, max_length=20, choices=setting.choices, default=setting.default
    )


class DisplayPreferencesQuerySet(models.QuerySet):
    def record(self, token: str, preferences: Preferences, user=None) -> "DisplayPreferences":
        """Store a visitor's preferences in their one row, made on their first change."""
        values = preferences.as_mapping()
        if user is not None:
            values["user"] = user
        row, _created = self.update_or_create(token=token, defaults=values)
        return row

    def changed_since(self, since: datetime.datetime):
        return self.filter(updated_at__gte=since)

    def unchanged_since(self, since: datetime.datetime):
        return self.filter(updated_at__lt=since)

    def usage(self, days: int = 30) -> dict:
        """
        How many visitors changed their settings in the last `days` days, how many of
        them use the version for the visually impaired, and how many of those chose
        each value of each setting. One query.
        """
        counts = {
            "all_visitors": Count("pk"),
            "active_visitors": Count("pk", filter=Q(active=True)),
            **{
                f"{setting.name}:{value}": Count(
                    "pk", filter=Q(active=True, **{setting.name: value})
                )
                for setting in SETTINGS
                for value in setting.values
            },
        }
        totals = self.changed_since(timezone.now() - datetime.timedelta(days=days)).aggregate(
            **counts
        )
        return {
            "days": days,
            "visitors": totals["all_visitors"],
            "active": totals["active_visitors"],
            "settings": [
                {
                    "label": setting.label,
                    "choices": [
                        {"label": label, "count": totals[f"{setting.name}:{value}"]}
                        for value, label in setting.choices
                    ],
                }
                for setting in SETTINGS
            ],
        }


class DisplayPreferences(models.Model):
    """One visitor's display settings, kept for their browser's opaque token."""

    token = models.CharField(_("visitor token"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="display_preferences",
        verbose_name=_("user"),
    )
    active = models.BooleanField(_("version for the visually impaired"), default=False)
    font = setting_field(FONT)
    size = setting_field(SIZE)
    letter_spacing = setting_field(LETTER_SPACING)
    line_spacing = setting_field(LINE_SPACING)
    scheme = setting_field(SCHEME)
    images = setting_field(IMAGES)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True, db_index=True)

    objects = DisplayPreferencesQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("display preferences")
        verbose_name_plural = _("display preferences")

    def __str__(self):
        return _("Visitor %(token)s…") % {"token": self.token[:8]}
