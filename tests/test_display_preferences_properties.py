"""
Property-based tests of the display-preferences parser: whatever arrives in a
cookie or a form, reading never fails and never yields a value outside the
allowed ones, and a round trip through the cookie keeps the preferences.
"""

import string

import pytest
from django.core import signing
from hypothesis import given, settings
from hypothesis import strategies as st

from accessibility.preferences import (
    COOKIE_SALT,
    COOKIE_VERSION,
    SETTINGS,
    TOKEN_PATTERN,
    InvalidChange,
    Preferences,
    new_token,
)

setting_names = [setting.name for setting in SETTINGS]
valid_preferences = st.builds(
    Preferences,
    active=st.booleans(),
    **{setting.name: st.sampled_from(setting.values) for setting in SETTINGS},
)
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=12,
)
names = st.sampled_from([*setting_names, "active", "reset"]) | st.text(max_size=20)
# What the panel sends (so that many changes are accepted), and anything else.
panel_choices = st.one_of(
    *(st.tuples(st.just(setting.name), st.sampled_from(setting.values)) for setting in SETTINGS),
    st.tuples(st.just("active"), st.sampled_from(["on", "off"])),
    st.tuples(st.just("reset"), st.just("defaults")),
)
values = st.sampled_from([value for setting in SETTINGS for value in setting.values]) | st.text(
    max_size=20
)
panel_changes = st.lists(panel_choices | st.tuples(names, values), max_size=4).map(dict)
# A cookie as this site signs it, holding anything as the preferences.
signed_cookies = st.fixed_dictionaries(
    {
        "v": st.just(COOKIE_VERSION),
        "t": st.from_regex(TOKEN_PATTERN, fullmatch=True),
        "p": st.dictionaries(names, values | anything, max_size=8),
    }
)


def assert_allowed(preferences: Preferences):
    assert isinstance(preferences.active, bool)
    for setting in SETTINGS:
        assert getattr(preferences, setting.name) in setting.values


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_cookie_text_reads_as_allowed_preferences(cookie):
    token, preferences = Preferences.from_cookie(cookie)
    assert token is None  # nothing unsigned is trusted
    assert_allowed(preferences)


@settings(max_examples=200, deadline=None)
@given(anything | signed_cookies)
def test_any_signed_payload_reads_as_allowed_preferences(payload):
    token, preferences = Preferences.from_cookie(signing.dumps(payload, salt=COOKIE_SALT))
    assert_allowed(preferences)
    assert token is None or TOKEN_PATTERN.fullmatch(token)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(names, anything, max_size=8))
def test_any_stored_mapping_falls_back_to_defaults_value_by_value(data):
    preferences = Preferences.from_mapping(data)
    assert_allowed(preferences)
    for setting in SETTINGS:
        if data.get(setting.name) not in setting.values:
            assert getattr(preferences, setting.name) == setting.default


@settings(max_examples=100, deadline=None)
@given(valid_preferences)
def test_cookie_round_trip_keeps_the_preferences(preferences):
    token = new_token()
    assert Preferences.from_cookie(preferences.to_cookie(token)) == (token, preferences)


@settings(max_examples=200, deadline=None)
@given(valid_preferences, panel_changes)
def test_a_change_is_either_refused_or_gives_allowed_preferences(preferences, changes):
    try:
        changed = preferences.changed(changes)
    except InvalidChange:
        return
    assert_allowed(changed)


@pytest.mark.parametrize("garbage", ["", "x" * 5000, "\x00", string.printable])
def test_garbage_cookies_give_defaults(garbage):
    assert Preferences.from_cookie(garbage) == (None, Preferences())
