from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

DEFAULT_SITE_NAME = _("Official website")
DEFAULT_COMMITTEE_NAME = _("Lepel District Executive Committee")


def _configured_name(setting: str, default):
    """
    The name set in `setting` for the active language (`setting_BE`,
    `setting_EN`), else the Russian one, `setting`; unset, `default`, translated.
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE).upper()
    return getattr(settings, f"{setting}_{language}", "") or getattr(settings, setting) or default


def committee_name():
    return _configured_name("PORTAL_COMMITTEE_NAME", DEFAULT_COMMITTEE_NAME)


def site_name():
    return _configured_name("PORTAL_SITE_NAME", DEFAULT_SITE_NAME)


def portal(request):
    """The site's and the committee's names, configurable by environment."""
    return {"site_name": site_name(), "committee_name": committee_name()}


def build_language_links(url_for, alternates=None) -> list[dict]:
    """
    The header's language switch: one link per language, to `url_for(code)`.

    `alternates` are the languages in which this very page exists (all when
    None); only they are announced as `hreflang` alternates in `<head>`.
    """
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": url_for(code),
            "is_current": code == current,
            "is_alternate": alternates is None or code in alternates,
            "is_default": code == settings.LANGUAGE_CODE,
        }
        for code, _name in settings.LANGUAGES
    ]


def language_links(request):
    """
    Links to the same page in each language. Views whose page has no
    counterpart in another language (a news item is written in one) put their
    own `language_links` in the context, which takes precedence.
    """
    current = translation.get_language()

    def url_for(code: str) -> str:
        # An address that does not resolve (a 404 page) leads to the home page.
        # So does a path that begins with `//`, which Django's translate_url()
        # reads as a URL: it kept `//evil.example/ru/news/`'s host in its links,
        # and failed on `//[/ru/news/` (an IPv6 host left open).
        url = None if request.path.startswith("//") else translate_url(request.path, code)
        if url is None or (url == request.path and code != current):
            with translation.override(code):
                return reverse("home")
        return url

    # Made only when a page shows them (a view's own links take precedence).
    return {"language_links": SimpleLazyObject(lambda: build_language_links(url_for))}
