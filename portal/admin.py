"""
Staff accounts in the admin: Django's own pages, with its password form put
right; and the other apps' admins (groups, django-axes' login attempts) with
their actions taking a hand-edited selection calmly.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .admin_actions import CheckedSelectionMixin


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """
    Django's form for setting a staff member's password, with the help text of
    "Password-based authentication" in the admin's language. Django joins its
    translated text to an English warning when its module is imported, which
    fixes the text in the default language: the Belarusian and English admins
    showed it in Russian, and every admin the warning in English.
    """

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(CheckedSelectionMixin, UserAdmin):
    change_password_form = AdminPasswordChangeForm


for model, model_admin in [
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (CheckedSelectionMixin, model_admin), {}))
