"""Admin actions that take a hand-edited selection calmly."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# Django's own words for an empty selection, read from Django's catalogues
# (a name, not a literal, so that ours do not take a copy of them).
NO_ITEMS_SELECTED = (
    "Items must be selected in order to perform actions on them. No items have been changed."
)


class CheckedSelectionMixin:
    """
    A ModelAdmin whose actions answer a selection of things that are no ids
    (`_selected_action=abc`, from a hand-edited form) as Django answers an
    empty selection, where Django's own admin fails with a server error.
    """

    def response_action(self, request, queryset):
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.opts.pk.to_python(value)
        except ValidationError:
            self.message_user(
                request,
                gettext(NO_ITEMS_SELECTED),
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)
