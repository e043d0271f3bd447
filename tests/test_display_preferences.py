"""The display preferences value object: values, defaults, parsing and the cookie."""

import dataclasses

import pytest
from django.core import signing
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from accessibility.preferences import (
    ATTRIBUTE_NAMES,
    COOKIE_SALT,
    SETTINGS,
    InvalidChange,
    Preferences,
    describe_changes,
    new_token,
)

EVERY_CHOICE = [(setting.name, value) for setting in SETTINGS for value in setting.values]


class TestDefaults:
    def test_the_normal_version_is_the_default(self):
        assert Preferences().active is False
        assert Preferences().html_attributes() == {"data-display": "normal"}

    def test_the_version_for_the_visually_impaired_starts_with_larger_text(self):
        preferences = Preferences().changed({"active": "on"})
        assert preferences.active is True
        assert int(preferences.size) > 100
        assert preferences.scheme == "black-on-white"
        assert preferences.font == "sans"
        assert preferences.images == "shown"

    def test_the_settings_the_law_asks_for_are_offered(self):
        values = {setting.name: setting.values for setting in SETTINGS}
        assert values["font"] == ("sans", "serif")
        assert len(values["size"]) >= 4 and values["size"][-1] == "200"
        assert values["letter_spacing"] == ("normal", "wide", "wider")
        assert values["line_spacing"] == ("normal", "1.5", "2")
        assert values["scheme"] == (
            "black-on-white",
            "white-on-black",
            "blue-on-light-blue",
            "brown-on-beige",
            "green-on-brown",
        )
        assert values["images"] == ("shown", "hidden", "grayscale")

    def test_an_invalid_value_cannot_be_constructed(self):
        with pytest.raises(ValueError):
            Preferences(scheme="pink-on-purple")


class TestReading:
    @pytest.mark.parametrize(("name", "value"), EVERY_CHOICE)
    def test_every_allowed_value_is_read_back(self, name, value):
        preferences = Preferences.from_mapping({"active": True, name: value})
        assert getattr(preferences, name) == value

    def test_round_trip_through_a_mapping(self):
        preferences = Preferences(active=True, font="serif", size="200", scheme="green-on-brown")
        assert Preferences.from_mapping(preferences.as_mapping()) == preferences

    @pytest.mark.parametrize(
        "data",
        [
            {"scheme": "pink"},
            {"size": 200},
            {"size": "300"},
            {"font": None},
            {"font": ["serif"]},
            {"unknown": "x"},
            {"active": "yes"},
        ],
    )
    def test_unknown_values_fall_back_to_defaults(self, data):
        assert Preferences.from_mapping(data) == Preferences()

    @pytest.mark.parametrize("data", [None, "serif", 42, ["font", "serif"]])
    def test_garbage_gives_defaults(self, data):
        assert Preferences.from_mapping(data) == Preferences()

    # No deadline: one example slowed by a loaded machine would fail the run as flaky.
    @settings(deadline=None)
    @given(st.dictionaries(st.text(max_size=20), st.one_of(st.text(), st.booleans(), st.none())))
    def test_reading_never_fails(self, data):
        assert isinstance(Preferences.from_mapping(data), Preferences)


class TestChanging:
    @pytest.mark.parametrize(("name", "value"), EVERY_CHOICE)
    def test_each_setting_changes_alone_and_turns_the_version_on(self, name, value):
        start = Preferences()
        changed = start.changed({name: value})
        assert getattr(changed, name) == value
        assert changed.active is True
        others = {f.name for f in dataclasses.fields(Preferences)} - {name, "active"}
        assert all(getattr(changed, other) == getattr(start, other) for other in others)

    def test_the_normal_version_keeps_the_settings_for_next_time(self):
        chosen = Preferences(active=True, size="200", scheme="white-on-black")
        normal = chosen.changed({"active": "off"})
        assert normal.active is False and normal.html_attributes() == {"data-display": "normal"}
        assert normal.changed({"active": "on"}) == chosen

    def test_reset_returns_to_the_defaults_and_stays_in_the_version(self):
        chosen = Preferences(active=True, font="serif", size="200", images="hidden")
        assert chosen.changed({"reset": "defaults"}) == Preferences(active=True)

    @pytest.mark.parametrize(
        "changes",
        [
            {},
            {"colour": "red"},
            {"scheme": "pink-on-purple"},
            {"size": "300"},
            {"size": ""},
            {"active": "maybe"},
            {"reset": "everything"},
            {"font": "serif", "sparkles": "on"},
        ],
    )
    def test_unknown_names_values_or_nothing_are_refused(self, changes):
        with pytest.raises(InvalidChange):
            Preferences().changed(changes)


class TestHtmlAttributes:
    def test_every_setting_is_an_attribute_of_html(self):
        preferences = Preferences(
            active=True,
            font="serif",
            size="200",
            letter_spacing="wider",
            line_spacing="2",
            scheme="brown-on-beige",
            images="grayscale",
        )
        assert preferences.html_attributes() == {
            "data-display": "accessible",
            "data-font": "serif",
            "data-size": "200",
            "data-letter-spacing": "wider",
            "data-line-spacing": "2",
            "data-scheme": "brown-on-beige",
            "data-images": "grayscale",
        }
        assert set(preferences.html_attributes()) == set(ATTRIBUTE_NAMES)

    def test_the_panel_marks_the_current_choices(self):
        groups = Preferences(active=True, size="175").panel()
        size = next(group for group in groups if group["name"] == "size")
        assert [c["value"] for c in size["choices"] if c["pressed"]] == ["175"]
        assert all(sum(c["pressed"] for c in group["choices"]) == 1 for group in groups)


class TestCookie:
    def test_carries_the_token_and_every_setting(self):
        token = new_token()
        preferences = Preferences(active=True, font="serif", size="125", scheme="white-on-black")
        assert Preferences.from_cookie(preferences.to_cookie(token)) == (token, preferences)

    def test_is_signed_not_readable_json(self):
        value = Preferences(active=True).to_cookie(new_token())
        assert "scheme" not in value and "{" not in value

    def test_tokens_are_random_and_opaque(self):
        tokens = {new_token() for _ in range(100)}
        assert len(tokens) == 100
        assert all(len(token) == 32 for token in tokens)

    def test_a_tampered_cookie_gives_defaults(self):
        value = Preferences(active=True, scheme="white-on-black").to_cookie(new_token())
        payload, signature = value.rsplit(":", 1)
        forged = payload + ":" + ("A" if signature[0] != "A" else "B") + signature[1:]
        assert Preferences.from_cookie(forged) == (None, Preferences())

    def test_a_cookie_signed_for_something_else_gives_defaults(self):
        value = signing.dumps({"v": 1, "t": new_token(), "p": {"active": True}}, salt="other")
        assert Preferences.from_cookie(value) == (None, Preferences())

    @pytest.mark.parametrize(
        "data",
        [
            {"t": "a" * 32, "p": {"active": True}},  # before versions
            {"v": 0, "t": "a" * 32, "p": {"active": True}},
            {"v": 2, "t": "a" * 32, "p": {"active": True}},
            {"v": 1, "t": "short", "p": {"active": True}},
            {"v": 1, "t": None, "p": {"active": True}},
            ["a" * 32, {"active": True}],
            "active",
        ],
    )
    def test_an_outdated_or_malformed_cookie_gives_defaults(self, data):
        value = signing.dumps(data, salt=COOKIE_SALT)
        assert Preferences.from_cookie(value) == (None, Preferences())

    def test_an_outdated_value_inside_a_valid_cookie_falls_back_alone(self):
        token = new_token()
        value = signing.dumps(
            {"v": 1, "t": token, "p": {"active": True, "size": "300", "font": "serif"}},
            salt=COOKIE_SALT,
        )
        assert Preferences.from_cookie(value) == (token, Preferences(active=True, font="serif"))

    @pytest.mark.parametrize("value", [None, "", "garbage", ":", "a:b:c", "\x00" * 10, "é" * 5000])
    def test_garbage_gives_defaults(self, value):
        assert Preferences.from_cookie(value) == (None, Preferences())

    # No deadline: one example slowed by a loaded machine would fail the run as flaky.
    @settings(deadline=None)
    @given(st.text(max_size=300))
    def test_reading_any_cookie_never_fails(self, value):
        token, preferences = Preferences.from_cookie(value)
        assert token is None and preferences == Preferences()


class TestAnnouncements:
    @pytest.fixture(autouse=True)
    def _english(self):
        with translation.override("en"):
            yield

    def test_say_which_setting_changed_to_what(self):
        assert describe_changes({"scheme": "white-on-black"}) == "Colour scheme: white on black."
        assert describe_changes({"size": "200"}) == "Font size: 200%."

    def test_say_when_the_version_is_switched(self):
        assert describe_changes({"active": "on"}) == "The version for the visually impaired is on."
        assert describe_changes({"active": "off"}) == "The normal version is on."
        assert "defaults" in describe_changes({"reset": "defaults"})

    @pytest.mark.parametrize(
        ("language", "scheme", "switched_on"),
        [
            ("ru", "Цветовая схема: белый на чёрном.", "Включена версия для слабовидящих."),
            ("be", "Каляровая схема: белы на чорным.", "Уключана версія для слабавідушчых."),
        ],
    )
    def test_are_made_in_the_pages_language(self, language, scheme, switched_on):
        with translation.override(language):
            assert describe_changes({"scheme": "white-on-black"}) == scheme
            assert describe_changes({"active": "on"}) == switched_on
