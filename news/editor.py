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
            "Спалучэнні клавіш, якія можна выкарыстоўваць, калі выбраны віджэт "
            "(напрыклад, выява, табліца і г. д.)"
        ),
        "Move focus from an editable area back to the parent widget": (
            "Перамясціць фокус з рэдагавальнай вобласці назад на бацькоўскі віджэт"
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
            "Гэтыя спалучэнні клавіш дазваляюць хутка выклікаць функцыі рэдагавання кантэнту."
        ),
        "Words: %0": "Слоў: %0",
        # One word for a keystroke, «спалучэнне клавіш», as the help's other lines have
        # it; the infinitive of the other lines; «перад», not «напярэдзе».
        "Below, you can find a list of keyboard shortcuts that can be used in the editor.": (
            "Ніжэй — спіс спалучэнняў клавіш, якія можна выкарыстоўваць у рэдактары."
        ),
        "Insert a new paragraph directly after a widget": "Уставіць новы абзац пасля віджэта",
        "Insert a new paragraph directly before a widget": "Уставіць новы абзац перад віджэтам",
        "Move focus between form fields (inputs, buttons, etc.)": (
            "Перамясціць фокус паміж элементамі формы (палі ўводу, кнопкі і г. д.)"
        ),
        "Move focus in and out of an active dialog window": (
            "Перамясціць фокус у актыўнае дыялогавае акно і з яго"
        ),
        "Move the caret to allow typing directly after a widget": (
            "Перамясціць курсор, каб уводзіць тэкст адразу пасля віджэта"
        ),
        "Move the caret to allow typing directly before a widget": (
            "Перамясціць курсор, каб уводзіць тэкст адразу перад віджэтам"
        ),
        (
            "Use the following keystrokes for more efficient navigation in the CKEditor 5 "
            "user interface."
        ): (
            "Выкарыстоўвайце гэтыя спалучэнні клавіш, каб хутчэй перамяшчацца "
            "па інтэрфейсе CKEditor 5."
        ),
        "User interface and content navigation keystrokes": (
            "Спалучэнні клавіш для навігацыі па кантэнце і інтэрфейсе"
        ),
        # «Панэль», not the Russian «Панель».
        "Table toolbar": "Панэль інструментаў табліцы",
        "Widget toolbar": "Панэль інструментаў віджэта",
        # «Выява», as the form and the portal's messages call a picture, not «відарыс».
        "Caption for image: %0": "Подпіс да выявы: %0",
        "Caption for the image": "Подпіс да выявы",
        "Enter image caption": "Увядзіце подпіс да выявы",
        "Error during image upload": "Памылка пры запампоўванні выявы",
        "Image toolbar": "Панэль інструментаў выявы",
        "Image upload complete": "Выява запампавана",
        "image widget": "Віджэт выявы",
        "Insert image": "Уставіць выяву",
        "Upload image from computer": "Запампаваць выяву з камп’ютара",
        "Uploading image": "Запампоўванне выявы",
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
