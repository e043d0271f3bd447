"""
Month names, so that the portal's catalogues carry them.

Django's Belarusian catalogue writes the months in the classical spelling
("верасьня"), gives the nominative in the genitive ("студзеня", so a month's
archive would be titled "студзеня 2025") and has "сакавік" for "сакавіка".
The same calls as `django.utils.dates` put the names into `locale/`, whose
catalogues take precedence over Django's: `date:"F"` (nominative) and
`date:"E"` (genitive, after a day) then follow the official orthography.

Django has no month name for the middle of a sentence, lower-case in Russian
and Belarusian ("Архив новостей: март 2025"): `MONTHS_IN_TEXT` is ours.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONTHS = {
    1: _("January"),
    2: _("February"),
    3: _("March"),
    4: _("April"),
    5: _("May"),
    6: _("June"),
    7: _("July"),
    8: _("August"),
    9: _("September"),
    10: _("October"),
    11: _("November"),
    12: _("December"),
}
MONTHS_ALT = {  # the genitive, as in "5 October"
    1: pgettext_lazy("alt. month", "January"),
    2: pgettext_lazy("alt. month", "February"),
    3: pgettext_lazy("alt. month", "March"),
    4: pgettext_lazy("alt. month", "April"),
    5: pgettext_lazy("alt. month", "May"),
    6: pgettext_lazy("alt. month", "June"),
    7: pgettext_lazy("alt. month", "July"),
    8: pgettext_lazy("alt. month", "August"),
    9: pgettext_lazy("alt. month", "September"),
    10: pgettext_lazy("alt. month", "October"),
    11: pgettext_lazy("alt. month", "November"),
    12: pgettext_lazy("alt. month", "December"),
}

MONTHS_IN_TEXT = {  # within a sentence, as in "News archive: October 2025"
    1: pgettext_lazy("month in a sentence", "January"),
    2: pgettext_lazy("month in a sentence", "February"),
    3: pgettext_lazy("month in a sentence", "March"),
    4: pgettext_lazy("month in a sentence", "April"),
    5: pgettext_lazy("month in a sentence", "May"),
    6: pgettext_lazy("month in a sentence", "June"),
    7: pgettext_lazy("month in a sentence", "July"),
    8: pgettext_lazy("month in a sentence", "August"),
    9: pgettext_lazy("month in a sentence", "September"),
    10: pgettext_lazy("month in a sentence", "October"),
    11: pgettext_lazy("month in a sentence", "November"),
    12: pgettext_lazy("month in a sentence", "December"),
}
