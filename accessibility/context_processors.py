from django.utils.html import format_html_join

from .preferences import Preferences, switch_label


def display_preferences(request):
    """
    What `base.html` needs for the version for the visually impaired: the
    visitor's preferences (for the panel), the `<html>` attributes that apply
    them, and the switch's label and value.
    """
    preferences = getattr(request, "display_preferences", None) or Preferences()
    return {
        "display_preferences": preferences,
        "display_attributes": format_html_join(
            " ", '{}="{}"', preferences.html_attributes().items()
        ),
        "display_switch": {
            "label": switch_label(preferences.active),
            "value": "off" if preferences.active else "on",
        },
    }
