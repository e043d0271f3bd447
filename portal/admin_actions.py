"""Admin pieces that take a hand-edited form or address calmly, where Django's fail."""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

# Django's own words for an empty selection, read from Django's catalogues
# (a name, not a literal, so that ours do not take a copy of them).
NO_ITEMS_SELECTED = (
    "Items must be selected in order to perform actions on them. No items have been changed."
)


def holds(field, value) -> bool:
    """Whether `value`, as a form or an address sent it, is one `field` can hold."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class CheckedInputMixin:
    """
    A ModelAdmin that answers what a hand-edited form or address sends calmly,
    where Django's own admin fails with a server error:

    - actions on a selection of things that are no ids (`_selected_action=abc`,
      or an id too large for the database) are answered as Django answers an
      empty selection;
    - an add form's date or time from the address (`?published_at=abc`) is
      taken only if it is one: Django gave the text to the date and time widget;
    - the list is not filtered by a regular expression (`?title__regex=(`),
      which the database refuses only when the list is shown; the filter is
      refused as one not allowed (400).
    """

    def response_action(self, request, queryset):
        selection = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(holds(self.opts.pk, value) for value in selection):
            self.message_user(request, gettext(NO_ITEMS_SELECTED), messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.DateField | models.TimeField):
                try:
                    initial[name] = field.formfield().clean(value)
                except ValidationError:
                    del initial[name]
        return initial

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.endswith(("__regex", "__iregex")):
            return False
        return super().lookup_allowed(lookup, value, request)


class AutocompleteSelect(widgets.AutocompleteSelect):
    """
    Django's autocomplete widget, which shows a refused form again with a
    submitted value that is no id (`category=abc`) as no choice: Django's looks
    the value up and fails with a server error. It speaks Belarusian too.
    """

    # Languages Select2 has no words for: their files are ours, in
    # static/admin/js/vendor/select2/i18n/.
    OWN_TRANSLATIONS = {"be"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django found no Select2 file: Select2 spoke English, and `lang` read "None".
        if self.i18n_name is None and get_language() in self.OWN_TRANSLATIONS:
            self.i18n_name = get_language()

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(remote.field_name)
        value = [choice for choice in value if choice == "" or holds(to_field, choice)]
        return super().optgroups(name, value, attr)

    def build_attrs(self, base_attrs, extra_attrs=None):
        # Select2 names its box by what it shows: with nothing chosen, Django's
        # empty placeholder left it nameless to a screen reader.
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = capfirst(self.field.verbose_name)
        return attrs

    @property
    def media(self):
        # Names the open list and its search box, with django.jQuery: after
        # jquery.init.js, which defines it.
        return super().media + forms.Media(
            js=["admin/js/jquery.init.js", "js/admin-autocomplete.js"]
        )
