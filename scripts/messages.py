"""
Update the translation catalogues in `locale/`.

    python scripts/messages.py            # extract, then compile (`make messages`)
    python scripts/messages.py --extract  # only extract
    python scripts/messages.py --compile  # only compile

Extracting runs Django's `makemessages` for every language of the site: the
strings marked in Python code and templates go into
`locale/<language>/LC_MESSAGES/django.po`, translations already made are kept,
new strings arrive untranslated and strings no longer used are dropped. It
needs GNU gettext (`xgettext`, `msgmerge`; Debian's `gettext` package).

`locale/third_party/<language>/LC_MESSAGES/` corrects translations that Django
and other packages ship (`django.po`, and `djangojs.po` for the admin's
scripts): extraction leaves it alone, since none of its strings is in our code;
it is edited by hand.

Compiling writes the `.mo` beside each `.po` with polib, so it needs no gettext
tools. Fuzzy and untranslated entries are left out, as `msgfmt` does; the test
suite (tests/test_translations.py) fails on any, and on a `.mo` that does not
match its `.po`.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ["ru", "be", "en"]  # settings.LANGUAGES; a test keeps the two in step
# admin/filter.html, admin/actions.html, admin/login.html and
# admin/edit_inline/tabular.html are Django's templates, with an attribute or an
# element more: Django's catalogues translate their strings (in Russian, «By
# language» is just «язык»).
IGNORED = [
    ".venv",
    "data",
    "tests",
    "templates/admin/filter.html",
    "templates/admin/actions.html",
    "templates/admin/login.html",
    "templates/admin/edit_inline/tabular.html",
]


def extract(base_dir: Path = BASE_DIR) -> None:
    """Run `makemessages` in `base_dir` for every language of the site."""
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        *(f"--locale={language}" for language in LANGUAGES),
        *(f"--ignore={pattern}" for pattern in IGNORED),
        "--no-obsolete",
        # File names without line numbers: editing code does not change the catalogues.
        "--add-location=file",
    ]
    # Extraction reads code only; debug settings spare it a secret key.
    environment = {**os.environ, "DJANGO_DEBUG": "1"}
    subprocess.run(command, cwd=base_dir, env=environment, check=True)


def compile_catalogues(locale_dir: Path = BASE_DIR / "locale") -> list[Path]:
    """
    Write a `.mo` beside every `.po` under `locale_dir`, our corrections of
    other packages' translations (`third_party/`) included; return the `.mo` paths.
    """
    written = []
    for po_path in sorted(locale_dir.glob("**/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument("--extract", action="store_true", help="only extract the strings")
    steps.add_argument("--compile", action="store_true", help="only compile the catalogues")
    options = parser.parse_args()
    if not options.compile:
        extract()
    if not options.extract:
        for path in compile_catalogues():
            print(f"compiled {path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
