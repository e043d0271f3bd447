from django.contrib import admin

from portal.admin_actions import CheckedInputMixin

from .models import DisplayPreferences
from .preferences import SETTINGS


@admin.register(DisplayPreferences)
class DisplayPreferencesAdmin(CheckedInputMixin, admin.ModelAdmin):
    """Read-only: visitors make these rows; staff see them and how the settings are used."""

    list_display = ["__str__", "user", "active", *(s.name for s in SETTINGS), "updated_at"]
    list_filter = ["active", *(s.name for s in SETTINGS), "updated_at"]
    list_select_related = ["user"]
    date_hierarchy = "updated_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "usage": DisplayPreferences.objects.usage()}
        return super().changelist_view(request, extra_context)
