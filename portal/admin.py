"""
Staff accounts in the admin: Django's own pages, with its password form and
login message put right, and the roles' groups named in the admin's language;
and the other apps' admins (groups, django-axes' login attempts) with their
actions taking a hand-edited selection calmly.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from news.search import fold, folded
from news.workflow import ROLE_GROUPS, shown_group_name

from .admin_actions import CheckedInputMixin


def staff_name(user) -> str:
    """A staff member by name, not as a link to their account, which few may open."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def staff_choices(keep_pk=None):
    """
    The people who can work in the admin (active staff), ordered as `staff_name`
    shows them; and the account `keep_pk`, whoever it is now: a news item keeps
    its author after they have left.
    """
    shown_as = Coalesce(
        NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")), "username"
    )
    return (
        User.objects.filter(Q(is_staff=True, is_active=True) | Q(pk=keep_pk))
        .annotate(shown_as=shown_as)
        .order_by("shown_as", "pk")
    )


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


class StaffUserChangeForm(auth_forms.UserChangeForm):
    def clean_groups(self):
        """A person has one role: a publisher may do all that an editor may."""
        groups = self.cleaned_data["groups"]
        if len({group.name for group in groups} & ROLE_GROUPS.keys()) > 1:
            raise ValidationError(
                gettext(
                    "Give one role: “%(editor)s” or “%(publisher)s”. A publisher may do "
                    "all that an editor may."
                )
                % {
                    "editor": shown_group_name("Editor"),
                    "publisher": shown_group_name("Publisher"),
                },
                code="two_roles",
            )
        return groups


class StaffLoginForm(AdminAuthenticationForm):
    """
    The admin's login, saying what a person who cannot log in can do. Django
    answers a wrong password and an account without access to the admin
    alike, so that the answer does not tell whether the password was right
    (and its Russian left out that a staff account is needed); so does this.
    A refused login marks both fields invalid, described by its message
    (templates/admin/login.html), which Django tied to neither, and the
    message, not the name field, has the focus.
    """

    error_id = "login_error"

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s and password for a staff account. "
            "Note that both fields may be case-sensitive. If you should have access to "
            "the website administration but cannot log in, ask the site's administrator."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": self.error_id}
                )
            # The message takes the focus instead (templates/admin/login.html).
            self.fields["username"].widget.attrs.pop("autofocus", None)
            raise


admin.site.login_form = StaffLoginForm


# What Django's default permissions allow, said without the model's name: the
# label shows it before ("Новости | новость | Может добавлять"), and Russian and
# Belarusian would need it in another case («добавлять пользователей»).
DEFAULT_PERMISSION_ACTIONS = {
    "add": _("Can add"),
    "change": _("Can change"),
    "delete": _("Can delete"),
    "view": _("Can view"),
}


class FoldedSearchMixin:
    """
    The admin's search reads letters as the public one does: «прошел» finds
    «прошёл», «у» finds «ў» (staff type е for ё). Each of `search_fields` is
    searched with "ё" as "е" and "ў" as "у" (`news.search.fold`), on both
    databases; the case was already ignored (portal/sqlite_like.py on SQLite).
    """

    def get_search_fields(self, request):
        return [f"folded_{name}" for name in super().get_search_fields(request)]

    def get_search_results(self, request, queryset, search_term):
        fields = super().get_search_fields(request)
        queryset = queryset.alias(**{f"folded_{name}": folded(name) for name in fields})
        return super().get_search_results(request, queryset, fold(search_term))


class PermissionsField(forms.ModelMultipleChoiceField):
    """
    Permissions named in the admin's language. Django stores a permission's
    name in the database when it migrates, in English, and shows that name.
    """

    def label_from_instance(self, permission: Permission) -> str:
        model = permission.content_type.model_class()
        name = permission.name
        if model is not None:
            action, _underscore, model_name = permission.codename.partition("_")
            if model_name == model._meta.model_name and action in DEFAULT_PERMISSION_ACTIONS:
                name = DEFAULT_PERMISSION_ACTIONS[action]
            else:  # the model's own permissions, named in its Meta (lazily translated)
                name = dict(model._meta.permissions).get(permission.codename, name)
        return f"{permission.content_type} | {name}"


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Permission:
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(CheckedInputMixin, PermissionLabelsMixin, UserAdmin):
    form = StaffUserChangeForm
    change_password_form = AdminPasswordChangeForm

    def save_related(self, request, form, formsets, change):
        """
        A role without staff status lets nobody in: the login form would call
        the password wrong, and count the tries toward a lockout. Say so now.
        """
        super().save_related(request, form, formsets, change)
        user = form.instance
        role = user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True).first()
        if role and user.is_active and not user.is_staff:
            self.message_user(
                request,
                gettext(
                    "“%(user)s” has the role “%(role)s” but no staff status, so cannot log "
                    "in to the admin: tick “Staff status”."
                )
                % {"user": user.get_username(), "role": shown_group_name(role)},
                messages.WARNING,
            )


@admin.register(Group)
class StaffGroupAdmin(CheckedInputMixin, PermissionLabelsMixin, GroupAdmin):
    """
    Groups, the editorial roles named in the admin's language. A role's name is
    what code and migrations find it by (`set_role`, news/migrations): it is
    shown, translated, and cannot be changed here, nor the role deleted; its
    permissions can be changed.
    """

    list_display = ["shown_name"]

    @admin.display(description=Group._meta.get_field("name").verbose_name, ordering="name")
    def shown_name(self, group: Group) -> str:
        return str(group)

    def get_fields(self, request, obj=None):
        if obj is not None and obj.name in ROLE_GROUPS:
            return ["shown_name", "permissions"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.name in ROLE_GROUPS:
            return ["shown_name"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        """A role is not deleted here: `set_role` and the publishing rules need it."""
        if obj is not None and obj.name in ROLE_GROUPS:
            return False
        return super().has_delete_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        """Also the roles whose name, as shown, has the words searched for."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = search_term.casefold().split()
        roles = [
            name
            for name, shown in ROLE_GROUPS.items()
            if words and all(word in str(shown).casefold() for word in words)
        ]
        if roles:
            found = found | queryset.filter(name__in=roles)
        return found, may_have_duplicates


for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (CheckedInputMixin, model_admin), {}))
