"""
Every URL pattern of the portal, found by walking the URL resolver, so that
tests over "every page" cover pages added later without being told about them.

A pattern becomes a `Route`: its literal parts, its language prefix (for
i18n_patterns) and its parameters with their converters. `Route.url()` builds
a concrete address from values for the parameters; values for a real
object's page come from resolving the `get_absolute_url()` of every object
in the database.
"""

import dataclasses
import re
import uuid

from django.apps import apps
from django.conf import settings
from django.urls import Resolver404, converters, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern, URLResolver
from django.utils import translation

LANGUAGE = "<language>/"
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")
REGEX_SYNTAX = re.compile(r"[()\[\]|*+?{}]")

# A value each built-in converter accepts, for routes with no object to show.
PLAIN_VALUES = {
    converters.IntConverter: "1",
    converters.SlugConverter: "test",
    converters.StringConverter: "test",
    converters.PathConverter: "test/file.txt",
    converters.UUIDConverter: str(uuid.UUID(int=1)),
}


@dataclasses.dataclass
class Route:
    """One URL pattern: `parts` are literal strings and parameter names in order."""

    route: str
    name: str
    parts: list = dataclasses.field(default_factory=list)
    parameters: dict = dataclasses.field(default_factory=dict)  # name -> converter or None
    renderable: bool = True

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")

    def url(self, values: dict[str, str], language: str = settings.LANGUAGE_CODE) -> str:
        return "/" + "".join(
            values[part[1]] if isinstance(part, tuple) else part.replace(LANGUAGE, f"{language}/")
            for part in self.parts
        )

    def plain_values(self) -> dict[str, str]:
        return {
            name: PLAIN_VALUES.get(type(converter), "1") if converter else "test"
            for name, converter in self.parameters.items()
        }


def _join(route1: str, route2: str) -> str:
    """How Django's resolver joins routes (URLResolver._join_route)."""
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def _parse(pattern, route: Route) -> None:
    """Add one level of a pattern to `route`."""
    if isinstance(pattern, LocalePrefixPattern):
        route.parts.append(LANGUAGE)
    elif isinstance(pattern, RoutePattern):
        text, position = str(pattern), 0
        for match in PARAMETER.finditer(text):
            route.parts.append(text[position : match.start()])
            name = match["name"]
            route.parts.append(("param", name))
            route.parameters[name] = pattern.converters.get(name)
            position = match.end()
        route.parts.append(text[position:])
    elif isinstance(pattern, RegexPattern):
        _parse_regex(str(pattern), route)
    else:
        route.renderable = False


def _parse_regex(text: str, route: Route) -> None:
    """Named groups become parameters; anything else but escaped literals can't be built."""
    text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    position = 0
    while (match := NAMED_GROUP.search(text, position)) is not None:
        route.parts.append(_regex_literal(text[position : match.start()], route))
        depth, end = 1, match.end()
        while depth and end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0) if text[end - 1] != "\\" else 0
            end += 1
        route.parts.append(("param", match["name"]))
        route.parameters[match["name"]] = None
        position = end
    route.parts.append(_regex_literal(text[position:], route))


def _regex_literal(text: str, route: Route) -> str:
    if REGEX_SYNTAX.search(text.replace("\\", "")):
        route.renderable = False
    return re.sub(r"\\(.)", r"\1", text)


def all_routes() -> list[Route]:
    """Every URL pattern, depth first, with namespaced names."""
    routes = []

    def walk(patterns, prefix: Route, route_text: str, namespace: str):
        for entry in patterns:
            text = (
                LANGUAGE if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
            )
            route = Route(
                route=_join(route_text, text),
                name="",
                parts=list(prefix.parts),
                parameters=dict(prefix.parameters),
                renderable=prefix.renderable,
            )
            _parse(entry.pattern, route)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, route, route.route, inner)
            else:
                route.name = f"{namespace}{entry.name or '?'}"
                routes.append(route)

    walk(get_resolver().url_patterns, Route("", ""), "", "")
    return routes


def object_values() -> dict[str, list[dict[str, str]]]:
    """
    For each route, the parameter values of real pages: every object in the
    database whose model has get_absolute_url, resolved back to its route.
    """
    found: dict[str, list[dict[str, str]]] = {}
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for obj in model._default_manager.all()[:20]:
            try:
                url = obj.get_absolute_url()
            except (ValueError, TypeError, AttributeError):
                continue
            language = url.strip("/").split("/")[0]
            if language not in dict(settings.LANGUAGES):
                language = settings.LANGUAGE_CODE
            with translation.override(language):
                try:
                    match = resolve(url.split("?")[0])
                except Resolver404:
                    continue
            route = match.route
            # The values as the address spells them (05, not 5): each parameter
            # of our routes is a whole segment of the path.
            path = url.split("?")[0].strip("/")
            segments = zip(route.strip("/").split("/"), path.split("/"), strict=True)
            values = {
                part.strip("<>").split(":")[-1]: value
                for part, value in segments
                if part.startswith("<")
            }
            if route.startswith(f"{language}/") and url.startswith(f"/{language}/"):
                route = LANGUAGE + route.removeprefix(f"{language}/")
            found.setdefault(route, []).append({"language": language, **values})
    return found
