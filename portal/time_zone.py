from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def time_zone_note():
    """The help text that names the time zone in which a time is entered."""
    return format_lazy(_("Time in the committee's time zone ({zone})."), zone=settings.TIME_ZONE)
