"""The admin's own template filters."""

from django import template

from news.workflow import describe_change_reason
from portal.month_names import MONTHS_ALT

register = template.Library()


@register.filter
def change_reason(stored: str | None) -> str:
    """A version's change reason in the admin's language (see news.workflow.CHANGE_REASONS)."""
    return describe_change_reason(stored) or ""


@register.simple_tag
def months_after_a_day() -> str:
    """
    The months' names as a date writes them after the day ("15 декабря 2026"),
    in the admin's language, for js/admin-keyboard.js to name the calendar's
    days: Chromium's Intl has no Belarusian, and its Russian and English write
    "15 декабря 2026 г." and "December 15, 2026", unlike the admin.
    """
    return "|".join(str(MONTHS_ALT[month]) for month in range(1, 13))
