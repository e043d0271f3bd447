"""
A visitor's display preferences for the version for the visually impaired.

`Preferences` is the one place that knows the settings, their allowed values
and defaults, and how preferences travel: in the signed cookie, on the
`<html>` element's data attributes and in the panel's form. Reading is lenient
(an unknown or outdated value falls back to its default); a change asked for
by the visitor is strict (an unknown name or value is refused).
"""

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from django.core import signing
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "display"
COOKIE_SALT = "accessibility.display-preferences"
COOKIE_VERSION = 1
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")

SWITCH = "active"
SWITCH_VALUES = {"on": True, "off": False}
RESET = "reset"
RESET_VALUE = "defaults"


@dataclass(frozen=True)
class Setting:
    """One group of the panel: a name, a label and the allowed values with their labels."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    default: str

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    @property
    def attribute(self) -> str:
        return "data-" + self.name.replace("_", "-")

    def label_of(self, value: str) -> str:
        return dict(self.choices)[value]


FONT = Setting(
    "font",
    _("Font"),
    (("sans", _("Sans-serif")), ("serif", _("Serif"))),
    default="sans",
)
SIZE = Setting(
    "size",
    _("Font size"),
    tuple((percent, f"{percent}%") for percent in ("100", "125", "150", "175", "200")),
    default="150",
)
LETTER_SPACING = Setting(
    "letter_spacing",
    _("Letter spacing"),
    (("normal", _("Normal")), ("wide", _("Wide")), ("wider", _("Extra wide"))),
    default="normal",
)
LINE_SPACING = Setting(
    "line_spacing",
    _("Line spacing"),
    (("normal", _("Normal")), ("1.5", _("One and a half")), ("2", _("Double"))),
    default="normal",
)
SCHEME = Setting(
    "scheme",
    _("Colour scheme"),
    (
        ("black-on-white", _("Black on white")),
        ("white-on-black", _("White on black")),
        ("blue-on-light-blue", _("Dark blue on light blue")),
        ("brown-on-beige", _("Brown on beige")),
        ("green-on-brown", _("Green on dark brown")),
    ),
    default="black-on-white",
)
IMAGES = Setting(
    "images",
    _("Images"),
    (("shown", _("Shown")), ("hidden", _("Hidden")), ("grayscale", _("Grayscale"))),
    default="shown",
)

SETTINGS = (FONT, SIZE, LETTER_SPACING, LINE_SPACING, SCHEME, IMAGES)
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}
MODE_ATTRIBUTE = "data-display"
ATTRIBUTE_NAMES = (MODE_ATTRIBUTE, *(setting.attribute for setting in SETTINGS))


class InvalidChange(ValueError):
    """A change the panel cannot make: an unknown setting or value, or nothing at all."""


def new_token() -> str:
    """An opaque, random identifier of a visitor's browser."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Preferences:
    """What the visitor chose; `active` is whether the version for the visually impaired is on."""

    active: bool = False
    font: str = FONT.default
    size: str = SIZE.default
    letter_spacing: str = LETTER_SPACING.default
    line_spacing: str = LINE_SPACING.default
    scheme: str = SCHEME.default
    images: str = IMAGES.default

    def __post_init__(self):
        for setting in SETTINGS:
            if getattr(self, setting.name) not in setting.values:
                raise ValueError(f"{getattr(self, setting.name)!r} is not a {setting.name}")

    # Reading: lenient.

    @classmethod
    def from_mapping(cls, data: Mapping) -> "Preferences":
        """Preferences from stored values; anything unknown falls back to its default."""
        if not isinstance(data, Mapping):
            return cls()
        values = {
            setting.name: data[setting.name]
            for setting in SETTINGS
            if isinstance(data.get(setting.name), str) and data[setting.name] in setting.values
        }
        return cls(active=data.get(SWITCH) is True, **values)

    def as_mapping(self) -> dict:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @classmethod
    def from_cookie(cls, value: str | None) -> tuple[str | None, "Preferences"]:
        """The token and preferences in the cookie; defaults if missing, tampered or outdated."""
        if not value:
            return None, cls()
        try:
            data = signing.loads(value, salt=COOKIE_SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None, cls()
        if (
            not isinstance(data, dict)
            or data.get("v") != COOKIE_VERSION
            or not isinstance(data.get("t"), str)
            or not TOKEN_PATTERN.fullmatch(data["t"])
        ):
            return None, cls()
        return data["t"], cls.from_mapping(data.get("p"))

    def to_cookie(self, token: str) -> str:
        return signing.dumps(
            {"v": COOKIE_VERSION, "t": token, "p": self.as_mapping()},
            salt=COOKIE_SALT,
            compress=True,
        )

    # Changing: strict.

    def changed(self, changes: Mapping[str, str]) -> "Preferences":
        """
        The preferences after the visitor's `changes` (form field names and values):
        a setting's name, `active` (`on` or `off`) or `reset`. Raises `InvalidChange`
        for an unknown name or value, or when nothing is asked.
        """
        if not changes:
            raise InvalidChange(gettext("No setting was given."))
        for name, value in changes.items():
            if name == SWITCH:
                valid = value in SWITCH_VALUES
            elif name == RESET:
                valid = value == RESET_VALUE
            elif name in SETTINGS_BY_NAME:
                valid = value in SETTINGS_BY_NAME[name].values
            else:
                raise InvalidChange(gettext("There is no such setting."))
            if not valid:
                raise InvalidChange(gettext("There is no such value for this setting."))
        preferences = Preferences(active=True) if RESET in changes else self
        values = {name: value for name, value in changes.items() if name in SETTINGS_BY_NAME}
        if SWITCH in changes:
            values[SWITCH] = SWITCH_VALUES[changes[SWITCH]]
        elif values:
            values[SWITCH] = True  # choosing a setting uses the version for the visually impaired
        return replace(preferences, **values)

    # Showing.

    def html_attributes(self) -> dict[str, str]:
        """The `<html>` element's data attributes that the stylesheet maps to the display mode."""
        if not self.active:
            return {MODE_ATTRIBUTE: "normal"}
        return {
            MODE_ATTRIBUTE: "accessible",
            **{setting.attribute: getattr(self, setting.name) for setting in SETTINGS},
        }

    def panel(self) -> list[dict]:
        """The panel's groups of buttons, each choice marked whether it is the current one."""
        return [
            {
                "name": setting.name,
                "label": setting.label,
                "choices": [
                    {
                        "value": value,
                        "label": label,
                        "pressed": getattr(self, setting.name) == value,
                    }
                    for value, label in setting.choices
                ],
            }
            for setting in SETTINGS
        ]


def switch_label(active: bool) -> str:
    """The switch's text: what pressing it does."""
    return gettext("Normal version") if active else gettext("Version for the visually impaired")


def lowercase_first(label: str) -> str:
    """A button's label as the rest of a sentence: «Межбуквенный интервал: очень большой»."""
    return label[:1].lower() + label[1:]


def describe_changes(changes: Mapping[str, str]) -> str:
    """What changed, in the page's language, for the panel's live region."""
    if changes.get(SWITCH) == "off":
        return gettext("The normal version is on.")
    sentences = []
    if changes.get(SWITCH) == "on":
        sentences.append(gettext("The version for the visually impaired is on."))
    if RESET in changes:
        sentences.append(gettext("The display settings are back to their defaults."))
    for setting in SETTINGS:
        if setting.name in changes:
            sentences.append(
                gettext("%(setting)s: %(value)s.")
                % {
                    "setting": setting.label,
                    "value": lowercase_first(setting.label_of(changes[setting.name])),
                }
            )
    return " ".join(sentences)
