"""
Publish-time accessibility checks: what blocks publishing, and that a draft can
always be saved.
"""

import re

import pytest

from news.accessibility_checks import alt_text_problem, check_body
from news.sanitizer import sanitize_html

from .conftest import admin_url

pytestmark = pytest.mark.django_db

IMAGE = '<figure class="image"><img src="/media/news/body/a1b2.png" {alt}></figure>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (IMAGE.format(alt=""), "Image 1 in the text has no text alternative"),
        # Pasted from Word: its file:// address is gone, alt or not.
        ('<p><img width="100" height="50"></p>', "Image 1 in the text has no file"),
        ('<p><img alt="Схема проезда"></p>', "Image 1 in the text has no file"),
        (IMAGE.format(alt='alt="IMG_2041.JPG"'), "“IMG_2041.JPG” is a file name"),
        (IMAGE.format(alt='alt="DSC01234"'), "“DSC01234” is a file name"),
        (IMAGE.format(alt='alt="фото"'), "“фото” is a placeholder"),
        (IMAGE.format(alt='alt="Image 3"'), "“Image 3” is a placeholder"),
        (IMAGE.format(alt='alt="малюнак"'), "“малюнак” is a placeholder"),
        (IMAGE.format(alt='alt="Illustration"'), "“Illustration” is a placeholder"),
        ("<h2>Итоги</h2><h4>Подробности</h4>", "heading 4 follows heading 2. Use heading 3"),
        ("<h3>Сразу третий уровень</h3>", "heading 3 follows heading 1. Use heading 2"),
        ("<h1>Второй заголовок страницы</h1>", "is a first-level heading"),
        ('<p><a href="/doc.pdf">click here</a></p>', "“click here” says nothing"),
        ('<p><a href="/x">Read more…</a></p>', "“Read more…” says nothing"),
        ('<p><a href="/x">here</a></p>', "“here” says nothing"),
        ('<p><a href="/x">Подробнее</a></p>', "“Подробнее” says nothing"),
        ('<p><a href="/x">читать далее »</a></p>', "“читать далее »” says nothing"),
        ('<p><a href="/x">здесь</a></p>', "“здесь” says nothing"),
        ('<p><a href="/x">тут</a></p>', "“тут” says nothing"),
        ('<p><a href="/x">падрабязней</a></p>', "“падрабязней” says nothing"),
        ('<p><a href="/x">Чытаць далей</a></p>', "“Чытаць далей” says nothing"),
        ('<p><a href="/x"> </a></p>', "Link 1 (to /x) has no text"),
        ('<p><a href="/x"><img src="/i.png" alt=""></a></p>', "Link 1 (to /x) has no text"),
        ('<p><a rel="noopener noreferrer">Заявление</a></p>', "Link 1 (“Заявление”) leads nowhere"),
        (
            '<figure class="image"><img src="https://www.belta.by/img/len.jpg" alt="Уборка льна">'
            "</figure>",
            "Image 1 in the text is on another site (www.belta.by)",
        ),
        ('<p><img src="//cdn.example.com/a.png" alt="Схема"></p>', "(cdn.example.com)"),
        ("<table><tr><td>Улица</td><td>Дата</td></tr></table>", "Table 1 has no header cells"),
        (
            "<p>ВНИМАНИЕ! С 1 ОКТЯБРЯ ИЗМЕНЯЕТСЯ РАСПИСАНИЕ АВТОБУСОВ.</p>",
            "is written in capital letters",
        ),
    ],
)
def test_each_problem_is_found_and_explained(html, expected):
    problems = check_body(html)
    assert len(problems) == 1, problems
    assert expected in problems[0]


def test_a_picture_pasted_from_word_blocks_publishing():
    """Word's clipboard names the picture's file by a file:// address, which is not kept."""
    pasted = (
        '<p><img width=100 height=50 src="file:///C:/Users/olga/AppData/Local/Temp/'
        'msohtmlclip1/01/clip_image001.png" alt="Схема проезда"></p>'
    )
    problems = check_body(sanitize_html(pasted))
    assert problems == [
        "Image 1 in the text has no file: a picture pasted from another program, such as "
        "Word, comes without it. Delete it and insert the picture with the button “Upload "
        "image from computer”."
    ]


def test_a_link_pasted_with_a_script_for_its_address_blocks_publishing():
    problems = check_body(sanitize_html('<p><a href="javascript:alert(1)">Заявление</a></p>'))
    assert problems == [
        "Link 1 (“Заявление”) leads nowhere: its address was not a web page's and was "
        "removed. Give it the address of a page or document, or remove the link."
    ]


def test_an_image_at_this_sites_own_address_is_its_own():
    body = '<p><img src="http://localhost/media/news/body/a.png" alt="Схема проезда"></p>'
    assert check_body(body) == []


def test_an_accessible_body_passes():
    body = (
        "<p>Райисполком сообщает о ремонте. Подробности — в "
        '<a href="/doc.pdf">графике работ (PDF)</a>. ВОВ, ЖКХ и РУП «Белтелеком» — сокращения.</p>'
        "<h2>Где</h2><h3>Улицы</h3><h2>Когда</h2>"
        '<figure class="image"><img src="/m/a.png" alt="Схема объезда по улице Ленина"></figure>'
        '<figure class="image"><img src="/m/line.png" alt=""></figure>'  # marked decorative
        '<p><a href="/contacts/"><img src="/m/phone.png" alt="Контакты"></a></p>'
        "<table><thead><tr><th>Улица</th><th>Дата</th></tr></thead>"
        "<tbody><tr><td>Ленина</td><td>1 октября</td></tr></tbody></table>"
        "<p>ОАО «ЛЕПЕЛЬ»</p>"
    )
    assert check_body(body) == []


def test_a_real_description_is_not_a_placeholder():
    assert alt_text_problem("Фото участников субботника у Дома культуры", "x") is None


def submit_for_publication(client, item, admin_form, **changes):
    return admin_form(client, item).submit(is_published="on", **changes)


class TestInTheAdmin:
    BAD_BODY = (
        '<h3>Расписание</h3><p><a href="/raspisanie.pdf">здесь</a></p>'
        '<figure class="image"><img src="/media/news/body/x.png"></figure>'
    )

    def test_problems_block_publishing_and_are_listed(
        self, publisher_client, editor, draft_by, admin_form
    ):
        draft = draft_by(editor, body=self.BAD_BODY)

        response = submit_for_publication(publisher_client, draft, admin_form)

        assert response.status_code == 200
        form = response.context["adminform"].form
        assert "cannot be published until the accessibility problems" in str(
            form.non_field_errors()
        )
        body_errors = form.errors["body"]
        assert len(body_errors) == 3
        assert "heading 3 follows heading 1" in body_errors[0]
        assert "“здесь” says nothing" in body_errors[1]
        assert "Image 1 in the text has no text alternative" in body_errors[2]
        draft.refresh_from_db()
        assert not draft.is_published

    def test_the_refused_form_still_treats_the_item_as_the_draft_it_is(
        self, publisher_client, editor, draft_by, admin_form
    ):
        draft = draft_by(editor, body=self.BAD_BODY)
        response = submit_for_publication(publisher_client, draft, admin_form)
        page = response.content.decode()
        assert 'name="slug"' in page  # a draft's address may still change
        assert f'href="{draft.get_absolute_url()}" class="viewsitelink"' in page  # Preview
        assert admin_url("admin:news_newsitem_withdraw", args=[draft.pk]) not in page

    @pytest.mark.parametrize(
        "changes", [{}, {"published_at_0": "2099-01-15", "published_at_1": "09:00:00"}]
    )
    def test_the_refused_form_shows_the_state_the_item_is_in(
        self, publisher_client, editor, draft_by, admin_form, changes
    ):
        """Not "Published" (or "Scheduled for" the typed time): the save was refused."""
        draft = draft_by(editor, body=self.BAD_BODY)
        response = submit_for_publication(publisher_client, draft, admin_form, **changes)
        assert response.status_code == 200
        state = re.search(
            r'field-state.*?<div class="readonly">(.*?)</div>', response.content.decode(), re.S
        )
        assert state.group(1) == "Draft"

    def test_a_cover_image_described_by_its_file_name_blocks_publishing(
        self, publisher_client, editor, draft_by, admin_form, stored_image
    ):
        draft = draft_by(editor, cover_image=stored_image(), cover_image_alt="cover.jpg")

        response = submit_for_publication(publisher_client, draft, admin_form)

        assert "is a file name" in response.context["adminform"].form.errors["cover_image_alt"][0]
        draft.refresh_from_db()
        assert not draft.is_published

    def test_an_uploaded_image_nobody_described_stays_undescribed(
        self, editor_client, publisher_client, editor, draft_by, admin_form, stored_image
    ):
        """Saving adds its renditions, not alt="", which would call it decoration."""
        name = stored_image("news/body/lake.png", size=(800, 600))
        draft = draft_by(editor)
        body = f'<figure class="image"><img src="/media/{name}"></figure>'
        assert admin_form(editor_client, draft).submit(body=body).status_code == 302
        draft.refresh_from_db()
        assert "srcset=" in draft.body and "alt=" not in draft.body

        response = submit_for_publication(publisher_client, draft, admin_form)

        errors = response.context["adminform"].form.errors["body"]
        assert len(errors) == 1
        assert errors[0].startswith("Image 1 in the text has no text alternative.")
        draft.refresh_from_db()
        assert not draft.is_published

    def test_the_bulk_action_refuses_too(self, publisher_client, editor, draft_by):
        draft = draft_by(editor, body=self.BAD_BODY)
        response = publisher_client.post(
            admin_url("admin:news_newsitem_changelist"),
            {"action": "publish_selected", "_selected_action": [draft.pk]},
            follow=True,
        )
        assert "“здесь” says nothing" in response.content.decode()
        draft.refresh_from_db()
        assert not draft.is_published

    def test_a_published_item_cannot_be_edited_into_an_inaccessible_one(
        self, publisher_client, make_item, admin_form
    ):
        item = make_item()
        response = admin_form(publisher_client, item).submit(body=self.BAD_BODY)
        assert response.status_code == 200
        item.refresh_from_db()
        assert "здесь" not in item.body

    def test_a_draft_can_always_be_saved_and_is_told_what_to_fix(
        self, editor_client, draft_by, admin_form
    ):
        draft = draft_by(editor_client.user)

        response = admin_form(editor_client, draft).submit(body=self.BAD_BODY, _continue="1")

        assert response.status_code == 302
        draft.refresh_from_db()
        assert "здесь" in draft.body
        page = editor_client.get(response["Location"]).content.decode()
        assert "Before it can be published, fix:" in page
        assert "“здесь” says nothing" in page

    def test_fixing_the_problems_allows_publishing(
        self, editor_client, publisher_client, draft_by, admin_form
    ):
        draft = draft_by(editor_client.user, body=self.BAD_BODY)
        fixed = (
            '<h2>Расписание</h2><p><a href="/raspisanie.pdf">Расписание автобусов (PDF)</a></p>'
            '<figure class="image"><img src="/m/x.png" alt="Карта маршрутов"></figure>'
        )
        assert admin_form(editor_client, draft).submit(body=fixed).status_code == 302

        response = submit_for_publication(publisher_client, draft, admin_form)

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.is_live
