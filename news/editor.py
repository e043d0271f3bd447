"""
Corrections to the editor's (CKEditor 5's) own Russian and Belarusian, in what
staff meet with the "news" configuration: the toolbar, the image and table
toolbars, the link balloon, the word count, and the keystrokes the accessibility
help (Alt+0) lists. Russian writes «ё» where it is pronounced, as everywhere in
the portal (screen readers read «жесткий», «все» wrongly). The rest are typos,
Russian spellings in the Belarusian, and strings its Belarusian leaves empty,
which the editor shows in English (the link and text alternative forms).

Its text is JavaScript (translations/<language>.js), out of gettext's reach, and
the editor's `translations` option would replace those files rather than amend
them, so js/editor-corrections.js writes these over them before the editor is
made. Strings of features staff cannot reach (highlight pens, find and replace,
which has no button, special characters) are left as they are.
"""

import json

from django import forms

CORRECTIONS = {
    "ru": {
        "Insert a hard break (a new paragraph)": "Вставить жёсткий разрыв (новый абзац)",
        "Paste content as plain text": "Вставить содержание в виде обычного текста",
        "Select all": "Выбрать всё",
        "Strikethrough text": "Зачёркнутый текст",
        "Underline text": "Подчёркнутый текст",
    },
    "be": {
        "Back": "Назад",
        "Displayed text": "Тэкст спасылкі",
        "Insert": "Уставіць",
        "Text Alternative": "Альтэрнатыўны тэкст",
        "Update": "Абнавіць",
        "Close contextual balloons, dropdowns, and dialogs": (
            "Закрыць кантэкстныя ўсплывальныя вокны, раскрывальныя спісы і дыялогавыя вокны."
        ),
        "Italic text": "Тэкст курсівам",
        "Keystrokes that can be used in a table cell": (
            "Спалучэнні клавіш, якія можна выкарыстоўваць у ячэйцы табліцы"
        ),
        "Keystrokes that can be used when a widget is selected (for example: image, table, etc.)": (
            "Націскі клавіш, якія можна выкарыстоўваць пры выбары віджэта "
            "(напрыклад: відарыс, табліца і г. д.)"
        ),
        "Move focus from an editable area back to the parent widget": (
            "Перамясціце фокус з рэдагавальнай вобласці назад на бацькоўскі віджэт"
        ),
        "Move focus to the toolbar, navigate between toolbars": (
            "Перамясціць фокус на панэль інструментаў, перамяшчацца паміж панэлямі інструментаў"
        ),
        "Move out of a link": "Выйсці са спасылкі",
        "Move out of an inline code style": "Выйсці з убудаванага стылю",
        "Navigate through the toolbar or menu bar": (
            "Навігацыя па панэлі інструментаў або панэлі меню"
        ),
        "Numbered List": "Нумараваны спіс",
        "Open the accessibility help dialog": (
            "Адкрыць дыялогавае акно дапамогі па спецыяльных магчымасцях"
        ),
        "Split cell horizontally": "Раздзяліць ячэйку гарызантальна",
        "These keyboard shortcuts allow for quick access to content editing features.": (
            "Гэтыя камбінацыі клавіш дазваляюць хутка выклікаць функцыі рэдагавання кантэнту."
        ),
        "Words: %0": "Слоў: %0",
    },
}


def corrections_js() -> list:
    """
    A form's media for the script that applies CORRECTIONS, after the editor's
    translations: listed first, so that Django's media merging keeps that order.
    """
    shipped = [f"django_ckeditor_5/dist/translations/{language}.js" for language in CORRECTIONS]
    script = forms.Script(
        "js/editor-corrections.js",
        **{"data-corrections": json.dumps(CORRECTIONS, ensure_ascii=False)},
    )
    return [*shipped, script]
