"""
Compile the translation catalogues, `locale/<language>/LC_MESSAGES/*.po`, into
the `.mo` files Django reads, with polib: no gettext tools (`msgfmt`) needed.

    python scripts/compile_messages.py

`make messages` runs it after extracting the strings. Fuzzy and untranslated
entries are left out, as `msgfmt` does; the test suite checks that there are
none and that every committed `.mo` matches its `.po`.
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write a `.mo` beside every `.po` under `locale_dir`; return the `.mo` paths."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    paths = compile_catalogues()
    if not paths:
        sys.exit(f"No .po files under {LOCALE_DIR}")
    for path in paths:
        print(f"Compiled {path.relative_to(LOCALE_DIR.parent)}")
