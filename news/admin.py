from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .forms import AttachmentAdminForm, NewsItemAdminForm
from .models import Attachment, Category, NewsItem


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_be", "name_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name", "name_be", "name_en"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentAdminForm
    extra = 0
    fields = ["title", "file", "position", "details"]
    readonly_fields = ["details"]

    @admin.display(description=_("type and size"))
    def details(self, attachment: Attachment) -> str:
        if not attachment.pk:
            return "—"
        return f"{attachment.type_label}, {filesizeformat(attachment.size)}"


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    form = NewsItemAdminForm
    list_display = ["title", "published_at", "category", "language", "state"]
    list_filter = ["is_published", "language", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "lead", "body"]
    date_hierarchy = "published_at"
    inlines = [AttachmentInline]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "language",
                    "translation_group",
                    "category",
                    "lead",
                    "body",
                ]
            },
        ),
        (_("Image"), {"fields": ["cover_image", "cover_image_alt"]}),
        (_("Publication"), {"fields": ["is_published", "published_at", "source", "author"]}),
    ]

    @admin.display(description=_("state"))
    def state(self, item: NewsItem) -> str:
        if item.is_live:
            return _("Published")
        if item.is_scheduled:
            return _("Scheduled")
        return _("Draft")

    def get_readonly_fields(self, request, obj=None):
        # A published item's address is stable: links to it must keep working.
        if obj is not None and obj.is_published:
            return ["slug"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
