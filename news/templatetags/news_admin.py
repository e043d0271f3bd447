"""The admin's own template filters."""

from django import template

from news.workflow import describe_change_reason

register = template.Library()


@register.filter
def change_reason(stored: str | None) -> str:
    """A version's change reason in the admin's language (see news.workflow.CHANGE_REASONS)."""
    return describe_change_reason(stored) or ""
