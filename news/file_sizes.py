"""File sizes in the refusals of uploads: the size of what was sent, and the limit."""

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import ngettext


def size_and_limit(size: int, limit: int) -> dict[str, str]:
    """
    The two as `filesizeformat` writes them («20,4 МБ»), or in bytes where it
    rounds them alike: «Файл слишком большой (20,0 МБ). Допустимый размер —
    не более 20,0 МБ.» said nothing.
    """
    shown = {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    if shown["size"] == shown["limit"]:
        shown = {"size": in_bytes(size), "limit": in_bytes(limit)}
    return shown


def in_bytes(size: int) -> str:
    """«20 971 521 байт»: grouped as the language groups digits."""
    grouped = number_format(size, force_grouping=True)
    return ngettext("%(bytes)s byte", "%(bytes)s bytes", size) % {"bytes": grouped}
