import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from portal.forms import carry_loaded_values, widget_data

from .models import UrgentNotice


class UrgentNoticeAdminForm(forms.ModelForm):
    """
    Each field carries the value the form was loaded with (a hidden copy): a
    field this person did not change keeps the saved value, which someone else
    may have changed meanwhile. A notice ended from the list came back on every
    page when a colleague saved a typo fix begun before it was ended. A field
    both people changed is refused once, with the saved value shown: saving
    again replaces it.
    """

    class Meta:
        model = UrgentNotice
        fields = ["text", "text_be", "text_en", "starts_at", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True
        carry_loaded_values(self)
        self.fields["starts_at"].required = False

    def clean_starts_at(self):
        # Left empty: at once, or for a notice saved before, when it was to appear.
        start = self.instance.starts_at if self.instance.pk else timezone.now()
        return self.cleaned_data["starts_at"] or start

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:  # the notice as saved now, the values not yet applied
            for name in self.fields:
                if name not in cleaned_data or not self._sent_loaded(name):
                    continue  # a form without the copies changes what it sends
                if name not in self.changed_data:
                    cleaned_data[name] = getattr(self.instance, name)
                elif self._changed_by_someone_else(name):
                    self._refuse_overwriting(name)
        return cleaned_data

    def _sent_loaded(self, name: str) -> bool:
        loaded = self.add_initial_prefix(name)
        return any(key == loaded or key.startswith(f"{loaded}_") for key in self.data)

    def _changed_by_someone_else(self, name: str) -> bool:
        """Whether `name` was saved since the form was loaded, with a value not the one typed."""
        field, saved = self.fields[name], self.get_initial_for_field(self.fields[name], name)
        loaded = self._widget_data_value(field.hidden_widget(), self.add_initial_prefix(name))
        typed = self._widget_data_value(field.widget, self.add_prefix(name))
        return field.has_changed(saved, loaded) and field.has_changed(saved, typed)

    def _refuse_overwriting(self, name: str) -> None:
        """Show the saved value, and carry it as the loaded one: saving again replaces it."""
        field, saved = self.fields[name], getattr(self.instance, name)
        if isinstance(saved, datetime.datetime):  # as the form shows it (news items' too)
            saved = timezone.localtime(saved).strftime("%Y-%m-%d %H:%M")
        self.add_error(
            name,
            gettext(
                "Someone else changed this while you were editing. Save again to replace "
                "their value with yours. Saved now: %(saved)s"
            )
            % {"saved": saved or "—"},
        )
        loaded = widget_data(
            self.add_initial_prefix(name),
            field.hidden_widget(),
            field.prepare_value(self.get_initial_for_field(field, name)),
        )
        self.data = self.data.copy()
        for key, value in loaded.items():
            self.data[key] = value
