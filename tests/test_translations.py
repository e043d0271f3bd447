"""
The interface in Russian, Belarusian and English: complete catalogues, compiled
catalogues that match them, every marked string in them, and pages and the admin
that speak the page's language, with its dates and numbers.
"""

import datetime
import html
import json
import re
import runpy
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import django
import django_ckeditor_5
import polib
import pytest
from axes.models import AccessAttempt
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from news.editor import CORRECTIONS
from news.models import Attachment, Category
from portal.month_names import MONTHS_IN_TEXT

from .conftest import missing

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
EAST_SLAVIC_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
PLURAL_FORMS = {
    "ru": EAST_SLAVIC_PLURALS,
    "be": EAST_SLAVIC_PLURALS,
    "en": "nplurals=2; plural=(n != 1);",
}
# Letters of one alphabet and not of the other: a Belarusian text with "и" or a
# Russian one with "ў" is in the wrong catalogue.
FOREIGN_LETTERS = {"ru": set("ІіЎў"), "be": set("ИиЩщЪъ")}

# %(name)s, %s, %d… (not %%), and {name} in strings formatted with str.format.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
BRACE_PLACEHOLDER = re.compile(r"\{\w*\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def translations(entry: polib.POEntry) -> list[str]:
    """The entry's msgstr, or each of its plural forms."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(entry: polib.POEntry, text: str) -> list[str]:
    found = PERCENT_PLACEHOLDER.findall(text)
    if "python-brace-format" in entry.flags:
        found += BRACE_PLACEHOLDER.findall(text)
    return sorted(found)


def letters(text: str) -> str:
    """`text` without its placeholders and markup: what a reader reads."""
    text = PERCENT_PLACEHOLDER.sub("", BRACE_PLACEHOLDER.sub("", text))
    return "".join(char for char in re.sub(r"<[^>]+>", "", text) if char.isalpha())


def test_there_is_a_catalogue_for_every_language_of_the_site():
    assert sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/django.po")) == (
        sorted(LANGUAGES)
    )


def test_the_javascript_needs_no_catalogue_its_messages_come_from_the_server():
    script = (ROOT / "static" / "js" / "portal.js").read_text()
    assert "gettext" not in script
    assert "state.message" in script and "state.switch.label" in script
    assert not list(LOCALE.glob("*/LC_MESSAGES/djangojs.po"))


@pytest.mark.parametrize("language", LANGUAGES)
class TestCatalogue:
    def test_header_names_the_language_its_plural_forms_and_utf_8(self, language):
        po = catalogue(language)
        assert po.metadata["Language"] == language
        assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert not po.metadata_is_fuzzy

    def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(self, language):
        po = catalogue(language)
        assert len(po) > 300
        assert [entry.msgid for entry in po.untranslated_entries()] == []
        assert [entry.msgid for entry in po.fuzzy_entries()] == []
        assert [entry.msgid for entry in po.obsolete_entries()] == []
        nplurals = int(re.search(r"nplurals=(\d)", PLURAL_FORMS[language])[1])
        for entry in po:
            assert all(text.strip() for text in translations(entry)), entry.msgid
            if entry.msgid_plural:
                assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid

    def test_translations_keep_the_placeholders_of_the_source(self, language):
        problems = []
        for entry in catalogue(language):
            expected = placeholders(entry, entry.msgid_plural or entry.msgid)
            for text in translations(entry):
                if placeholders(entry, text) != expected:
                    problems.append((entry.msgid, text))
        assert problems == []

    def test_translations_are_written_in_the_language(self, language):
        problems = []
        for entry in catalogue(language):
            for text in translations(entry):
                cyrillic = {char for char in letters(text) if "Ѐ" <= char <= "ӿ"}
                if language == "en":
                    wrong = bool(cyrillic)
                else:
                    # Cyrillic wherever the source has words, and of the right alphabet.
                    wrong = bool(cyrillic & FOREIGN_LETTERS[language]) or (
                        bool(letters(entry.msgid)) and not cyrillic
                    )
                if wrong:
                    problems.append((entry.msgid, text))
        assert problems == []


def test_english_is_british():
    """The English pages say "Colour scheme" and "kilometres": no word of them is American."""
    american = re.compile(r"\b(colou?rs?|gr[ae]y(scale)?|center|behavior|favorite|catalog)\b")
    spelled = {
        word.group(0)
        for entry in catalogue("en")
        for text in translations(entry)
        for word in american.finditer(text.lower())
    }
    assert spelled <= {"colour", "colours", "grey", "greyscale"}


# Words the Russian texts use, spelled with «е» where «ё» is pronounced.
WITHOUT_YO = re.compile(
    r"\b(ее|еще|все равно|ведет|идет|приведет|вернется|остается|удается|перестает|вперед"
    r"|истек|истекш\w+|отменен|запрещен|поврежден|сохранен|сохраненн\w+|удаленн\w+"
    r"|защищенн\w+|прикрепленн\w+|учетн\w+|приема|зачеркнут\w*|подчеркнут\w*|щелкните"
    r"|черн(ый|ом|о)|темно|зелен(ый|ом)"
    # …and Django's: «Пароль успешно изменен», «Введенные пароли не совпадают».
    r"|изменен|введен|введенн\w+|внесенн\w+|несохраненн\w+|проведенн\w+|разрешен"
    r"|разрешенн\w+|распространенн\w+|придется|отчет|подчеркиван\w+)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("locale", [LOCALE, LOCALE / "third_party"], ids=["ours", "corrections"])
def test_russian_writes_yo_where_it_is_pronounced(locale):
    """Screen readers read «ее», «ведет» as written; «её», «ведёт» they read right."""
    written = [
        (entry.msgid, word.group(0))
        for entry in polib.pofile(str(locale / "ru" / "LC_MESSAGES" / "django.po"))
        for text in translations(entry)
        for word in WITHOUT_YO.finditer(text)
    ]
    assert written == []


# Strings of Django's and the packages' Russian that lack a «ё» but that the portal
# never shows, so it does not correct them: there is no password reset; ModelBackend
# refuses an inactive account before the login form could say so; a locked-out
# login gets our page (portal/login_protection.py), not django-axes' message; and
# the media view's 404 does not show its reason.
NEVER_SHOWN = {
    "Your password has been set.  You may go ahead and log in now.",
    "The password reset link was invalid, possibly because it has already been used.  "
    "Please request a new password reset.",
    "We’ve emailed you instructions for setting your password, if an account exists with "
    "the email you entered. You should receive them shortly.",
    "This account is inactive.",
    "Account locked: too many login attempts. Please try again later.",
    "Account locked: too many login attempts. Contact an admin to unlock your account.",
    "Directory indexes are not allowed here.",
}


def installed_russian_catalogues() -> list[Path]:
    """Django's own Russian catalogue and those of the installed apps that have one."""
    folders = [Path(django.__file__).parent / "conf"]
    folders += [Path(app.path) for app in apps.get_app_configs()]
    # django-simple-history's is ru_RU, which Django finds for "ru" too.
    return [path for folder in folders for path in folder.glob("locale/ru*/LC_MESSAGES/django.po")]


def shown_in_russian(entry: polib.POEntry) -> list[str]:
    """What the portal shows for the entry in Russian: our corrections, else the package's."""
    with translation.override("ru"):
        if entry.msgid_plural:
            return [
                translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, number)
                if entry.msgctxt
                else translation.ngettext(entry.msgid, entry.msgid_plural, number)
                for number in (1, 2, 5)
            ]
        if entry.msgctxt:
            return [translation.pgettext(entry.msgctxt, entry.msgid)]
        return [translation.gettext(entry.msgid)]


def test_django_and_the_packages_russian_writes_yo_as_the_portal_shows_it():
    """Django's Russian writes «еще», «изменен», «учетная»; locale/third_party corrects it."""
    catalogues = installed_russian_catalogues()
    names = {path.relative_to(Path(django.__file__).parent.parent).parts[0] for path in catalogues}
    assert {"django", "axes", "simple_history"} <= names
    written = [
        (entry.msgid, word.group(0))
        for path in catalogues
        for entry in polib.pofile(str(path))
        if not entry.obsolete and entry.msgid not in NEVER_SHOWN
        for text in shown_in_russian(entry)
        for word in WITHOUT_YO.finditer(text)
    ]
    assert written == []


@pytest.mark.parametrize(
    ("msgid", "russian"),
    [
        ("Add another %(verbose_name)s", "Добавить ещё: %(verbose_name)s"),  # admin
        ("Your password was changed.", "Ваш пароль был изменён."),
        (
            "Thanks for spending some quality time with the web site today.",
            "Благодарим вас за время, проведённое на этом сайте.",
        ),
        ("Password changed successfully.", "Пароль успешно изменён."),  # auth
        ("The two password fields didn’t match.", "Введённые пароли не совпадают."),
        (
            "Your old password was entered incorrectly. Please enter it again.",
            "Ваш старый пароль введён неправильно. Пожалуйста, введите его снова.",
        ),
        (
            "Upload a valid image. The file you uploaded was either not an image or a corrupted "
            "image.",
            "Загрузите правильное изображение. Файл, который вы загрузили, повреждён или "
            "не является изображением.",
        ),  # forms
        (
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
            "Значение должно состоять только из латинских букв, цифр, знаков подчёркивания или "
            "дефиса.",
        ),  # validators
        ("Access lock out", "Доступ запрещён"),  # django-axes
    ],
)
def test_django_texts_staff_read_in_russian_write_yo(msgid, russian):
    with translation.override("ru"):
        assert translation.gettext(msgid) == russian


@pytest.mark.django_db
def test_the_admins_pages_and_scripts_write_yo_in_russian(staff_client):
    """The password page after a change, and the actions bar's warnings (from jsi18n)."""
    done = staff_client.get("/ru/admin/password_change/done/").content.decode()
    assert "<h1>Пароль успешно изменён</h1>" in done and "Ваш пароль был изменён." in done
    script = staff_client.get("/ru/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S)[1])
    texts = [
        text
        for value in catalogue.values()
        for text in ([value] if isinstance(value, str) else value)
    ]
    assert [word.group(0) for text in texts for word in WITHOUT_YO.finditer(text)] == []
    unsaved = catalogue[
        "You have selected an action, but you haven’t saved your changes to individual fields "
        "yet. Please click OK to save. You’ll need to re-run the action."
    ]
    assert "ещё не сохранили" in unsaved and "придётся запустить действие ещё раз" in unsaved
    # The user's groups and permissions selector, without Django's two typos.
    assert (
        "отфильтровать список доступных"
        in catalogue["Type into this box to filter down the list of available %s."]
    )
    assert (
        "и нажмите стрелку влево"
        in catalogue['Remove %s by selecting them and then select the "Remove" arrow button.']
    )
    assert not re.search(r"отфитр|\bи и\b", " ".join(texts))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    """The committed .mo is what `make messages` makes of the .po: never stale."""
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))

    def contents(entries):
        return {(entry.msgctxt, entry.msgid): tuple(translations(entry)) for entry in entries}

    assert contents(mo) == contents(po.translated_entries())
    assert mo.metadata["Plural-Forms"] == po.metadata["Plural-Forms"]
    assert mo.metadata["Language"] == language


# --- Corrections of other packages' translations (locale/third_party/) ---------

THIRD_PARTY = LOCALE / "third_party"
CORRECTED = sorted(path.parent.parent.name for path in THIRD_PARTY.glob("*/LC_MESSAGES/django.po"))


@pytest.fixture(scope="module")
def packages_msgids() -> set:
    """Every msgid of the catalogues Django and the other installed packages ship."""
    site_packages = Path(django.__file__).resolve().parent.parent
    found = set()
    for path in site_packages.glob("*/**/locale/*/LC_MESSAGES/django*.po"):
        package, language = path.relative_to(site_packages).parts[0], path.parent.parent.name
        # Django's English catalogues hold all its strings; other packages' may
        # have some in one language only.
        if package != "django" or language == "en":
            found |= {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))}
    return found


# `_("text")` in a package's code: django-axes marks strings that none of its
# catalogues has (e.g. "Locked Out"), which only our corrections translate.
MARKED_STRING = re.compile(r"""\b_\(\s*(["'])(.+?)\1\s*\)""")


@pytest.fixture(scope="module")
def marked_in_code():
    """The strings each package whose strings we translate marks in its code, by package."""

    def strings(package: str) -> set:
        folder = Path(django.__file__).resolve().parent.parent / package
        return {
            match[2]
            for path in folder.rglob("*.py")
            for match in MARKED_STRING.finditer(path.read_text(encoding="utf-8"))
        }

    return {package: strings(package) for package in ("axes", "simple_history")}


def test_russian_corrections_are_there():
    assert "ru" in CORRECTED and set(CORRECTED) <= set(LANGUAGES)


@pytest.mark.parametrize(
    "path",
    sorted(THIRD_PARTY.glob("*/LC_MESSAGES/*.po")),
    ids=lambda path: f"{path.parent.parent.name}-{path.stem}",
)
class TestCorrections:
    @pytest.fixture(autouse=True)
    def _catalogue(self, path):
        self.path, self.language = path, path.parent.parent.name

    def catalogue(self):
        return polib.pofile(str(self.path))

    def test_every_entry_is_translated_and_in_the_language(self):
        po, language = self.catalogue(), self.language
        assert po.metadata["Language"] == language
        assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]
        assert [entry.msgid for entry in po.untranslated_entries()] == []
        assert [entry.msgid for entry in po.fuzzy_entries() + po.obsolete_entries()] == []
        for entry in po:
            for text in translations(entry):
                cyrillic = {char for char in letters(text) if "Ѐ" <= char <= "ӿ"}
                assert cyrillic and not cyrillic & FOREIGN_LETTERS[language], (entry.msgid, text)

    def test_each_corrects_a_string_a_package_has(self, packages_msgids, marked_in_code):
        def in_code(entry) -> bool:
            return any(
                entry.msgid in marked_in_code.get(package, ())
                for package, _line in entry.occurrences
            )

        strays = [
            entry.msgid
            for entry in self.catalogue()
            if (entry.msgctxt, entry.msgid) not in packages_msgids and not in_code(entry)
        ]
        assert strays == [], "a package changed or dropped these strings"

    def test_translations_use_only_placeholders_of_the_source(self):
        """A correction may leave out a name ("Добавить запись"), never add one."""
        problems = []
        for entry in self.catalogue():
            expected = set(placeholders(entry, entry.msgid_plural or entry.msgid))
            for text in translations(entry):
                if not set(placeholders(entry, text)) <= expected:
                    problems.append((entry.msgid, text))
        assert problems == []

    def test_the_compiled_catalogue_matches_its_source(self):
        po = self.catalogue()
        mo = polib.mofile(str(self.path.with_suffix(".mo")))

        def contents(entries):
            return {(entry.msgctxt, entry.msgid): tuple(translations(entry)) for entry in entries}

        assert contents(mo) == contents(po.translated_entries())


class AttributeNames(HTMLParser):
    """The names of the attributes of a page's tags."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        self.names.update(name for name, _value in attrs)


ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9_:.-]*\Z")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_breaks_the_markup_of_the_admins_forms(
    admin_client, admin_user, make_item, language
):
    """
    A translation put into an attribute must not end it: Django's Russian
    titled the links beside the section field «Изменить выбранный объект
    типа "%(model)s"», whose first straight quote ended the title («Изменить
    выбранный объект типа », all a screen reader said) and left «рубрика""»
    as an attribute of its own.
    """
    item = make_item()
    with translation.override(language):
        urls = [
            reverse("admin:index"),
            reverse("admin:news_newsitem_changelist"),
            reverse("admin:news_newsitem_add"),
            reverse("admin:news_newsitem_change", args=[item.pk]),
            reverse("admin:news_category_add"),
            reverse("admin:notices_urgentnotice_add"),
            reverse("admin:auth_user_change", args=[admin_user.pk]),
        ]
    for url in urls:
        attributes = AttributeNames()
        attributes.feed(admin_client.get(url).content.decode())
        assert {name for name in attributes.names if not ATTRIBUTE_NAME.match(name)} == set(), url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ru", "Изменить выбранную запись: рубрика"),
        ("be", "Змяніць выбраны запіс: рубрыка"),
        ("en", "Change selected category"),
    ],
)
def test_the_link_beside_the_section_field_names_it_whole(admin_client, make_item, language, title):
    item = make_item()
    with translation.override(language):
        page = admin_client.get(reverse("admin:news_newsitem_change", args=[item.pk]))
    assert 'id="change_id_category"' in page.content.decode()
    assert f'title="{title}"' in page.content.decode()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    """The msgids that `make messages` would extract from the code as it is now."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        missing("GNU gettext (xgettext, msgmerge) is not installed: cannot extract strings")
    copy = tmp_path_factory.mktemp("source") / "portal"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "data", "locale", "tests", "node_modules", "__pycache__", ".*cache"
        ),
    )
    subprocess.run(
        [sys.executable, "scripts/messages.py", "--extract"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return {(entry.msgctxt, entry.msgid) for entry in catalogue_at(copy / "locale", "en")}


def catalogue_at(locale: Path, language: str) -> polib.POFile:
    return polib.pofile(str(locale / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(extracted, language):
    committed = {(entry.msgctxt, entry.msgid) for entry in catalogue(language)}
    missing = sorted(extracted - committed, key=str)
    unused = sorted(committed - extracted, key=str)
    assert (missing, unused) == ([], []), "run `make messages` and translate the new strings"


def test_the_messages_script_extracts_every_language_of_the_site():
    script = runpy.run_path(str(ROOT / "scripts" / "messages.py"))
    assert script["LANGUAGES"] == LANGUAGES


# --- Pages ----------------------------------------------------------------------


def main_menu(page: str) -> list[str]:
    menu = page.split('class="site-nav"')[1].split("</nav>")[0]
    return re.findall(r">([^<>]+)</a>", menu)


PAGE_WORDS = {
    "ru": {
        "menu": ["Главная", "Новости"],
        "switch": "Версия для слабовидящих",
        "search": "Поиск",
        "skip": "Перейти к основному содержанию",
        "latest": "Последние новости",
        "sections": "Разделы",
        "archive": "Архив",
        "back": "К списку новостей",
        "date": "5 марта 2024",
        "month": "Архив новостей: март 2024",
        "month_alone": "Март 2024",
        "count": "(2 новости)",
        "size": "(PDF, 1,2\xa0МБ)",
        "not_found": "Страница не найдена",
    },
    "be": {
        "menu": ["Галоўная", "Навіны"],
        "switch": "Версія для слабавідушчых",
        "search": "Пошук",
        "skip": "Перайсці да асноўнага зместу",
        "latest": "Апошнія навіны",
        "sections": "Раздзелы",
        "archive": "Архіў",
        "back": "Да спісу навін",
        "date": "5 сакавіка 2024",
        "month": "Архіў навін: сакавік 2024",
        "month_alone": "Сакавік 2024",
        "count": "(2 навіны)",
        "size": "(PDF, 1,2\xa0МБ)",
        "not_found": "Старонка не знойдзена",
    },
    "en": {
        "menu": ["Home", "News"],
        "switch": "Version for the visually impaired",
        "search": "Search",
        "skip": "Skip to main content",
        "latest": "Latest news",
        "sections": "Sections",
        "archive": "Archive",
        "back": "To the list of news",
        "date": "5 March 2024",
        "month": "News archive: March 2024",
        "month_alone": "March 2024",
        "count": "(2 items)",
        "size": "(PDF, 1.2\xa0MB)",
        "not_found": "Page not found",
    },
}


# Every month alone, after a day, and within a sentence (the archive's title).
MONTH_NAMES = {
    "ru": (
        "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь",
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    ),
    "be": (
        "Студзень Люты Сакавік Красавік Травень Чэрвень Ліпень Жнівень Верасень Кастрычнік"
        " Лістапад Снежань",
        "студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня верасня кастрычніка"
        " лістапада снежня",
        "студзень люты сакавік красавік травень чэрвень ліпень жнівень верасень кастрычнік"
        " лістапад снежань",
    ),
    "en": (
        "January February March April May June July August September October November December",
        "January February March April May June July August September October November December",
        "January February March April May June July August September October November December",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_month_is_named_right(language):
    """Belarusian May is «травень», «траўня»: the catalogue had the Russian «Май», «мая»."""
    alone, after_a_day, in_a_sentence = (names.split() for names in MONTH_NAMES[language])
    with translation.override(language):
        for month in range(1, 13):
            day = datetime.date(2024, month, 5)
            assert date_format(day, "F") == alone[month - 1]
            assert date_format(day, "j E") == f"5 {after_a_day[month - 1]}"
            assert str(MONTHS_IN_TEXT[month]) == in_a_sentence[month - 1]


@pytest.fixture
def march_items(make_item):
    """Two items of 5 March 2024 in each language, the first with a PDF attached."""
    moment = datetime.datetime(2024, 3, 5, 9, tzinfo=datetime.UTC)
    items = {}
    for language in LANGUAGES:
        items[language] = make_item(language=language, published_at=moment)
        make_item(language=language, published_at=moment + datetime.timedelta(hours=1))
        Attachment.objects.bulk_create(
            [
                Attachment(
                    news_item=items[language],
                    title="Schedule",
                    file="news/attachments/schedule.pdf",
                    content_type="application/pdf",
                    size=1_258_291,
                )
            ]
        )
    return items


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
class TestPagesInTheirLanguage:
    def test_home_page_navigation_and_the_switch(self, client, language):
        words = PAGE_WORDS[language]
        page = client.get(f"/{language}/").content.decode()
        assert f'<html lang="{language}"' in page
        assert main_menu(page) == words["menu"]
        assert f"<span data-display-switch-label>{words['switch']}</span>" in page
        assert f">{words['search']}</button>" in page
        assert f">{words['skip']}</a>" in page
        assert f"<h1>{words['latest']}</h1>" in page

    def test_news_list_sections_archive_and_counts(self, client, march_items, language):
        words = PAGE_WORDS[language]
        page = client.get(f"/{language}/news/").content.decode()
        assert f">{words['sections']}</h2>" in page
        assert f">{words['archive']}</h2>" in page
        assert words["count"] in page
        assert f'<time datetime="2024-03-05T12:00:00+03:00">{words["date"]}</time>' in page

    def test_news_item_dates_and_attachment_sizes(self, client, march_items, language):
        words = PAGE_WORDS[language]
        page = client.get(march_items[language].get_absolute_url()).content.decode()
        assert f">{words['date']}</time>" in page
        assert words["size"] in page
        assert f">{words['back']}</a>" in page

    def test_month_archive_title(self, client, march_items, language):
        """Within the title the month is written as in a sentence; alone, with a capital."""
        page = client.get(f"/{language}/news/archive/2024/03/").content.decode()
        assert f"<h1>{PAGE_WORDS[language]['month']}</h1>" in page
        assert f"<title>{PAGE_WORDS[language]['month']} — " in page
        assert f'<span aria-current="page">{PAGE_WORDS[language]["month_alone"]}</span>' in page

    def test_page_not_found(self, client, language):
        response = client.get(f"/{language}/no-such-page/")
        assert response.status_code == 404
        assert f"<h1>{PAGE_WORDS[language]['not_found']}</h1>" in response.content.decode()


@pytest.mark.django_db
class TestAdminInTheStaffsLanguage:
    @pytest.mark.parametrize(
        ("language", "labels"),
        [
            ("ru", ["Новости", "Рубрики", "Срочные объявления", "Версия для слабовидящих"]),
            ("be", ["Навіны", "Рубрыкі", "Тэрміновыя аб’явы", "Версія для слабавідушчых"]),
            ("en", ["News", "Categories", "Urgent notices", "Version for the visually impaired"]),
            ("ru", ["Защита входа", "Журнал входов", "Попытки входа"]),  # django-axes ("Axes")
            ("be", ["Абарона ўваходу"]),
            ("en", ["Login protection"]),
        ],
    )
    def test_the_index_names_our_apps_and_models(self, staff_client, language, labels):
        page = staff_client.get(f"/{language}/admin/").content.decode()
        for label in labels:
            assert f">{label}<" in page, label

    def test_the_russian_news_form_and_list(self, staff_client, make_item):
        make_item(title="Ярмарка в Лепеле")
        with translation.override("ru"):
            add_page = staff_client.get(reverse("admin:news_newsitem_add")).content.decode()
            list_page = staff_client.get(reverse("admin:news_newsitem_changelist"))
        for label in ("Заголовок", "Анонс", "Рубрика", "Главное изображение", "Время публикации"):
            assert f">{label}:</label>" in add_page, label
        assert "Время в часовом поясе исполкома (Europe/Minsk)." in add_page
        list_html = list_page.content.decode()
        assert "Опубликовать выбранные новости сейчас" in list_html
        assert ">Состояние<" in list_html and ">Опубликовано<" in list_html

    @pytest.mark.parametrize(
        ("language", "published", "day_link", "month_link"),
        [
            # Django's own: «5 Март», «5 марта 2024 г. 11:00», «Март 2024 г.»
            ("ru", "5 марта 2024, 11:00", "5 марта", "Март 2024"),
            ("be", "5 сакавіка 2024, 11:00", "5 сакавіка", "Сакавік 2024"),
            # Django's own: «March 5, 2024, 11 a.m.»
            ("en", "5 March 2024, 11:00", "5 March", "March 2024"),
        ],
    )
    def test_dates_are_written_as_on_the_site(
        self, staff_client, make_item, language, published, day_link, month_link
    ):
        """The list's times and the date drill-down's days, as the public pages write dates."""
        make_item(
            title="Ярмарка", published_at=datetime.datetime(2024, 3, 5, 8, tzinfo=datetime.UTC)
        )
        with translation.override(language):
            changelist = reverse("admin:news_newsitem_changelist")
        page = staff_client.get(f"{changelist}?published_at__year=2024&published_at__month=3")
        html = page.content.decode()
        assert f">{published}<" in html
        assert f">{day_link}</a>" in html
        year = staff_client.get(f"{changelist}?published_at__year=2024").content.decode()
        assert f">{month_link}</a>" in year

    def test_the_russian_admin_agrees_with_any_models_name(self, staff_client):
        """Django's own Russian says «Выберите рубрика», «Рубрика … был добавлен»."""
        with translation.override("ru"):
            changelist = reverse("admin:news_category_changelist")
            add = reverse("admin:news_category_add")
        page = staff_client.get(changelist).content.decode()
        assert "<h1>Выберите запись для изменения: рубрика</h1>" in page
        assert "Добавить запись" in page and "Добавить рубрика" not in page
        assert "<h1>Добавление записи: рубрика</h1>" in staff_client.get(add).content.decode()
        data = {"name": "Спорт", "name_be": "Спорт", "name_en": "Sport", "slug": "sport"}
        response = staff_client.post(add, {**data, "position": 0}, follow=True)
        added = re.search(r'class="success">(.*?)</li>', response.content.decode())[1]
        assert re.sub(r"<[^>]+>", "", added) == "Добавлено: рубрика «Спорт»."
        # Django writes "5 рубрики" under the list; Russian wants "5 рубрик".
        for number in range(4):
            Category.objects.create(name=f"Рубрика {number}", slug=f"section-{number}")
        counted = re.search(
            r'<p class="paginator">(.*?)</p>', staff_client.get(changelist).content.decode(), re.S
        )[1]
        assert counted.split()[:2] == ["Рубрики:", "5"]
        # "Save and continue editing" adds Django's second sentence, in our words too.
        data = {"name": "Культура", "name_be": "Культура", "name_en": "Culture", "slug": "culture"}
        response = staff_client.post(add, {**data, "position": 0, "_continue": 1}, follow=True)
        added = re.search(r'class="success">(.*?)</li>', response.content.decode())[1]
        assert re.sub(r"<[^>]+>", "", added) == (
            "Добавлено: рубрика «Культура». Ниже можно продолжить редактирование."
        )

    def test_the_belarusian_admin_is_in_the_official_orthography(self, staff_client, make_item):
        """Django's Belarusian is classical («Зьмяніць», «Сёньня»); ours is official."""
        item = make_item(title="Ярмарка ў Лепелі", language="be")
        with translation.override("be"):
            urls = [
                reverse("admin:index"),
                reverse("admin:news_category_changelist"),
                reverse("admin:news_newsitem_change", args=[item.pk]),
                reverse("admin:news_newsitem_history", args=[item.pk]),
                reverse("admin:axes_accessattempt_changelist"),
            ]
        pages = "".join(staff_client.get(url).content.decode() for url in urls)
        for official in ("Выйсці", "Абярыце запіс для змянення: рубрыка", "Захаваць", "Гісторыя"):
            assert official in pages, official
        classical = re.findall(r"\w*(?:зьм|сьц|сьв|ньн|дзьв|льл|ґ)\w*", pages, re.IGNORECASE)
        assert classical == []
        # django-axes and django-simple-history have no Belarusian: Russian stood in.
        for russian in ("Попытки доступа", "Создано", "История изменений", "Комментарий"):
            assert russian not in pages, russian

    @pytest.mark.parametrize(
        ("language", "help_text", "warning"),
        [
            (
                "ru",
                "Сможет ли пользователь входить с паролем.",
                "Если отключить, текущий пароль этого пользователя будет утерян.",
            ),
            (
                "be",
                "Ці зможа карыстальнік уваходзіць з паролем.",
                "Калі адключыць, цяперашні пароль гэтага карыстальніка будзе страчаны.",
            ),
            (
                "en",
                "Whether the user will be able to authenticate using a password or not.",
                "If disabled, the current password for this user will be lost.",
            ),
        ],
    )
    def test_the_password_form_explains_in_the_admins_language(
        self, staff_client, language, help_text, warning
    ):
        """Django's form fixes this text in the default language when it is imported."""
        with translation.override(language):
            url = reverse("admin:auth_user_password_change", args=[staff_client.user.pk])
        page = staff_client.get(url).content.decode()
        assert help_text in page and warning in page
        assert '<ul id="id_unusable_warning" class="messagelist">' in page  # Django's script's

    @pytest.mark.parametrize(
        ("language", "labels"),
        [
            (
                "ru",
                [
                    "Новости | новость | Может добавлять",
                    "Новости | новость | Может публиковать, планировать, снимать с публикации"
                    " и отзывать новости",
                    "Пользователи и группы | пользователь | Может удалять",
                ],
            ),
            (
                "be",
                [
                    "Навіны | навіна | Можа дадаваць",
                    "Навіны | навіна | Можа публікаваць, планаваць, здымаць з публікацыі"
                    " і адклікаць навіны",
                    "Аўтэнтыфікацыя і аўтарызацыя | карыстальнік | Можа выдаляць",
                ],
            ),
            (
                "en",
                [
                    "News | news item | Can add",
                    "News | news item | Can publish, schedule, unpublish and withdraw news items",
                    "Authentication and Authorization | user | Can delete",
                ],
            ),
        ],
    )
    def test_permissions_are_named_in_the_admins_language(self, staff_client, language, labels):
        """Django stores the names in English when it migrates, and shows those."""
        group = Group.objects.get(name="Editor")
        with translation.override(language):
            pages = [
                staff_client.get(reverse("admin:auth_group_change", args=[group.pk])),
                staff_client.get(reverse("admin:auth_user_change", args=[staff_client.user.pk])),
            ]
            for page in pages:
                options = [
                    html.unescape(o)
                    for o in re.findall(r"<option [^>]*>([^<]*)</option>", page.content.decode())
                ]
                for label in labels:
                    assert label in options, (label, options[:8])
                if language != "en":
                    assert not [o for o in options if "Can " in o], options
                    # «historical новость» and «search word» were the names of two models.
                    english = [o for o in options if re.search(r"\b(historical|search)\b", o)]
                    assert english == [], english

    @pytest.mark.parametrize(
        ("language", "words"),
        [
            ("ru", ["Вход заблокирован", "— столько попыток осталось", "Браузер (User Agent)"]),
            ("be", ["Уваход заблакіраваны", "— столькі спроб засталося", "Браўзер (User Agent)"]),
            ("en", ["Locked Out", "Attempt Remaining", "User Agent"]),
        ],
    )
    def test_the_login_attempts_list_is_translated(self, staff_client, language, words):
        """django-axes marks these, but none of its catalogues translates them."""
        AccessAttempt.objects.create(
            ip_address="192.0.2.1", username="someone", failures_since_start=1
        )
        with translation.override(language):
            page = staff_client.get(reverse("admin:axes_accessattempt_changelist"))
        for word in words:
            assert word in page.content.decode(), word


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("ru", ["1 новость", "2 новости", "5 новостей", "11 новостей", "21 новость", "22 новости"]),
        ("be", ["1 навіна", "2 навіны", "5 навін", "11 навін", "21 навіна", "22 навіны"]),
        ("en", ["1 item", "2 items", "5 items", "11 items", "21 items", "22 items"]),
    ],
)
def test_counted_words_take_the_languages_plural_forms(language, forms):
    with translation.override(language):
        counted = [
            translation.ngettext("%(counter)s item", "%(counter)s items", n) % {"counter": n}
            for n in (1, 2, 5, 11, 21, 22)
        ]
    assert counted == forms


# --- The editor's own translations (news/editor.py) ------------------------------

CKEDITOR_TRANSLATIONS = (
    Path(django_ckeditor_5.__file__).parent / "static/django_ckeditor_5/dist/translations"
)

# The words news/editor.py corrects, besides the «ё» Russian leaves out.
EDITOR_FIXES = {
    "ru": {("содержанрие", "содержание")},
    "be": {
        ("контэкставыя", "кантэкстныя"),
        ("всплываючыя", "ўсплывальныя"),
        ("раскрываючыя", "раскрывальныя"),
        ("Текст", "Тэкст"),
        ("Спалучэнне", "Спалучэнні"),
        ("рэдагававальнай", "рэдагавальнай"),
        ("Перамясціце", "Перамясціць"),
        ("Панель", "Панэль"),
        ("перамясціцься", "перамяшчацца"),
        ("з", "са"),
        ("сцілю", "стылю"),
        ("панелі", "панэлі"),
        ("Нумарыроўваны", "Нумараваны"),
        ("дыялогавыя", "дыялогавае"),
        ("спецыяльным", "спецыяльных"),
        ("магчымасцям", "магчымасцях"),
        ("горизонтальна", "гарызантальна"),
        ("Словаў:", "Слоў:"),
    },
}
# The strings it fills in where CKEditor's Belarusian is empty (and shows English).
EDITOR_FILLS = {
    ("be", key) for key in ("Back", "Displayed text", "Insert", "Text Alternative", "Update")
}
# The strings it words anew: the accessibility help's keystrokes in one term and
# mood, and «выява» for «відарыс», as the rest of the admin has them.
EDITOR_REWORDINGS = {
    ("be", key)
    for key in (
        "Below, you can find a list of keyboard shortcuts that can be used in the editor.",
        "Caption for image: %0",
        "Caption for the image",
        "Enter image caption",
        "Error during image upload",
        "Image toolbar",
        "Image upload complete",
        "image widget",
        "Insert a new paragraph directly after a widget",
        "Insert a new paragraph directly before a widget",
        "Insert image",
        "Keystrokes that can be used when a widget is selected (for example: image, table, etc.)",
        "Move focus between form fields (inputs, buttons, etc.)",
        "Move focus in and out of an active dialog window",
        "Move the caret to allow typing directly after a widget",
        "Move the caret to allow typing directly before a widget",
        "These keyboard shortcuts allow for quick access to content editing features.",
        "Upload image from computer",
        "Uploading image",
        "Use the following keystrokes for more efficient navigation in the CKEditor 5 "
        "user interface.",
        "User interface and content navigation keystrokes",
    )
}


def shipped_by_ckeditor(language: str, key: str) -> str | None:
    """What CKEditor's translations/<language>.js says for key, read from its minified object."""
    script = (CKEDITOR_TRANSLATIONS / f"{language}.js").read_text()
    needles = [json.dumps(key, ensure_ascii=False) + ":"]
    if key.isidentifier():
        needles += ["{" + key + ":", "," + key + ":"]
    for needle in needles:
        at = script.find(needle)
        if at != -1:
            value, _end = json.JSONDecoder().raw_decode(script, at + len(needle))
            return value
    return None


def test_the_editors_corrections_are_to_strings_it_has_and_change_only_what_they_mean_to():
    """A string CKEditor renames or drops fails here, as does a correction that rewrites more."""
    assert set(CORRECTIONS) <= set(LANGUAGES)
    used = set()
    for language, corrections in CORRECTIONS.items():
        for key, corrected in corrections.items():
            shipped = shipped_by_ckeditor(language, key)
            assert shipped is not None, (language, key)
            assert shipped != corrected, (language, key)
            if not shipped or (language, key) in EDITOR_REWORDINGS:
                assert (language, key) in EDITOR_FILLS | EDITOR_REWORDINGS, (language, key)
                used.add((language, key))
                continue
            words = list(zip(shipped.split(" "), corrected.split(" "), strict=True))
            for word, fixed in words:
                if word == fixed or (language == "ru" and fixed.replace("ё", "е") == word):
                    continue
                assert (word, fixed) in EDITOR_FIXES[language], (language, key, word, fixed)
                used.add((language, word, fixed))
            if language == "ru":
                assert not WITHOUT_YO.search(corrected), key
    assert used == {(lang, *fix) for lang, fixes in EDITOR_FIXES.items() for fix in fixes} | (
        EDITOR_FILLS | EDITOR_REWORDINGS
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "be"])
def test_the_items_form_labels_every_field_in_the_admins_language(
    admin_client, make_item, language
):
    """Hidden fields too: their labels are in the page («Lock version:» was)."""
    item = make_item()
    with translation.override(language):
        page = admin_client.get(reverse("admin:news_newsitem_change", args=[item.pk]))
    labels = [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r"<label\b[^>]*>(.*?)</label>", page.content.decode(), re.DOTALL)
    ]
    assert labels and [label for label in labels if re.search("[A-Za-z]{3}", label)] == []


@pytest.mark.parametrize(
    "typed", ["2026-12-08", "08/12/2026", "08/12/26", "08.12.2026", "8 December 2026"]
)
def test_english_reads_a_typed_date_day_first(typed):
    """As British English writes it (and the English pages show it): 08/12 is 8 December."""
    with translation.override("en"):
        assert forms.DateField().clean(typed) == datetime.date(2026, 12, 8)
        assert forms.DateTimeField().clean(f"{typed} 10:30") == timezone.make_aware(
            datetime.datetime(2026, 12, 8, 10, 30)
        )
