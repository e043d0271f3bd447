import datetime

from django import forms
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from portal.admin import staff_choices, staff_name
from portal.forms import carry_loaded_values, widget_data
from portal.time_zone import time_zone_note

from . import workflow
from .attachments import check_document
from .editor import corrections_js
from .images import CleanImageField
from .models import Attachment, NewsItem, ShareLink
from .renditions import authored_body
from .sanitizer import sanitize_html, validate_visible_text
from .search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, query_words

# A publication time given further back than this gets a word in the admin:
# the item goes out at once, dated then, and is listed among that day's news.
BACKDATING_NOTICE = datetime.timedelta(days=1)


class NewsItemAdminForm(forms.ModelForm):
    lock_version = forms.IntegerField(label=_("Version"), widget=forms.HiddenInput, required=False)
    correction_note = forms.CharField(
        label=_("Correction note"),
        max_length=300,
        required=False,
        validators=[validate_visible_text],
        help_text=_(
            "Fill this in when the change corrects a mistake in the published text: "
            "readers see “Updated on 5 October: your note” under the date. "
            "Leave it empty for changes that are not corrections."
        ),
    )
    publish_override_reason = forms.CharField(
        label=_("Reason to publish without a second person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for superusers publishing an item they edited last themselves. "
            "The reason is kept in the item's history."
        ),
    )

    # Set by the admin for each request (see NewsItemAdmin.get_form).
    user = None
    may_correct = False
    may_override = False
    documents_changed = False  # documents added, replaced or removed in this save

    class Meta:
        model = NewsItem
        fields = [
            "title", "slug", "language", "translation_group", "category", "lead", "body",
            "cover_image", "cover_image_alt", "is_published", "published_at", "source", "author",
        ]  # fmt: skip
        widgets = {
            "body": CKEditor5Widget(config_name="news"),
            "lead": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"cover_image": CleanImageField}
        help_texts = {
            "body": _(
                "Describe every image with its “Change image text alternative” button; "
                "save an empty text alternative only for an image that is pure decoration."
            ),
        }

    class Media:
        js = corrections_js()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = format_lazy(
                "{} {} {}",
                NewsItem._meta.get_field("published_at").help_text,
                _(
                    "A draft published now gets the current time, unless this field is "
                    "changed in the same save; an item published before keeps its time "
                    "and address."
                ),
                time_zone_note(),
            )
        if "author" in self.fields:
            author = self.fields["author"]
            author.queryset = staff_choices(keep_pk=self.instance.author_id)
            author.label_from_instance = staff_name
        if "body" in self.fields:
            self._set_editor_languages(self.fields["body"].widget)
        # The admin leaves out what a person may only view (all of it, for some).
        if self.instance.pk and "lock_version" in self.fields:
            self.fields["lock_version"].initial = self.instance.version
        if not self.may_correct:
            self.fields.pop("correction_note", None)
        if not self.may_override:
            self.fields.pop("publish_override_reason", None)
        self.edit_conflict = None
        self.content_changed = False
        self.override_reason = ""
        self.backdated = False
        self.hidden_until = None
        # The publication time's loaded value (its default is a callable) decides
        # whether the person changed it; shown again, the form keeps it.
        carry_loaded_values(self)

    def _set_editor_languages(self, editor) -> None:
        """
        The editor speaks the admin's language, and marks its text as being in
        the item's, for screen readers and spelling (js/admin-news-item.js
        follows the language field when it changes).
        """
        language = self["language"].value() if "language" in self.fields else None
        if language not in NewsItem.Language.values:  # read-only, or a value to refuse
            language = self.instance.language
        # A new dict: copies of a widget share the one they were copied from.
        editor.config = {
            **editor.config,
            "language": {"ui": translation.get_language(), "content": language},
            # Screen readers name the editing area by this; CKEditor's own name
            # for it ends with its root's name, "main", in every language (and
            # so news/editor.py need not correct that string's Belarusian).
            "label": str(self.fields["body"].label),
        }

    def clean(self):
        cleaned_data = super().clean()
        if slug := cleaned_data.get("slug"):
            language = cleaned_data.get("language", self.instance.language)
            siblings = NewsItem.objects.filter(language=language).exclude(pk=self.instance.pk)
            if taken_by := siblings.filter(slug=slug).first():
                # Django's own error for the constraint, at the top of the form,
                # named neither the field nor the item.
                self.add_error(
                    "slug",
                    gettext(
                        "The address “%(slug)s” is taken by “%(title)s”. Choose another, "
                        "or leave the field empty and the address is made from the title."
                    )
                    % {"slug": slug, "title": taken_by.title},
                )
        return cleaned_data

    def _post_clean(self):
        # Django has now put the submitted values on self.instance: the
        # workflow's rules judge the item as it would be saved.
        super()._post_clean()
        item = self.instance
        item.body = sanitize_html(item.body)
        stored = self._stored_item()
        if stored is not None and "published_at" not in self.changed_data:
            # The form shows whole seconds: an untouched time keeps its fraction,
            # or every save would record a change of it in the history.
            item.published_at = stored.published_at
        if item.pk and not self._check_edit_conflict(stored):
            return
        publishes_a_draft = item.is_published and not (stored and stored.is_published)
        if (
            publishes_a_draft
            and "published_at" not in self.changed_data
            and item.published_at < timezone.now()
            and not (stored and stored.was_live())
        ):
            # A draft goes out now (as from the list's action), not at the time
            # it was begun; a time set in this save, past or future, stands, and
            # an item readers have seen before (taken back to draft to be
            # corrected) keeps its own: its address and its place in the lists.
            item.published_at = timezone.now()
        if stored is not None and stored.is_live and item.is_scheduled:
            self.hidden_until = item.published_at  # readers lose it until then
        self.backdated = (
            item.is_published
            and not item.is_withdrawn
            and (publishes_a_draft or "published_at" in self.changed_data)
            and item.published_at < timezone.now() - BACKDATING_NOTICE
        )
        self.content_changed = (
            stored is None
            or self.documents_changed
            or any(
                _value(stored, field) != _value(item, field)
                for field in NewsItem._meta.fields
                if field.name in self.fields and field.name not in workflow.PUBLICATION_FIELDS
            )
        )
        if self.user is not None:
            self._check_publishing(stored, item)

    def _stored_item(self):
        """The item as saved now, locked until this save commits where the database can."""
        if not self.instance.pk:
            return None
        items = NewsItem.objects.all()
        if transaction.get_connection().in_atomic_block:
            items = items.select_for_update()
        return items.filter(pk=self.instance.pk).first()

    def _check_edit_conflict(self, stored) -> bool:
        """
        Refuse a save made from a form loaded before someone else's save. The
        form keeps what this person changed, takes what only the other person
        changed (saving again kept this person's copy of it, undoing theirs
        without a word), shows where the saved version and theirs still differ,
        and now carries the saved version: saving again keeps both.
        """
        if stored is None:
            self.add_error(None, gettext("Someone has deleted this item while you were editing."))
            return False
        loaded_version = self.cleaned_data.get("lock_version")
        if loaded_version == stored.version:
            return True
        loaded = stored.history.filter(version=loaded_version).order_by("-history_date").first()
        self.data = self.data.copy()
        differences, taken = [], []
        for field in NewsItem._meta.fields:
            if field.name not in self.fields:
                continue
            typed, saved = _value(self.instance, field), _value(stored, field)
            if typed == saved:
                continue
            if loaded is not None and typed == _value(loaded.instance, field):
                taken.append(self.fields[field.name].label)
                self._show_saved(field, stored)
            else:
                differences.append(
                    {
                        "label": self.fields[field.name].label,
                        "saved": _display(stored, field),
                        "typed": self._typed(field),
                    }
                )
        last = stored.history.select_related("history_user").first()
        self.edit_conflict = {
            "user": last.history_user if last else None,
            "saved_at": last.history_date if last else stored.updated_at,
            "differences": differences,
            "taken": taken,
        }
        self.data[self.add_prefix("lock_version")] = stored.version
        self.add_error(
            None,
            gettext(
                "Someone else saved this item while you were editing it, so your changes "
                "were not saved. Compare your version with the saved one below; save again "
                "to keep yours."
            ),
        )
        return False

    def _show_saved(self, field, stored) -> None:
        """Put `stored`'s value of `field` in the form's data, as its widget sends it."""
        name = self.add_prefix(field.name)
        form_field = self.fields[field.name]
        value = form_field.prepare_value(field.value_from_object(stored))
        # The widget itself, not the admin's wrapper of a related field's.
        widget = getattr(form_field.widget, "widget", form_field.widget)
        if isinstance(widget, forms.CheckboxInput):
            if value:
                self.data[name] = "on"
            else:
                self.data.pop(name, None)
        elif not isinstance(widget, forms.FileInput):  # an unchosen file keeps the saved one
            # One by one: a QueryDict's update() adds to a key's values.
            for key, sent in widget_data(name, widget, value).items():
                self.data[key] = sent

    def _typed(self, field) -> str:
        """A typed value for the edit conflict; a browser cannot send a chosen file again."""
        upload = self.files.get(self.add_prefix(field.name))
        if upload is not None:
            return gettext("%(file)s (not kept: choose the file again)") % {"file": upload.name}
        return _display(self.instance, field)

    def _check_publishing(self, stored, item):
        was_published = stored is not None and stored.is_published
        if not workflow.can_publish(self.user) and item.is_published != was_published:
            self.add_error(None, gettext("You may not publish or unpublish news items."))
            return
        problem = workflow.second_person_problem(
            self.user, stored, item, content_changed=self.content_changed
        )
        if problem:
            reason = self.cleaned_data.get("publish_override_reason", "").strip()
            if self.may_override and reason:
                self.override_reason = reason
            else:
                if self.may_override:
                    problem = " ".join(
                        [
                            problem,
                            gettext("As a superuser you may give a reason to publish anyway."),
                        ]
                    )
                self.add_error("is_published" if "is_published" in self.fields else None, problem)
        problems = workflow.publication_problems(item)
        if problems:
            self.add_error(
                None,
                gettext(
                    "The item cannot be published until the accessibility problems marked "
                    "below are fixed. A draft can always be saved: untick “published”."
                ),
            )
            for field, messages in problems.items():
                self.add_error(field if field in self.fields else None, messages)


def _value(item, field):
    value = field.value_from_object(item)
    if isinstance(field, models.FileField):
        return value.name if value else None
    if field.name == "body":
        return authored_body(value)
    return value


def _display(item, field) -> str:
    if field.name == "body":
        return strip_tags(item.body).strip()
    if field.is_relation:
        related = getattr(item, field.name)
        return str(related) if related is not None else "—"
    if field.choices:
        return str(getattr(item, f"get_{field.name}_display")())
    value = _value(item, field)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return "—" if value in (None, "") else str(value)


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to readers"),
        max_length=500,
        validators=[validate_visible_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Readers see “Withdrawn on 5 October: your reason” above the original text."),
    )
    in_error = forms.BooleanField(
        label=_("Published in error"),
        required=False,
        help_text=_(
            "The item should never have been published: instead of the text with a "
            "notice, its page will only say it was removed."
        ),
    )


class ShareLinkForm(forms.Form):
    LIFETIMES = [
        (1, _("1 hour")),
        (24, _("1 day")),
        (72, _("3 days")),
        (168, _("7 days")),
    ]
    hours = forms.TypedChoiceField(
        label=_("The link works for"), choices=LIFETIMES, coerce=int, initial=24
    )

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if datetime.timedelta(hours=hours) > ShareLink.MAX_LIFETIME:
            raise forms.ValidationError(gettext("A share link works for 7 days at most."))
        return hours


class SearchForm(forms.Form):
    """
    The reader's search query; too long, of too many words or with NUL
    characters is a form error.
    """

    q = forms.CharField(
        label=_("Search the news"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        if len(query_words(query)) > MAX_QUERY_WORDS:
            raise forms.ValidationError(
                ngettext(
                    "A search may have at most %(count)d different word.",
                    "A search may have at most %(count)d different words.",
                    MAX_QUERY_WORDS,
                ),
                code="too_many_words",
                params={"count": MAX_QUERY_WORDS},
            )
        return query


class DocumentInput(forms.ClearableFileInput):
    """
    The file input of an attached document, whose "Currently" link is the
    download view's: nothing serves the file at its /media/ address.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = DocumentLink(value)
        return context


class DocumentLink(str):
    """
    A stored document's name as readers download it («График приёма.pdf», not
    the random name it is stored under), with its download address as its `url`.
    """

    def __new__(cls, file):
        link = super().__new__(cls, file.instance.download_name)
        link.url = file.instance.get_absolute_url()
        return link


class AttachmentAdminForm(forms.ModelForm):
    """An attached document is accepted by its content; it is stored under a random name."""

    class Meta:
        model = Attachment
        fields = ["title", "file", "position"]
        widgets = {"file": DocumentInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The uploaded file's own name is not kept, so its length does not matter.
        if "file" in self.fields:  # not for those who may only read the item
            self.fields["file"].max_length = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            kind = check_document(upload)
            upload.name = f"document.{kind.extension}"
            self.instance.content_type = kind.content_type
        return upload
