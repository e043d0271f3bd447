"""
The editorial workflow's rules: who may publish, and what an item must pass
before it is published.

Editors write and change drafts; publishers may also publish, schedule,
unpublish and withdraw (the `news.publish_newsitem` permission). With
PORTAL_REQUIRE_SECOND_PERSON on, the person who publishes an item must not be
its last editor; a superuser may override that with a written reason, which is
kept in the item's history.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .accessibility_checks import check_item

PUBLISH_PERMISSION = "news.publish_newsitem"

# Fields that say whether and when readers see an item. Changing them is
# publishing, not editing: it does not make the person the item's last editor.
PUBLICATION_FIELDS = {"is_published", "published_at"}


def can_publish(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def is_being_published(stored, item) -> bool:
    """Whether this save makes readers see (or schedules) an item they did not see."""
    return item.is_published and (stored is None or not stored.is_published)


def second_person_problem(user, stored, item, *, content_changed: bool) -> str | None:
    """
    Why `user` may not publish `item` themselves under the "second pair of
    eyes" rule, or None. `stored` is the item as saved before (None for a new
    one); `content_changed` tells whether this save also edits the content.
    """
    if not settings.PORTAL_REQUIRE_SECOND_PERSON or not is_being_published(stored, item):
        return None
    last_editor_id = stored.last_edited_by_id if stored is not None else None
    if content_changed or last_editor_id == user.pk:
        return _(
            "You edited this item last, so another publisher must publish it "
            "(a second pair of eyes). Save it as a draft and ask a colleague."
        )
    return None


def publication_problems(item) -> dict[str, list[str]]:
    """What keeps `item` from being published, by form field (empty for a draft)."""
    if not item.is_published:
        return {}
    return check_item(item)


def override_note(reason: str) -> str:
    """The history's record of a superuser publishing without a second person."""
    return _("Published without a second person: %(reason)s") % {"reason": reason.strip()}
