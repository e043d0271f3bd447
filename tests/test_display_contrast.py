"""
Contrast of every colour pair in the stylesheet, in the normal version and in
each colour scheme, computed with WCAG's formula from static/css/portal.css
itself: at least 7:1 for text (WCAG 1.4.6), 3:1 for borders and focus rings
(WCAG 1.4.11).
"""

import re
from itertools import product

import pytest
from django.conf import settings

STYLESHEET = settings.BASE_DIR / "static" / "css" / "portal.css"

# The five schemes the law's panel asks for: (text, background).
SCHEMES = {
    "black-on-white": ("#000000", "#ffffff"),
    "white-on-black": ("#ffffff", "#000000"),
    "blue-on-light-blue": ("#063462", "#9dd1ff"),
    "brown-on-beige": ("#4d4b43", "#f7f3d6"),
    "green-on-brown": ("#a9e44d", "#3b2716"),
}

# Which colours are laid on which: the backgrounds of the page, the header's
# bar and footer (surface), the preview banner, the menu (accent) and the words
# a search found (mark), and what is drawn on each. Pairs that one rule sets
# together (colour and background) are read from the stylesheet as well.
TEXT_ON = {
    "--color-background": [
        "--color-text",
        "--color-muted",
        "--color-link",
        "--color-link-visited",
        "--color-accent",
    ],
    "--color-surface": ["--color-text", "--color-muted", "--color-link", "--color-accent"],
    "--color-banner": ["--color-text", "--color-muted", "--color-link"],
    "--color-accent": ["--color-accent-text"],
    "--color-mark": ["--color-mark-text"],
}
LINES_ON = {
    "--color-background": ["--color-border", "--color-focus", "--color-accent", "--color-text"],
    "--color-surface": ["--color-border", "--color-focus", "--color-accent", "--color-text"],
    "--color-banner": ["--color-text", "--color-border"],
    "--color-accent": ["--color-accent-text"],
}
TEXT_PROPERTIES = {"color"}
BACKGROUND_PROPERTIES = {"background", "background-color"}
LINE_PROPERTIES = re.compile(r"(border|outline|box-shadow|text-decoration|column-rule)")
COLOUR_LITERAL = re.compile(
    r"#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(|"
    r"\b(black|white|red|green|blue|yellow|orange|purple|gray|grey|silver|navy|maroon)\b",
    re.IGNORECASE,
)


def parse_rules(css: str) -> list[tuple[list[str], dict[str, str]]]:
    """
    (selectors, declarations) of every style rule on screen: at-rule blocks are
    flattened, print styles left out (paper is not a display mode).
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules, stack, start = [], [], 0
    for index, character in enumerate(css):
        if character == "{":
            stack.append((css[start:index].strip(), index + 1))
            start = index + 1
        elif character == "}":
            prelude, body_start = stack.pop()
            printed = any(re.fullmatch(r"@media\s+print", outer) for outer, _start in stack)
            if not prelude.startswith("@") and not printed:
                declarations = {}
                for declaration in css[body_start:index].split(";"):
                    if ":" in declaration:
                        name, value = declaration.split(":", 1)
                        declarations[name.strip()] = value.strip()
                rules.append(([s.strip() for s in prelude.split(",")], declarations))
            start = index + 1
    return rules


RULES = parse_rules(STYLESHEET.read_text())


def custom_properties(selector_matches) -> dict[str, str]:
    found = {}
    for selectors, declarations in RULES:
        if any(selector_matches(selector) for selector in selectors):
            found.update({k: v for k, v in declarations.items() if k.startswith("--")})
    return found


def environments() -> dict[str, dict[str, str]]:
    """The custom properties in force on <html> in the normal version and in each scheme."""
    normal = custom_properties(lambda selector: selector == ":root")
    accessible = custom_properties(lambda selector: selector == 'html[data-display="accessible"]')
    found = {"normal": normal}
    for scheme in SCHEMES:
        colours = custom_properties(lambda selector, s=scheme: f'[data-scheme="{s}"]' in selector)
        found[scheme] = {**normal, **accessible, **colours}
    return found


ENVIRONMENTS = environments()


def resolve(value: str, properties: dict[str, str], depth: int = 0) -> str | None:
    match = re.fullmatch(r"var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)", value.strip())
    if not match:
        return value.strip()
    name, fallback = match.groups()
    if depth > 10:
        return None
    if name in properties:
        return resolve(properties[name], properties, depth + 1)
    return resolve(fallback, properties, depth + 1) if fallback else None


def rgb(value: str | None) -> tuple[int, int, int] | None:
    if value is None or not re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", value, re.IGNORECASE):
        return None
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        value = value / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def used(properties) -> set[str]:
    """Custom properties used by declarations whose name matches `properties`."""
    names = set()
    for _selectors, declarations in RULES:
        for name, value in declarations.items():
            if properties(name):
                names.update(re.findall(r"var\(\s*(--[\w-]+)", value))
    return names


def colour_variables() -> set[str]:
    return {
        name
        for environment in ENVIRONMENTS.values()
        for name, value in environment.items()
        if rgb(resolve(value, environment))
    }


def rule_pairs() -> set[tuple[str, str]]:
    """(text, background) pairs that one rule sets together."""
    pairs = set()
    for _selectors, declarations in RULES:
        texts = re.findall(r"var\(\s*(--[\w-]+)", declarations.get("color", ""))
        backgrounds = re.findall(
            r"var\(\s*(--[\w-]+)",
            declarations.get("background", "") + declarations.get("background-color", ""),
        )
        pairs.update(product(texts, backgrounds))
    return pairs


TEXT_PAIRS = sorted(
    {(text, background) for background, texts in TEXT_ON.items() for text in texts} | rule_pairs()
)
LINE_PAIRS = sorted(
    {(line, background) for background, lines in LINES_ON.items() for line in lines}
)


def ratio(pair, environment) -> float | None:
    colours = [rgb(resolve(f"var({name})", environment)) for name in pair]
    return contrast(*colours) if all(colours) else None


def drawn(pairs):
    """Each pair in each environment that sets both its colours (the normal version
    lacks the schemes' own, which only the version's panel shows)."""
    return [
        pytest.param(environment, *pair, id=f"{environment}:{pair[0]}-on-{pair[1]}")
        for environment, pair in product(ENVIRONMENTS, pairs)
        if environment != "normal" or ratio(pair, ENVIRONMENTS[environment]) is not None
    ]


@pytest.mark.parametrize(("environment", "text", "background"), drawn(TEXT_PAIRS))
def test_text_reaches_7_to_1(environment, text, background):
    value = ratio((text, background), ENVIRONMENTS[environment])
    assert value is not None, f"{text} or {background} is not set in {environment}"
    assert value >= 7, f"{text} on {background}: {value:.2f}:1 in {environment}"


@pytest.mark.parametrize(("environment", "line", "background"), drawn(LINE_PAIRS))
def test_borders_and_focus_rings_reach_3_to_1(environment, line, background):
    value = ratio((line, background), ENVIRONMENTS[environment])
    assert value is not None, f"{line} or {background} is not set in {environment}"
    assert value >= 3, f"{line} on {background}: {value:.2f}:1 in {environment}"


@pytest.mark.parametrize(("scheme", "colours"), SCHEMES.items())
def test_each_scheme_has_exactly_the_laws_colours(scheme, colours):
    environment = ENVIRONMENTS[scheme]
    text = resolve("var(--color-text)", environment)
    background = resolve("var(--color-background)", environment)
    assert (text.lower(), background.lower()) == colours


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_scheme_sets_every_colour(scheme):
    environment = ENVIRONMENTS[scheme]
    normal = ENVIRONMENTS["normal"]
    for name in colour_variables() & set(normal):
        assert environment[name] != normal[name], f"{scheme} keeps the normal {name}"
        assert rgb(resolve(environment[name], environment)) in {
            rgb(colour) for colour in SCHEMES[scheme]
        }, f"{name} in {scheme} is not one of the scheme's two colours"


def test_every_colour_used_is_in_a_checked_pair():
    texts = {text for text, _background in TEXT_PAIRS}
    backgrounds = {background for _text, background in TEXT_PAIRS}
    lines = {line for line, _background in LINE_PAIRS}
    assert used(TEXT_PROPERTIES.__contains__) <= texts
    assert used(BACKGROUND_PROPERTIES.__contains__) <= backgrounds
    assert used(LINE_PROPERTIES.match) <= lines | texts
    assert colour_variables() <= texts | backgrounds | lines


def test_colours_are_only_set_through_custom_properties():
    """A colour written straight into a rule would stay the same in every scheme."""
    for selectors, declarations in RULES:
        for name, value in declarations.items():
            if not name.startswith("--"):
                assert not COLOUR_LITERAL.search(value), f"{selectors}: {name}: {value}"


def test_the_parser_reads_the_stylesheet():
    assert len(RULES) > 50
    assert len(TEXT_PAIRS) > 10 and len(LINE_PAIRS) > 10
    assert ("--scheme-text", "--scheme-background") in TEXT_PAIRS
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast(rgb("#777"), rgb("#fff")) == pytest.approx(4.48, abs=0.01)
