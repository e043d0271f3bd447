import copy
import datetime
import difflib
import html
import re

from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from portal.admin import FoldedSearchMixin, staff_name
from portal.admin_actions import AutocompleteSelect, CheckedInputMixin, holds

from . import workflow
from .accessibility_checks import check_item
from .forms import AttachmentAdminForm, NewsItemAdminForm, ShareLinkForm, WithdrawalForm
from .models import Attachment, Category, Correction, NewsItem, ShareLink, first_unused
from .sanitizer import sanitize_html

# What readers of a language see of a section with no name in it.
MISSING_SECTION_NAMES = {
    "be": _(
        "The category “%(name)s” has no Belarusian name: Belarusian pages and feeds "
        "show its Russian name."
    ),
    "en": _(
        "The category “%(name)s” has no English name: English pages and feeds "
        "show its Russian name."
    ),
}


class LabelledRowsFormSet(forms.BaseModelFormSet):
    """
    Names each field a list lets staff change in place by its column's heading
    and its row ("Порядок: Экономика"): Django gives them no label, so a screen
    reader read out a row of unnamed number boxes.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", f"{field.label}: {form.instance}")


@admin.register(Category)
class CategoryAdmin(CheckedInputMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "name_be", "name_en", "slug", "position", "missing_names"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name", "name_be", "name_en"]

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=LabelledRowsFormSet, **kwargs)

    @admin.display(description=_("missing names"))
    def missing_names(self, category):
        return format_html_join(
            "", "<p>{}</p>", ((text,) for text in self.missing_name_texts(category))
        )

    @staticmethod
    def missing_name_texts(category) -> list[str]:
        return [
            MISSING_SECTION_NAMES[language] % {"name": category.name}
            for language in category.languages_without_a_name()
        ]

    def response_add(self, request, obj, post_url_continue=None):
        self.warn_of_missing_names(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self.warn_of_missing_names(request, obj)
        return super().response_change(request, obj)

    def warn_of_missing_names(self, request, category):
        for text in self.missing_name_texts(category):
            self.message_user(request, text, messages.WARNING)


class NewsChangeList(ChangeList):
    """
    Django's list, refusing a date in the address past the calendar's ends
    (`?published_at__year=9999`), as it refuses any bad filter: it failed with 500.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        # Year 9999 has no next year; a year of 20 digits is too big for a date.
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as error:  # 1 January of year 1, Minsk time, is before it in UTC
            raise IncorrectLookupParameters(error) from error


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return NewsItem.State.choices

    def queryset(self, request, queryset):
        by_state = {
            NewsItem.State.DRAFT: queryset.drafts,
            NewsItem.State.SCHEDULED: queryset.scheduled,
            NewsItem.State.PUBLISHED: queryset.published,
            NewsItem.State.WITHDRAWN: queryset.withdrawn,
        }
        return by_state[self.value()]() if self.value() in by_state else queryset


class CorrectionInline(admin.TabularInline):
    """The public corrections of an item; they are added with the item's correction note."""

    model = Correction
    fields = ["created_at", "note", "made_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("corrections shown to readers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=Correction._meta.get_field("created_by").verbose_name)
    def made_by(self, correction: Correction) -> str:
        return staff_name(correction.created_by)


class HistoryChanges(HistoricalRecordContextHelper):
    """
    simple-history's "Changes" column in the comparison page's words: times in
    Minsk time, yes and no, the text without its markup, an empty value as a dash.
    """

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        return _compare_text(field, super().prepare_delta_change_value(change, value))

    def stringify_delta_change_values(self, change, old, new):
        if old == new and change.field == "body":  # a table's header row, a link's address
            return "", gettext("(only the formatting changed)")
        return super().stringify_delta_change_values(change, old, new)

    def get_obj_diff_display(self):
        # Room for a few words either side of the ellipsis.
        return ShortenedText(
            max_length=self.max_displayed_delta_change_chars, min_begin_len=20, min_end_len=20
        )


class ShortenedText(ObjDiffDisplay):
    """
    simple-history's shortening with an ellipsis, not its English «[90 chars]»,
    and whole words either side of it («…ания.» was the end of «здания.»).
    """

    def shortened_str(self, prefix: str, num_skipped_chars: int, suffix: str) -> str:
        head = prefix.rpartition(" ")[0] if " " in prefix.strip() else prefix
        tail = suffix.partition(" ")[2] if " " in suffix else ""
        return f"{head} … {tail}".strip()


def _lists_removed_rows(data, prefix: str, queryset) -> bool:
    """Whether a posted inline formset lists saved rows that are no longer there."""
    initial = data.get(f"{prefix}-INITIAL_FORMS", "")
    if not (initial.isascii() and initial.isdigit()):
        return False  # Django's management form answers that
    posted = {data.get(f"{prefix}-{row}-id", "") for row in range(min(int(initial), 1000))}
    return not posted <= {str(pk) for pk in queryset.values_list("pk", flat=True)}


def posted_id(request, name: str) -> int | None:
    """The id a form posted as `name`, or None if it is none (a hand-edited form)."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


# Restoring an earlier version brings back its content; these stay as they are
# now, so that restoring neither moves the page's address, publishes it, nor
# unlinks its translations.
KEPT_ON_RESTORE = [
    "slug", "language", "translation_group", "is_published", "published_at", "withdrawn_at",
    "withdrawal_reason", "withdrawn_in_error", "version", "last_edited_by_id",
]  # fmt: skip
# What withdrawing an item, or cancelling its withdrawal, changes.
WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawal_reason", "withdrawn_in_error")
# The versions field's links to add a translation, and what the form of one
# says it translates: whole sentences, as each language declines its names.
ADD_VERSION_IN = {
    NewsItem.Language.RUSSIAN: _("Add the version in Russian"),
    NewsItem.Language.BELARUSIAN: _("Add the version in Belarusian"),
    NewsItem.Language.ENGLISH: _("Add the version in English"),
}
TRANSLATION_OF_VERSION_IN = {
    NewsItem.Language.RUSSIAN: _("Translation of the version in Russian: %(version)s"),
    NewsItem.Language.BELARUSIAN: _("Translation of the version in Belarusian: %(version)s"),
    NewsItem.Language.ENGLISH: _("Translation of the version in English: %(version)s"),
}


class ColumnHelpBoundField(forms.BoundField):
    """
    A field in a table's row, described by its column's help, which the table's
    heading gives once for all rows (templates/admin/edit_inline/tabular.html),
    and by its own errors. Django's described it by "id_<row>-<field>_helptext",
    which is rendered under a form's field and nowhere in a table.
    """

    @property
    def aria_describedby(self):
        notes = []
        if self.help_text and not self.is_hidden:
            notes.append(self.field.column_help_id)
        if self.errors and not self.is_hidden:
            notes.append(f"{self.auto_id}_error")
        return " ".join(notes)


class LabelledFormSet(forms.BaseInlineFormSet):
    """
    Names each field of a row by its column's heading: Django's table of rows
    shows the headings but gives the fields no label, so a screen reader read
    out an unnamed text box, file field and checkbox; and describes it by its
    column's help (ColumnHelpBoundField). A saved row's "Delete"
    box names the row it deletes (every row's was «Удалить»); a new row's ✕
    is named by js/admin-keyboard.js.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", field.label)
                field.column_help_id = f"{self.prefix}-{name}-help"
                field.bound_field_class = ColumnHelpBoundField
        if DELETION_FIELD_NAME in form.fields and form.instance.pk:
            name = gettext("Delete “%(row)s”") % {"row": form.instance}
            form.fields[DELETION_FIELD_NAME].widget.attrs["aria-label"] = name


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentAdminForm
    formset = LabelledFormSet
    extra = 0
    fields = ["title", "file", "position", "details"]
    readonly_fields = ["details"]

    def get_fields(self, request, obj=None):
        if self._may_change_item(request, obj):
            return self.fields
        # The file's /media/ address, which Django would link, is served by nothing.
        return ["title", "document", "position", "details"]

    def get_readonly_fields(self, request, obj=None):
        if self._may_change_item(request, obj):
            return self.readonly_fields
        return self.get_fields(request, obj)

    def _may_change_item(self, request, item) -> bool:
        item_admin = self.admin_site.get_model_admin(self.parent_model)
        return item is None or item_admin.has_change_permission(request, item)

    @admin.display(description=Attachment._meta.get_field("file").verbose_name)
    def document(self, attachment: Attachment) -> str:
        return format_html(
            '<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.download_name
        )

    @admin.display(description=_("type and size"))
    def details(self, attachment: Attachment) -> str:
        if not attachment.pk:
            return "—"
        return f"{attachment.type_label}, {filesizeformat(attachment.size)}"


@admin.register(NewsItem)
class NewsItemAdmin(CheckedInputMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    form = NewsItemAdminForm
    list_display = [
        "thumbnail",
        "title_in_its_language",
        "state",
        "published_at",
        "category",
        "language",
    ]
    list_display_links = ["title_in_its_language"]
    list_filter = [StateFilter, "language", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "lead", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["category"]
    # No `prepopulated_fields` for the slug: Django's script has no Belarusian
    # letters (it dropped «ў») and transliterates otherwise than the item does
    # when its slug is left empty (NewsItem._unique_slug), as the field says.
    actions = ["publish_selected", "unpublish_selected"]
    object_history_template = "admin/news/newsitem/object_history.html"
    object_history_list_template = "admin/news/newsitem/object_history_list.html"
    object_history_form_template = "admin/news/newsitem/object_history_form.html"

    class Media:
        js = ["js/admin-news-item.js"]

    def get_changelist(self, request, **kwargs):
        return NewsChangeList

    # --- Who may do what ------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return workflow.can_publish(request.user)

    def get_object(self, request, object_id, from_field=None):
        item = super().get_object(request, object_id, from_field)
        if item is not None:
            # Validating a form writes the submitted values onto the item; what
            # the admin offers depends on the item as it is saved.
            item.as_saved = copy.copy(item)
        return item

    def has_change_permission(self, request, obj=None):
        # Only publishers change what readers see or are scheduled to see.
        if not super().has_change_permission(request, obj):
            return False
        obj = _as_saved(obj)
        return obj is None or not obj.is_published or workflow.can_publish(request.user)

    def _may_correct(self, request, obj) -> bool:
        obj = _as_saved(obj)
        return obj is not None and obj.is_live and workflow.can_publish(request.user)

    def _may_override(self, request) -> bool:
        return request.user.is_superuser and settings.PORTAL_REQUIRE_SECOND_PERSON

    # --- The change form -----------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        obj = _as_saved(obj)
        publication = ["is_published", "published_at"]
        if obj is not None and obj.is_withdrawn:
            publication.insert(0, "withdrawal")
        if obj is not None:
            # "Published" ticked says nothing of a time still ahead: the state does.
            publication.insert(0, "state")
        if self._may_override(request):
            publication.append("publish_override_reason")
        may_change = obj is None or self.has_change_permission(request, obj)
        translates = obj is None and self._translation_of(request) is not None
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        *(["lock_version"] if may_change else []),
                        "title",
                        "slug",
                        "language",
                        "translation_group",
                        *(["versions"] if obj is not None or translates else []),
                        "category",
                        "lead",
                        "body" if may_change else "text",
                    ]
                },
            ),
            (_("Image"), {"fields": ["cover_image", "cover_image_alt"]}),
            (
                _("Publication"),
                {"fields": [*publication, "source", "author" if may_change else "author_name"]},
            ),
        ]
        if self._may_correct(request, obj):
            fieldsets.append((_("Correction"), {"fields": ["correction_note"]}))
        return fieldsets

    @admin.display(description=NewsItem._meta.get_field("body").verbose_name)
    def text(self, item: NewsItem):
        """The body as readers see it, for staff who may only view the item (not its HTML)."""
        return mark_safe(item.body)  # sanitized on every save (news/sanitizer.py)

    @admin.display(description=_("versions in other languages"))
    def versions(self, item: NewsItem) -> str:
        """
        The items that share its translation group: which are linked, at a
        glance, with a link to add each missing language (`render_change_form`
        says whether this person may). A new translation names its original.
        """
        original = getattr(item, "translation_of", None)
        if original is not None:
            sentence = conditional_escape(TRANSLATION_OF_VERSION_IN[original.language])
            return mark_safe(sentence % {"version": self._version_link(original)})
        others = []
        if item.translation_group:
            others = list(
                NewsItem.objects.filter(translation_group=item.translation_group)
                .exclude(pk=item.pk)
                .order_by("language", "pk")
            )
        if others:
            listed = format_html_join(
                mark_safe("<br>"),
                "{}: {}",
                ((other.get_language_display(), self._version_link(other)) for other in others),
            )
        elif item.translation_group:
            listed = gettext("None yet: give the version in another language the same key.")
        else:
            listed = gettext(
                "None yet: write a key in “translation group”, and the same key in the "
                "version in another language."
            )
        present = {item.language, *(other.language for other in others)}
        missing = [code for code in NewsItem.Language.values if code not in present]
        if not (getattr(item, "may_add_translations", False) and missing):
            return listed
        add_url = reverse("admin:news_newsitem_add", current_app=self.admin_site.name)
        return format_html(
            "{}<br>{}",
            listed,
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}?{}">{}</a>',
                (
                    (add_url, urlencode({"translation_of": item.pk, "language": code}), label)
                    for code, label in ADD_VERSION_IN.items()
                    if code in missing
                ),
            ),
        )

    def _version_link(self, item: NewsItem) -> str:
        """
        An item's title, linked to its form and marked as in its language (a
        screen reader reads it so), and its state: «<a>Рамонт маста</a> (Published)».
        """
        return format_html(
            '<a href="{}" lang="{}">{}</a> ({})',
            reverse("admin:news_newsitem_change", args=[item.pk], current_app=self.admin_site.name),
            item.language,
            item.title,
            self.state(item),
        )

    def _translation_of(self, request) -> NewsItem | None:
        """
        The item that the add form's `?translation_of=<id>&language=<code>` (the
        versions field's links) asks to translate into another language, or
        None: for no such item, one this person may not see, or a language
        that is none of the site's or is the item's own.
        """
        if not hasattr(request, "news_translation_of"):
            original_id = request.GET.get("translation_of", "")
            language = request.GET.get("language", "")
            original = None
            if holds(self.opts.pk, original_id):
                original = NewsItem.objects.filter(pk=original_id).first()
            if not (
                original is not None
                and language in NewsItem.Language.values
                and language != original.language
                and self.has_view_permission(request, original)
            ):
                original = None
            request.news_translation_of = original
        return request.news_translation_of

    def get_changeform_initial_data(self, request):
        """A translation's form starts in its language, with its original's key and section."""
        initial = super().get_changeform_initial_data(request)
        if "translation_of" in initial:
            # Only these two together: nothing of a link that names no item to translate.
            del initial["translation_of"]
            language = initial.pop("language", None)
            original = self._translation_of(request)
            if original is not None:
                initial.update(
                    language=language,
                    translation_group=original.key_for_translations(),
                    category=original.category_id,
                )
        return initial

    @admin.display(description=NewsItem._meta.get_field("author").verbose_name)
    def author_name(self, item: NewsItem) -> str:
        return staff_name(item.author)

    def get_readonly_fields(self, request, obj=None):
        obj = _as_saved(obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # All of it, as Django's change form shows it to them; simple-history's
            # view of an earlier version asks here too (and had no field "text").
            return flatten_fieldsets(self.get_fieldsets(request, obj))
        fields = ["versions"] if obj is None else ["state", "versions"]
        # A published item's address is stable: links to it must keep working.
        if obj is not None and obj.is_published:
            fields.append("slug")
        if obj is not None and obj.is_withdrawn:
            # Unticked, it would end the withdrawal without a word, its notice and
            # reason gone: a withdrawal is cancelled on its own page.
            fields += ["is_published", "withdrawal"]
        elif not workflow.can_publish(request.user):
            fields.append("is_published")
        return fields

    def get_inlines(self, request, obj):
        corrections = [CorrectionInline] if obj is not None and obj.corrections.exists() else []
        return [AttachmentInline, *corrections]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and hasattr(obj, "_history"):
            self._keep_current_state(obj)
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.may_correct = self._may_correct(request, obj)
        form.may_override = self._may_override(request)
        form.documents_changed = request.method == "POST" and self._documents_changed(request, obj)
        return form

    def _documents_changed(self, request, item) -> bool:
        """
        Whether this save adds, replaces or removes documents: editing the item,
        for the second pair of eyes, though the form itself does not hold them.
        """
        formset_class = AttachmentInline(self.model, self.admin_site).get_formset(request, item)
        formset = formset_class(
            request.POST,
            request.FILES,
            instance=item or self.model(),
            prefix=formset_class.get_default_prefix(),
        )
        return formset.has_changed()

    @staticmethod
    def _keep_current_state(version):
        """Give an earlier version (to be restored) the item's current address and state."""
        current = NewsItem.objects.filter(pk=version.pk).first()
        for name in KEPT_ON_RESTORE if current is not None else []:
            setattr(version, name, getattr(current, name))
        version.as_saved = current

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        if not workflow.can_publish(request.user):
            # The form has no such field for them; this guards every other path.
            stored = NewsItem.objects.filter(pk=obj.pk).first() if change else None
            if obj.is_published != (stored is not None and stored.is_published):
                raise PermissionDenied
        if form.content_changed or not change:
            obj.last_edited_by = request.user
        note = form.cleaned_data.get("correction_note", "").strip()
        reasons = []
        if form.override_reason:
            reasons.append(("override", {"reason": form.override_reason.strip()}))
        if note:
            reasons.append(("correction", {"note": note}))
        if reasons:
            obj._change_reason = workflow.change_reason(*reasons)
        super().save_model(request, obj, form, change)
        if note:
            Correction.objects.create(item=obj, note=note, created_by=request.user)
        if not change:
            self._link_to_original(request, obj)
        self._warn_of_a_second_version(request, obj)
        if not obj.is_published:
            self._warn_before_publishing(request, obj)
        elif form.backdated:
            self._warn_of_backdating(request, obj)
        if form.hidden_until:
            self.message_user(
                request,
                gettext(
                    "“%(title)s” is scheduled for %(time)s: until then readers do not see it, "
                    "and its address answers “Page not found”. If the time is a mistake, "
                    "correct the publication time."
                )
                % {"title": obj.title, "time": _local(form.hidden_until)},
                messages.WARNING,
            )

    def _link_to_original(self, request, item):
        """
        A translation added from its original's form: an original without a key
        takes the translation's, unless other items have it, in the same
        transaction. Pages need nothing more: the translation's own save starts a
        new page-cache generation once this commits, and readers see the link
        once the translation is published.
        """
        original = self._translation_of(request)
        if original is None or not item.translation_group:
            return  # the key was cleared on purpose: nothing to link
        if original.take_translation_group(item, request.user):
            self._log_changed(request, original, "translation_group")
            return
        key = (
            NewsItem.objects.filter(pk=original.pk)
            .values_list("translation_group", flat=True)
            .first()
        )
        if key == "":
            self.message_user(
                request,
                gettext(
                    "“%(title)s” was not linked to this translation: other news items already "
                    "have the translation group “%(key)s”."
                )
                % {"title": original.title, "key": item.translation_group},
                messages.WARNING,
            )
        elif key and key != item.translation_group:
            self.message_user(
                request,
                gettext(
                    "“%(title)s” was meanwhile given another translation group, “%(key)s”: "
                    "write it in this item's “translation group” to link the two."
                )
                % {"title": original.title, "key": key},
                messages.WARNING,
            )

    def _warn_of_a_second_version(self, request, item):
        """
        Another item of the translation group in the same language: its other
        versions' pages then lead to the newer one only, without a word.
        """
        if not item.translation_group:
            return
        other = (
            NewsItem.objects.filter(
                translation_group=item.translation_group, language=item.language
            )
            .exclude(pk=item.pk)
            .first()
        )
        if other is not None:
            self.message_user(
                request,
                gettext(
                    "The translation group “%(key)s” has another version in this language: "
                    "“%(title)s”. Readers are led to the newer published one; withdraw or "
                    "delete the one not needed, or give this item another group."
                )
                % {"key": item.translation_group, "title": other.title},
                messages.WARNING,
            )

    def _warn_before_publishing(self, request, item):
        problems = [problem for field in check_item(item).values() for problem in field]
        if problems:
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    gettext("The draft is saved. Before it can be published, fix:"),
                    format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
                ),
                messages.WARNING,
            )

    def _warn_of_backdating(self, request, item):
        """A past date may be meant (old news added late) or a mistyped year."""
        date = date_format(timezone.localtime(item.published_at))
        self.message_user(
            request,
            gettext(
                "“%(title)s” is published with the date %(date)s: the news list shows it "
                "among that day's news, not at the top. If the date is a mistake, correct "
                "the publication time."
            )
            % {"title": item.title, "date": date},
            messages.WARNING,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_recover": self.has_delete_permission(request),
        }
        return super().changelist_view(request, extra_context)

    @method_decorator(csp_update(settings.PORTAL_EDITOR_CSP_UPDATE))
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["saved"] = _as_saved(obj)
        form = context["adminform"].form
        if form.is_bound and "cover_image" in request.FILES and "cover_image" not in form.errors:
            # Shown again for an error elsewhere: no browser keeps a chosen file.
            form.add_error(
                "cover_image",
                gettext(
                    "The image you chose is not kept while the form has errors: "
                    "choose it again before saving."
                ),
            )
        # What the versions field offers, which it reads from the item it shows.
        item = form.instance
        item.may_add_translations = self.has_add_permission(request)
        if add:
            item.translation_of = self._translation_of(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and (unsaved := self._unsaved_edit(request, object_id)):
            return unsaved
        extra_context = {
            **(extra_context or {}),
            "can_publish": self.has_publish_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _unsaved_edit(self, request, object_id):
        """
        A save that can no longer be made, because the item was deleted, or
        published (which editors may not change), while this person edited it.
        Django would answer a bare 403 or go back to the index, and what they
        typed would be lost: this page says why and shows it, to copy.
        """
        item = self.get_object(request, unquote(object_id))
        if item is None and self.has_change_permission(request):
            reason = gettext("Someone has deleted this item while you were editing.")
        elif (
            item is not None
            and not self.has_change_permission(request, item)
            and self.has_view_permission(request, item)
            and request.POST.get("lock_version") != str(item.version)  # changed meanwhile
        ):
            reason = gettext(
                "The item was published while you were editing it, and editors cannot "
                "change published items. Ask a publisher to make your changes."
            )
        else:
            return None
        typed = []
        for name in ("title", "lead", "body", "cover_image_alt", "source"):
            if text := request.POST.get(name, "").strip():
                # The body is HTML: shown as it reads, sanitized as it would be saved.
                value = mark_safe(sanitize_html(text)) if name == "body" else text
                typed.append((NewsItem._meta.get_field(name).verbose_name, value))
        return TemplateResponse(
            request,
            "admin/news/newsitem/unsaved.html",
            self._context(
                request, item, gettext("Your changes were not saved"), reason=reason, typed=typed
            ),
            status=409,
        )

    # --- The list ------------------------------------------------------------

    @admin.display(description=NewsItem._meta.get_field("title").verbose_name, ordering="title")
    def title_in_its_language(self, item: NewsItem) -> str:
        """Marked as in the item's language: a screen reader reads an English title so."""
        return format_html('<span lang="{}">{}</span>', item.language, item.title)

    @admin.display(description=_("image"))
    def thumbnail(self, item: NewsItem):
        if not item.cover_image:
            return "—"
        width = 80
        height = (
            round(width * item.cover_image_height / item.cover_image_width)
            if item.cover_image_width and item.cover_image_height
            else None
        )
        return format_html(
            '<img src="{}" alt="" width="{}"{} class="news-thumbnail" loading="lazy">',
            item.cover_image.url,
            width,
            format_html(' height="{}"', height) if height else "",
        )

    @admin.display(description=_("state"))
    def state(self, item: NewsItem) -> str:
        item = _as_saved(item)  # not what a refused form asked for
        if item.is_scheduled:
            return gettext("Scheduled for %(time)s") % {"time": _local(item.published_at)}
        if item.is_withdrawn:
            return gettext("Withdrawn on %(time)s") % {"time": _local(item.withdrawn_at)}
        return item.state.label

    @admin.display(description=_("withdrawal"))
    def withdrawal(self, item: NewsItem) -> str:
        text = gettext("Withdrawn on %(time)s: %(reason)s") % {
            "time": _local(item.withdrawn_at),
            "reason": item.withdrawal_reason,
        }
        if item.withdrawn_in_error:
            text = gettext(
                "%(withdrawal)s (published in error: its page only says it was removed)"
            ) % {"withdrawal": text}
        return text

    # --- Bulk actions, for publishers ----------------------------------------

    @admin.action(description=_("Publish the selected news items now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        now = timezone.now()
        published = scheduled = unchanged = 0
        for item in queryset:
            if item.is_live or item.is_withdrawn:
                unchanged += 1
                continue
            stored = copy.copy(item)
            # A draft goes out now, or at its time if that is still ahead (an
            # editor chose it); a scheduled item, already approved, goes out now;
            # an item readers have seen before keeps its time (see the form).
            if item.is_published:
                item.published_at = now
            elif not item.was_live():
                item.published_at = max(item.published_at, now)
            item.is_published = True
            problems = [
                workflow.second_person_problem(request.user, stored, item, content_changed=False)
            ] + [
                problem
                for field in workflow.publication_problems(item).values()
                for problem in field
            ]
            problems = [problem for problem in problems if problem]
            if problems:
                self.message_user(
                    request,
                    format_html(
                        "{}<ul>{}</ul>",
                        gettext("“%(title)s” was not published:") % {"title": item.title},
                        format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
                    ),
                    messages.ERROR,
                )
                continue
            item._history_user = request.user
            item._change_reason = workflow.change_reason(("published", {}))
            item.save()
            self._log_changed(
                request, item, "published_at" if stored.is_published else "is_published"
            )
            if item.is_live:
                published += 1
            else:
                scheduled += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "Published %(count)d news item.", "Published %(count)d news items.", published
                )
                % {"count": published},
                messages.SUCCESS,
            )
        if scheduled:
            self.message_user(
                request,
                ngettext(
                    "Scheduled %(count)d news item: it goes out at its publication time.",
                    "Scheduled %(count)d news items: they go out at their publication times.",
                    scheduled,
                )
                % {"count": scheduled},
                messages.SUCCESS,
            )
        if unchanged:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected news item was left as it was: "
                    "it is already published or withdrawn.",
                    "%(count)d selected news items were left as they were: "
                    "they are already published or withdrawn.",
                    unchanged,
                )
                % {"count": unchanged},
                messages.WARNING,
            )

    @admin.action(
        description=_("Unpublish the selected news items (back to drafts)"),
        permissions=["publish"],
    )
    def unpublish_selected(self, request, queryset):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        count = unchanged = 0
        for item in queryset:
            if not item.is_published or item.is_withdrawn:
                # A withdrawn item's page keeps its notice: the withdrawal is undone on its page.
                unchanged += 1
                continue
            item.is_published = False
            item._history_user = request.user
            item._change_reason = workflow.change_reason(("unpublished", {}))
            item.save()
            self._log_changed(request, item, "is_published")
            count += 1
        if count:
            self.message_user(
                request,
                ngettext(
                    "Unpublished %(count)d news item.", "Unpublished %(count)d news items.", count
                )
                % {"count": count},
                messages.SUCCESS,
            )
        if unchanged:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected news item was left as it was: it is a draft or withdrawn.",
                    "%(count)d selected news items were left as they were: "
                    "they are drafts or withdrawn.",
                    unchanged,
                )
                % {"count": unchanged},
                messages.WARNING,
            )

    # --- Views of our own ----------------------------------------------------

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        documents = isinstance(inline, AttachmentInline) and obj is not None and obj.pk
        if (
            documents
            and "data" in kwargs
            and _lists_removed_rows(kwargs["data"], prefix, obj.attachments.all())
        ):
            # Someone removed a document this form listed (an edit conflict).
            # Django would take its row for a new document and ask for its file
            # on every try: show the documents as they are saved now instead.
            del kwargs["data"], kwargs["files"]
            self.message_user(
                request,
                gettext(
                    "The documents changed while you were editing: they are shown below "
                    "as they are saved now."
                ),
                messages.WARNING,
            )
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "deleted/",
                view(self.deleted_items_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "<path:object_id>/withdraw/",
                view(self.withdraw_view),
                name="{}_{}_withdraw".format(*info),
            ),
            path(
                "<path:object_id>/share/",
                view(self.share_links_view),
                name="{}_{}_share".format(*info),
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def _context(self, request, item, title, form=None, **extra):
        if form is not None:
            extra["form"] = form
            extra["adminform"] = helpers.AdminForm(
                form, [(None, {"fields": list(form.fields)})], {}
            )
            extra["media"] = self.media + form.media
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "title": title,
            "subtitle": str(item) if item is not None else None,
            **extra,
        }

    def _publisher_item(self, request, object_id):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404
        if not (self.has_publish_permission(request) and self.has_view_permission(request, item)):
            raise PermissionDenied
        return item

    # Django's admin log (`LogEntry`) keeps a change as JSON with the untranslated
    # names of what changed, and puts it into words in the language of whoever
    # reads it (`get_change_message()`). Ours do the same.

    def _log_changed(self, request, item, *field_names):
        """Log that these fields of `item` changed."""
        with translation.override(None):
            labels = [str(item._meta.get_field(name).verbose_name) for name in field_names]
        self.log_change(request, item, [{"changed": {"fields": labels}}])

    def _log_share_link(self, request, item, *, revoked: bool = False):
        """Log that a share link to `item` was made, or revoked."""
        with translation.override(None):
            link = {"name": str(ShareLink._meta.verbose_name), "object": str(item)}
            if revoked:
                revoked_at = str(ShareLink._meta.get_field("revoked_at").verbose_name)
                change = {"changed": {**link, "fields": [revoked_at]}}
            else:
                change = {"added": link}
        self.log_change(request, item, [change])

    def _change_url(self, item):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[item.pk])

    def withdraw_view(self, request, object_id):
        """Withdraw a published item with a public reason, or cancel a withdrawal."""
        item = self._publisher_item(request, object_id)
        if not (item.is_live or item.is_withdrawn):
            self.message_user(
                request,
                gettext(
                    "Only a published item can be withdrawn; unpublish a draft or a "
                    "scheduled item instead."
                ),
                messages.WARNING,
            )
            return HttpResponseRedirect(self._change_url(item))
        form = WithdrawalForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and "cancel_withdrawal" in request.POST and item.is_withdrawn:
            item.withdrawn_at, item.withdrawal_reason, item.withdrawn_in_error = None, "", False
            item._history_user = request.user
            item._change_reason = workflow.change_reason(("withdrawal_cancelled", {}))
            item.save()
            self._log_changed(request, item, *WITHDRAWAL_FIELDS)
            self.message_user(request, gettext("The item is back in the lists."))
            return HttpResponseRedirect(self._change_url(item))
        if request.method == "POST" and not item.is_withdrawn and form.is_valid():
            item.withdrawn_at = timezone.now()
            item.withdrawal_reason = form.cleaned_data["reason"]
            item.withdrawn_in_error = form.cleaned_data["in_error"]
            item._history_user = request.user
            item._change_reason = workflow.change_reason(
                ("withdrawn", {"reason": item.withdrawal_reason})
            )
            item.save()
            self._log_changed(request, item, *WITHDRAWAL_FIELDS)
            if item.withdrawn_in_error:
                withdrawn = gettext(
                    "The item is withdrawn as published in error: it has left the lists, "
                    "feeds and sitemap, its page only says it was removed (search engines "
                    "drop it), and its images are no longer at their addresses. Cancelling "
                    "the withdrawal brings them back."
                )
            else:
                withdrawn = gettext(
                    "The item is withdrawn: it has left the lists, feeds and sitemap, "
                    "and its page shows the notice."
                )
            self.message_user(request, withdrawn)
            return HttpResponseRedirect(self._change_url(item))
        return TemplateResponse(
            request,
            "admin/news/newsitem/withdraw.html",
            self._context(request, item, gettext("Withdraw a news item"), form=form),
        )

    def share_links_view(self, request, object_id):
        """Links that show a draft to a person without an account; make and revoke them."""
        item = self._publisher_item(request, object_id)
        form = ShareLinkForm()
        if request.method == "POST":
            if "revoke" in request.POST:
                link = item.share_links.filter(pk=posted_id(request, "revoke")).first()
                if link is not None and link.revoked_at is None:
                    link.revoked_at = timezone.now()
                    link.save(update_fields=["revoked_at"])
                    self._log_share_link(request, item, revoked=True)
                    self.message_user(request, gettext("The link no longer works."))
                return HttpResponseRedirect(request.path)
            form = ShareLinkForm(request.POST)
            if item.is_live:
                self.message_user(
                    request,
                    gettext("The item is published: share its own address instead."),
                    messages.WARNING,
                )
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                now = timezone.now()
                ShareLink.objects.create(
                    item=item,
                    created_by=request.user,
                    created_at=now,
                    expires_at=now + datetime.timedelta(hours=form.cleaned_data["hours"]),
                )
                self._log_share_link(request, item)
                self.message_user(
                    request, gettext("The link is ready: copy it from the list below.")
                )
                return HttpResponseRedirect(request.path)
        links = [
            {"link": link, "url": request.build_absolute_uri(link.get_absolute_url())}
            for link in item.share_links.select_related("created_by")
        ]
        return TemplateResponse(
            request,
            "admin/news/newsitem/share_links.html",
            self._context(request, item, gettext("Share a preview"), form=form, links=links),
        )

    def _item_id(self, object_id: str) -> int:
        """The item's id in an address; 404 for anything that is none (a hand-edited address)."""
        object_id = unquote(object_id)
        if not holds(self.opts.pk, object_id):
            raise Http404
        return self.opts.pk.to_python(object_id)

    def history_view(self, request, object_id, extra_context=None):
        self._item_id(object_id)
        extra_context = {
            **(extra_context or {}),
            "compare_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history_compare",
                args=[unquote(object_id)],
            ),
        }
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    @method_decorator(csp_update(settings.PORTAL_EDITOR_CSP_UPDATE))
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's restore form, for items that exist and people who may change them."""
        item = self.get_object(request, unquote(object_id))
        if item is None or not holds(NewsItem.history.model._meta.pk, version_id):
            # A deleted item comes back through the list of deleted items.
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, item):
            raise PermissionDenied
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def history_compare_view(self, request, object_id):
        """What changed between two versions of an item."""
        object_id = self._item_id(object_id)
        versions = NewsItem.history.filter(id=object_id)
        try:
            old = versions.get(history_id=request.GET.get("old"))
            new = versions.get(history_id=request.GET.get("new"))
        except (NewsItem.history.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        item = self.get_object(request, object_id) or new.instance
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        if old.history_date > new.history_date:
            old, new = new, old
        delta = new.diff_against(old, foreign_keys_are_objs=True)
        rows = []
        field_order = [field.name for field in NewsItem._meta.fields]
        for change in sorted(delta.changes, key=lambda change: field_order.index(change.field)):
            field = NewsItem._meta.get_field(change.field)
            old_text, new_text = _compare_text(field, change.old), _compare_text(field, change.new)
            if old_text != new_text:
                diff = _word_diff(old_text, new_text)
            elif field.name == "body":
                # The same words: a table's header row, a link's address, bold.
                diff = gettext("(only the formatting changed)")
            else:
                continue  # e.g. a time saved again without its microseconds
            rows.append(
                {"label": field.verbose_name, "old": old_text, "new": new_text, "diff": diff}
            )
        return TemplateResponse(
            request,
            "admin/news/newsitem/history_compare.html",
            self._context(
                request,
                item,
                gettext("Compare versions"),
                old=old,
                new=new,
                rows=rows,
                history_url=reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                    args=[object_id],
                ),
            ),
        )

    def deleted_items_view(self, request):
        """Deleted items, from their history, with a button that brings one back."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        deletions = (
            NewsItem.history.filter(history_type="-")
            .exclude(id__in=NewsItem.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        if request.method == "POST":
            record = deletions.filter(history_id=posted_id(request, "recover")).first()
            if record is None:
                raise Http404
            return self._recover(request, record)
        latest = {}
        for record in deletions:
            latest.setdefault(record.id, record)
        return TemplateResponse(
            request,
            "admin/news/newsitem/deleted.html",
            self._context(request, None, gettext("Deleted news items"), records=latest.values()),
        )

    def _recover(self, request, record):
        item = record.instance
        if not Category.objects.filter(pk=item.category_id).exists():
            self.message_user(
                request,
                gettext("“%(title)s” cannot be recovered: its category no longer exists.")
                % {"title": item.title},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        users = get_user_model().objects
        for name in ("author", "last_edited_by"):
            user_id = getattr(item, f"{name}_id")
            if user_id and not users.filter(pk=user_id).exists():
                setattr(item, name, None)
        address_taken_by = NewsItem.objects.filter(language=item.language, slug=item.slug).first()
        # Readers know a published item's address; nobody knows a draft's yet.
        draft_gives_way = address_taken_by is not None and (
            item.is_published and not address_taken_by.is_published
        )
        if address_taken_by is not None and not draft_gives_way:
            item.slug = ""  # a new one
        with transaction.atomic():
            if draft_gives_way:
                siblings = NewsItem.objects.filter(language=item.language)
                address_taken_by.slug = first_unused(address_taken_by.slug, siblings, "slug")
                address_taken_by._history_user = request.user
                address_taken_by.save()
            item._history_user = request.user
            item._change_reason = workflow.change_reason(("recovered", {}))
            created_at = item.created_at
            item.save(force_insert=True)
            # `auto_now_add` dated it anew; it was made when it was first made.
            NewsItem.objects.filter(pk=item.pk).update(created_at=created_at)
            for correction in deleted_records(Correction, item_id=item.pk):
                correction.instance.save(force_insert=True)
            for record in deleted_records(Attachment, news_item_id=item.pk):
                document = record.instance
                # A document taken off the item earlier went with its file.
                if document.file.storage.exists(document.file.name):
                    document.save(force_insert=True)
        self.log_addition(request, item, gettext("Recovered after deletion"))
        self.message_user(
            request, gettext("“%(title)s” is recovered as it was.") % {"title": item.title}
        )
        if draft_gives_way:
            self.message_user(
                request,
                gettext(
                    "The draft “%(draft)s” had taken its address meanwhile; the draft's "
                    "address now ends in “%(slug)s”."
                )
                % {"draft": address_taken_by.title, "slug": address_taken_by.slug},
                messages.WARNING,
            )
        elif address_taken_by is not None:
            self.message_user(
                request,
                gettext(
                    "Its address was taken meanwhile by “%(other)s”, so it has a new one: "
                    "%(address)s."
                )
                % {"other": address_taken_by.title, "address": item.get_absolute_url()},
                messages.WARNING,
            )
        return HttpResponseRedirect(self._change_url(item))


def deleted_records(model, **item):
    """The last history record of each of an item's `model` rows that are deleted."""
    records = model.history.filter(history_type="-", **item).exclude(
        id__in=model.objects.values("pk")
    )
    return {record.id: record for record in records.order_by("history_date")}.values()


def _as_saved(item):
    """The item as it is saved, before a form being validated changed it."""
    return getattr(item, "as_saved", item)


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|tr|caption|figcaption|blockquote|table|ul|ol)>|<br\s*/?>")


def _empty_as_dash(value):
    if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
        return "—"
    return value


def _compare_text(field, value) -> str:
    value = _empty_as_dash(value)
    if value == "—":
        return value
    if field.name == "body":
        return html.unescape(strip_tags(BLOCK_END.sub("\n", value))).strip()
    if isinstance(value, datetime.datetime):
        return _local(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


# What texts are compared by, coarsest first: lines (the body's paragraphs),
# sentences, words with the spaces after them. Only units that differ are
# compared by the next finer ones: difflib's time grows with the square of the
# units compared, and word by word a 3,000-word text took over 30 seconds.
# A sentence of more words than DIFF_MAX_WORDS (a text without full stops) is
# shown replaced whole.
DIFF_MAX_WORDS = 1000
DIFF_UNITS = (
    re.compile(r"[^\n]*\n|[^\n]+"),
    re.compile(r"[^.!?…]*[.!?…]+\s*|[^.!?…]+"),
    re.compile(r"\S+\s*|\s+"),
)


def _diff_runs(old: str, new: str, level: int = 0):
    """Yield (operation, old text, new text) runs that turn `old` into `new`."""
    old_units, new_units = DIFF_UNITS[level].findall(old), DIFF_UNITS[level].findall(new)
    if level == len(DIFF_UNITS) - 1 and max(len(old_units), len(new_units)) > DIFF_MAX_WORDS:
        yield "replace", old, new
        return
    # Lines and sentences that recur often (a table's empty cells) start no match:
    # difflib's time with many equal units grows with their square.
    matcher = difflib.SequenceMatcher(
        None, old_units, new_units, autojunk=level < len(DIFF_UNITS) - 1
    )
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = old_units[old_start:old_end], new_units[new_start:new_end]
        if operation == "replace" and level + 1 < len(DIFF_UNITS):
            # Units replaced one for one are compared pair by pair.
            if len(removed) == len(added):
                pairs = zip(removed, added, strict=True)
            else:
                pairs = [("".join(removed), "".join(added))]
            for old_part, new_part in pairs:
                yield from _diff_runs(old_part, new_part, level + 1)
        else:
            yield operation, "".join(removed), "".join(added)


def _word_diff(old: str, new: str):
    """`new` with words removed since `old` in <del> and words added in <ins>."""
    parts = []
    for operation, removed, added in _diff_runs(old, new):
        if operation == "equal":
            parts.append(conditional_escape(added))
            continue
        # Spaces after both words are the text's, not the change's.
        spaces = added[len(added.rstrip()) :] if operation == "replace" else ""
        if not removed.endswith(spaces):
            spaces = ""
        removed, added = removed.removesuffix(spaces), added.removesuffix(spaces)
        if removed:
            parts.append(format_html("<del>{}</del>", removed))
        if added:
            parts.append(format_html("<ins>{}</ins>", added))
        parts.append(spaces)
    return mark_safe("".join(parts))  # every part is escaped above
