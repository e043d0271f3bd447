"""Editors, publishers and their logged-in admin clients."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from .forms import AdminForm


def admin_url(name: str, args=None) -> str:
    """An address in the English admin: these tests read the admin's English text."""
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture(autouse=True)
def _english():
    """Messages made outside a request (e.g. by the checks) are in English too."""
    with translation.override("en"):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, role: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("password", "a-long-test-password")
        user = django_user_model.objects.create_user(username, **fields)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user("olga.editor", "Editor")


@pytest.fixture
def publisher(make_user):
    return make_user("ivan.publisher", "Publisher")


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def publisher_client(publisher):
    return client_for(publisher)


@pytest.fixture
def superuser_client(make_user):
    return client_for(make_user("root", is_superuser=True))


@pytest.fixture
def draft_by(make_item):
    """A draft last edited by `user`, as if they had written it in the admin."""

    def make(user, **fields):
        return make_item(is_published=False, last_edited_by=user, author=user, **fields)

    return make


@pytest.fixture
def admin_form():
    return AdminForm.load
