"""
The editorial workflow's rules: who may publish, and what an item must pass
before it is published.

Editors write and change drafts; publishers may also publish, schedule,
unpublish and withdraw (the `news.publish_newsitem` permission). With
PORTAL_REQUIRE_SECOND_PERSON on, the person who publishes an item must not be
its last editor; a superuser may override that with a written reason, which is
kept in the item's history.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .accessibility_checks import check_item

PUBLISH_PERMISSION = "news.publish_newsitem"

# The roles are the groups migration 0003 made. Code and migrations find them by
# these names, which stay as they are in the database; staff read them in the
# admin's language.
ROLE_GROUPS = {
    "Editor": pgettext_lazy("role", "Editor"),
    "Publisher": pgettext_lazy("role", "Publisher"),
}


def shown_group_name(name: str) -> str:
    """A group's name as staff read it: a role's in the current language, others' as saved."""
    return str(ROLE_GROUPS.get(name, name))


def group_str(group) -> str:
    """
    `Group.__str__` (news/apps.py): wherever Django names a group (the admin's
    forms, filters and headings, its messages, the history), a role is named in
    the admin's language. Code finds a role by its `name`, which stays English.
    """
    return shown_group_name(group.name)


# Fields that say whether and when readers see an item. Changing them is
# publishing, not editing: it does not make the person the item's last editor.
PUBLICATION_FIELDS = {"is_published", "published_at"}


def can_publish(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def works_on_news(user) -> bool:
    """
    Editors, publishers and superusers, who see on the site what readers do not
    (drafts, scheduled items, their documents, withheld images). Staff status
    alone, such as an account that only manages users, is not enough.
    """
    return user.is_active and user.is_staff and user.has_perm("news.view_newsitem")


def is_being_published(stored, item) -> bool:
    """
    Whether this save settles what readers will see of an item they have not
    seen: it publishes or schedules a draft, or it changes a scheduled item,
    whose text readers see when its time comes.
    """
    return item.is_published and (stored is None or not stored.is_published or stored.is_scheduled)


def second_person_problem(user, stored, item, *, content_changed: bool) -> str | None:
    """
    Why `user` may not publish `item` themselves under the "second pair of
    eyes" rule, or None. `stored` is the item as saved before (None for a new
    one); `content_changed` tells whether this save also edits the content.
    """
    if not settings.PORTAL_REQUIRE_SECOND_PERSON or not is_being_published(stored, item):
        return None
    last_editor_id = stored.last_edited_by_id if stored is not None else None
    if last_editor_id == user.pk:
        # Said in the form and in the list, where the item is a draft already.
        return _(
            "You edited this item last, so another publisher must publish it "
            "(a second pair of eyes): leave it a draft and ask a colleague to publish it."
        )
    if content_changed:
        return _(
            "You are changing what readers will get in the save that publishes it, so "
            "another publisher must publish it (a second pair of eyes): save your changes "
            "without publishing it and ask a colleague to publish it."
        )
    return None


def publication_problems(item) -> dict[str, list[str]]:
    """What keeps `item` from being published, by form field (empty for a draft)."""
    if not item.is_published:
        return {}
    return check_item(item)


# Why a version of an item was saved, as its history shows it (simple-history's
# `history_change_reason`). The history keeps each kind with the staff member's
# own words, as JSON: `[["withdrawn", {"reason": "…"}]]`, and puts them into the
# language of whoever reads it, as Django's admin log does with its messages.
CHANGE_REASONS = {
    "override": gettext_lazy("Published without a second person: %(reason)s"),
    "correction": gettext_lazy("Correction: %(note)s"),
    "published": gettext_lazy("Published from the list"),
    "unpublished": gettext_lazy("Unpublished from the list"),
    "withdrawn": gettext_lazy("Withdrawn: %(reason)s"),
    "withdrawal_cancelled": gettext_lazy("Withdrawal cancelled"),
    "recovered": gettext_lazy("Recovered after deletion"),
    "translation_added": gettext_lazy("Translation added: “%(title)s”"),
}


def change_reason(*reasons: tuple[str, dict]) -> str:
    """What the history keeps for `reasons`: (kind, the staff member's words) pairs."""
    return json.dumps([[kind, words] for kind, words in reasons], ensure_ascii=False)


def describe_change_reason(stored: str | None) -> str:
    """A stored change reason in the active language; one kept as plain text as it is."""
    try:
        reasons = json.loads(stored or "[]")
        return " ".join(str(CHANGE_REASONS[kind]) % words for kind, words in reasons)
    except (ValueError, TypeError, KeyError):
        return stored
