from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.admin_actions import CheckedSelectionMixin
from portal.time_zone import time_zone_note

from .models import UrgentNotice


@admin.register(UrgentNotice)
class UrgentNoticeAdmin(CheckedSelectionMixin, admin.ModelAdmin):
    list_display = ["text", "expires_at", "is_current", "created_by"]
    fields = ["text", "text_be", "text_en", "expires_at"]
    search_fields = ["text", "text_be", "text_en"]

    @admin.display(description=_("shown now"), boolean=True)
    def is_current(self, notice: UrgentNotice) -> bool:
        return notice.is_current

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["expires_at"].help_text = format_lazy(
            "{} {}",
            UrgentNotice._meta.get_field("expires_at").help_text,
            time_zone_note(),
        )
        return form

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
