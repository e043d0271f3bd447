from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

DEFAULT_SITE_NAME = _("Official website")
DEFAULT_COMMITTEE_NAME = _("Lepel District Executive Committee")


def portal(request):
    """The site's and the committee's names, configurable by environment."""
    return {
        "site_name": settings.PORTAL_SITE_NAME or DEFAULT_SITE_NAME,
        "committee_name": settings.PORTAL_COMMITTEE_NAME or DEFAULT_COMMITTEE_NAME,
    }


def build_language_links(url_for) -> list[dict]:
    """The header's language switch: one link per language, to `url_for(code)`."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": url_for(code),
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def language_links(request):
    """
    Links to the same page in each language. Views whose page has no
    counterpart in another language (a news item is written in one) put their
    own `language_links` in the context, which takes precedence.
    """
    return {"language_links": build_language_links(lambda code: translate_url(request.path, code))}
