"""
Login protection: repeated failed admin logins lock the account out from that
address for a while, with a clear message.
"""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from portal.login_protection import client_ip

from .conftest import admin_url

pytestmark = pytest.mark.django_db

LOGIN = admin_url("admin:login")
PASSWORD = "a-long-test-password"


def log_in(client, username, password, address="203.0.113.5"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/en/admin/"},
        REMOTE_ADDR=address,
    )


def test_repeated_failed_logins_lock_the_account_out_for_a_while(settings, editor):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, editor.username, "wrong password")
        assert response.status_code == 200  # the login form, with its error

    locked = log_in(client, editor.username, "wrong password")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "There have been 5 failed login attempts." in page
    assert "cannot log in from your address for 15 minutes" in page
    assert "Django" not in page.split("</title>")[0]  # it said «Django site admin»
    # Even the right password does not get in while the lockout lasts ...
    assert log_in(client, editor.username, PASSWORD).status_code == 429

    # ... and does once it is over.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = log_in(client, editor.username, PASSWORD)
        assert response.status_code == 302
        assert client.get("/en/admin/").status_code == 200


def test_the_lockout_is_for_that_account_from_that_address(settings, editor, publisher):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), editor.username, "wrong password")

    assert log_in(Client(), editor.username, PASSWORD).status_code == 429
    assert log_in(Client(), publisher.username, PASSWORD).status_code == 302
    assert log_in(Client(), editor.username, PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_login_resets_the_count(settings, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), editor.username, "wrong password")
    assert log_in(Client(), editor.username, PASSWORD).status_code == 302

    assert log_in(Client(), editor.username, "wrong password").status_code == 200


@pytest.mark.parametrize("next_page", ["//evil.example/", "https://evil.example/ru/admin/"])
def test_a_login_sent_to_another_site_leads_to_the_admin(editor, next_page):
    """Django refused the address and led to /accounts/profile/, a 404."""
    response = Client().post(
        LOGIN, {"username": editor.username, "password": PASSWORD, "next": next_page}
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url("admin:index")


def test_the_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5"
    )
    assert client_ip(request) == "10.0.0.2"  # no trusted proxy: the header is ignored

    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"  # what our proxy saw; 1.2.3.4 is a claim

    settings.PORTAL_TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: not trusted


def test_behind_nginx_the_lockout_is_for_the_address_nginx_saw(settings, editor):
    """
    The lockout counts addresses as `client_ip` does: every request comes from
    nginx's 127.0.0.1, and what a client writes into X-Forwarded-For is its claim.
    """
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1

    def through_nginx(password, seen, claim=""):
        forwarded = f"{claim}, {seen}" if claim else seen
        return Client().post(
            LOGIN,
            {"username": editor.username, "password": password, "next": "/en/admin/"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        through_nginx("wrong password", "203.0.113.5", claim=f"192.0.2.{attempt}")

    assert through_nginx(PASSWORD, "203.0.113.5", claim="192.0.2.99").status_code == 429
    assert through_nginx(PASSWORD, "198.51.100.7").status_code == 302  # another visitor


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "ru",
            "Введите правильные имя пользователя и пароль служебной учётной записи. Учтите, "
            "что оба поля могут быть чувствительны к регистру. Если у вас должен быть доступ "
            "к управлению сайтом, а войти не получается, обратитесь к администратору сайта.",
        ),
        (
            "be",
            "Увядзіце правільныя імя карыстальніка і пароль службовага ўліковага запісу. "
            "Улічвайце, што вялікія і малыя літары ў абодвух палях могуць адрознівацца. Калі "
            "ў вас павінен быць доступ да кіравання сайтам, а ўвайсці не атрымліваецца, "
            "звярніцеся да адміністратара сайта.",
        ),
        (
            "en",
            "Please enter the correct username and password for a staff account. Note that "
            "both fields may be case-sensitive. If you should have access to the website "
            "administration but cannot log in, ask the site's administrator.",
        ),
    ],
)
def test_who_cannot_log_in_is_told_whom_to_ask_but_not_whether_the_password_was_right(
    make_user, editor, language, message
):
    """
    A person without access to the admin was told (in Russian, without «staff»)
    to enter the right password, which they had. They are now told whom to ask,
    in the same words as a wrong password: the answer tells nothing of it.
    """
    make_user("former.editor", is_staff=False)
    make_user("left", is_active=False)
    login = f"/{language}/admin/login/"
    errors = {}
    for username, password in [
        ("former.editor", PASSWORD),
        ("left", PASSWORD),
        (editor.username, "wrong password"),
        ("nobody", PASSWORD),
    ]:
        response = Client().post(login, {"username": username, "password": password})
        assert response.status_code == 200
        errors[username] = response.context["form"].non_field_errors()
    assert [list(answer) for answer in errors.values()] == [[message]] * 4


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("ru", "olga, 7 декабря 2026, 15:57"),
        ("be", "olga, 7 снежня 2026, 15:57"),
        ("en", "olga, 7 December 2026, 15:57"),
    ],
)
def test_login_records_are_named_in_the_admins_language_and_minsk_time(
    admin_client, language, name
):
    """django-axes called them «Access Log for olga @ 2026-12-07 12:57:17.371047+00:00»."""
    when = datetime.datetime(2026, 12, 7, 12, 57, 17, 371047, tzinfo=datetime.UTC)
    records = [
        model.objects.create(username="olga", ip_address="192.0.2.1", user_agent="Firefox")
        for model in (AccessLog, AccessFailureLog)
    ]
    records.append(
        AccessAttempt.objects.create(
            username="olga", ip_address="192.0.2.1", user_agent="Firefox", failures_since_start=3
        )
    )
    for record in records:
        type(record).objects.filter(pk=record.pk).update(attempt_time=when)
        info = record._meta.app_label, record._meta.model_name
        with translation.override(language):
            page = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
            listed = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert f"<h2>{name}</h2>" in page.content.decode()
        assert f" {name}" in listed.content.decode()  # the row's checkbox's label
