from django import forms
from django.utils import timezone

from portal.forms import carry_loaded_values

from .models import UrgentNotice


class UrgentNoticeAdminForm(forms.ModelForm):
    """
    Each field carries the value the form was loaded with (a hidden copy): a
    field this person did not change keeps the saved value, which someone else
    may have changed meanwhile. A notice ended from the list came back on every
    page when a colleague saved a typo fix begun before it was ended.
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
                if name in cleaned_data and self._unchanged(name):
                    cleaned_data[name] = getattr(self.instance, name)
        return cleaned_data

    def _unchanged(self, name: str) -> bool:
        """Whether the form sent `name` as it was loaded (a form without the copy changes it)."""
        loaded = self.add_initial_prefix(name)
        sent_loaded = any(key == loaded or key.startswith(f"{loaded}_") for key in self.data)
        return sent_loaded and name not in self.changed_data
