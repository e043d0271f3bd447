from django.contrib import admin, messages
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.admin import FoldedSearchMixin, staff_name
from portal.admin_actions import CheckedInputMixin
from portal.time_zone import time_zone_note

from .forms import UrgentNoticeAdminForm
from .models import UrgentNotice


@admin.register(UrgentNotice)
class UrgentNoticeAdmin(CheckedInputMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = UrgentNoticeAdminForm
    list_display = ["text", "starts_at", "expires_at", "is_current", "author"]
    list_select_related = ["created_by"]
    search_fields = ["text", "text_be", "text_en"]
    actions = ["end_now"]

    @admin.display(description=UrgentNotice._meta.get_field("created_by").verbose_name)
    def author(self, notice: UrgentNotice) -> str:
        return staff_name(notice.created_by)

    @admin.display(description=_("shown now"), boolean=True)
    def is_current(self, notice: UrgentNotice) -> bool:
        return notice.is_current

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in ("starts_at", "expires_at"):
            form.base_fields[name].help_text = format_lazy(
                "{} {}", UrgentNotice._meta.get_field(name).help_text, time_zone_note()
            )
        return form

    @admin.action(description=_("End the selected notices now"), permissions=["change"])
    def end_now(self, request, queryset):
        """A notice no longer true leaves every page at once, and its record stays."""
        ended = 0
        for notice in queryset.not_ended():
            # Whole seconds, as the form shows it: saved again, it stays as it is.
            # A notice whose time had not come is called off: it never appears.
            now = timezone.now().replace(microsecond=0)
            notice.starts_at, notice.expires_at = min(notice.starts_at, now), now
            notice.save()
            with translation.override(None):
                expiry = str(UrgentNotice._meta.get_field("expires_at").verbose_name)
            self.log_change(request, notice, [{"changed": {"fields": [expiry]}}])
            ended += 1
        if ended:
            self.message_user(
                request,
                ngettext("Ended %(count)d notice.", "Ended %(count)d notices.", ended)
                % {"count": ended},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext("None of the selected notices was being shown: nothing changed."),
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
