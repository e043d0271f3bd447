"""
Preview: staff see drafts and scheduled items in the site's design; a publisher
can share a draft with a person without an account through a signed,
expiring, revocable link that is never indexed.
"""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from news.models import ShareLink

from ..test_attachments import attach
from .conftest import admin_url

pytestmark = pytest.mark.django_db


def share_url(item):
    return admin_url("admin:news_newsitem_share", args=[item.pk])


def change_url(item):
    return admin_url("admin:news_newsitem_change", args=[item.pk])


def test_the_change_form_links_to_a_preview_of_a_draft(editor_client, editor, draft_by):
    draft = draft_by(editor)
    page = editor_client.get(change_url(draft)).content.decode()
    assert f'href="{draft.get_absolute_url()}" class="viewsitelink">Preview<' in page
    assert ">View on site<" not in page

    preview = editor_client.get(draft.get_absolute_url()).content.decode()
    assert 'class="preview-banner"' in preview and draft.title in preview
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_scheduled_item_has_a_preview_and_a_published_one_view_on_site(
    publisher_client, make_item
):
    scheduled = make_item(language="en", published_at=timezone.now() + datetime.timedelta(days=1))
    live = make_item()

    page = publisher_client.get(change_url(scheduled))
    assert ">Preview<" in page.content.decode()
    preview = publisher_client.get(scheduled.get_absolute_url()).content.decode()
    assert "this item is scheduled for" in preview

    page = publisher_client.get(change_url(live)).content.decode()
    assert ">View on site<" in page and ">Preview<" not in page
    view_on_site = page.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert publisher_client.get(view_on_site)["Location"].endswith(live.get_absolute_url())


class TestShareLinks:
    def make_link(self, publisher_client, item, hours=24) -> str:
        response = publisher_client.post(share_url(item), {"hours": hours})
        assert response.status_code == 302
        link = item.share_links.get()
        page = publisher_client.get(share_url(item)).content.decode()
        url = link.get_absolute_url()
        assert url in page  # shown to the publisher to copy
        return url

    def test_shows_the_draft_read_only_to_anyone_and_is_never_indexed(
        self, publisher_client, editor, draft_by
    ):
        draft = draft_by(editor, title="Draft decision on tariffs", language="en")
        url = self.make_link(publisher_client, draft)

        response = Client().get(url)

        assert response.status_code == 200
        page = response.content.decode()
        assert "Draft decision on tariffs" in page
        assert "has not been published" in page
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        assert "<form" not in page.split('<main id="content"')[1]  # read-only

    def test_the_shared_draft_shows_its_documents(self, publisher_client, editor, draft_by):
        draft = draft_by(editor, language="en")
        attach(draft, "Tariff table", "PDF")
        reader = Client()
        page = reader.get(self.make_link(publisher_client, draft)).content.decode()
        [url] = re.findall(r'<a [^>]*href="([^"]+)" download>Tariff table <span', page)
        response = reader.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        # Only while the link works, and only the documents of its item.
        other = attach(draft_by(editor), "Another draft's", "PDF")
        assert (
            reader.get(url.replace(f"/{draft.attachments.get().pk}/", f"/{other.pk}/")).status_code
            == 404
        )
        link = draft.share_links.get()
        link.revoked_at = timezone.now()
        link.save()
        assert reader.get(url).status_code == 404
        assert reader.get(draft.attachments.get().get_absolute_url()).status_code == 404

    def test_expires_after_the_chosen_time(self, publisher_client, editor, draft_by):
        draft = draft_by(editor, language="en")
        url = self.make_link(publisher_client, draft, hours=1)
        link = draft.share_links.get()
        assert link.expires_at - link.created_at == datetime.timedelta(hours=1)

        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=59)):
            assert Client().get(url).status_code == 200
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
            response = Client().get(url)
            assert response.status_code == 410
            assert "no longer works" in response.content.decode()

    def test_lasts_seven_days_at_most(self, publisher_client, editor, draft_by):
        draft = draft_by(editor)
        response = publisher_client.post(share_url(draft), {"hours": 24 * 8})
        assert response.status_code == 200
        assert response.context["form"].errors["hours"]
        assert not draft.share_links.exists()

    def test_can_be_revoked(self, publisher_client, editor, draft_by):
        draft = draft_by(editor)
        url = self.make_link(publisher_client, draft)
        link = draft.share_links.get()

        publisher_client.post(share_url(draft), {"revoke": link.pk})

        link.refresh_from_db()
        assert link.revoked_at is not None
        assert Client().get(url).status_code == 410

    def test_once_published_it_leads_to_the_page_and_published_in_error_nowhere(
        self, publisher_client, editor, draft_by
    ):
        draft = draft_by(editor)
        url = self.make_link(publisher_client, draft)
        draft.is_published = True
        draft.published_at = timezone.now()
        draft.save()

        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()
        page = publisher_client.get(share_url(draft)).content.decode()
        assert "its share links now lead to its page" in page

        draft.withdrawn_at, draft.withdrawal_reason = timezone.now(), "Устарело."
        draft.save()
        assert Client().get(url)["Location"] == draft.get_absolute_url()  # with its notice

        draft.withdrawn_in_error = True
        draft.save()
        assert Client().get(url).status_code == 410

    def test_a_tampered_link_is_not_found(self, publisher_client, editor, draft_by):
        draft = draft_by(editor)
        url = self.make_link(publisher_client, draft)
        link = draft.share_links.get()
        token = link.token
        forged_expiry = ShareLink(
            pk=link.pk, expires_at=link.expires_at + datetime.timedelta(days=30)
        )

        for bad in (
            url.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB")),
            url.replace(token, forged_expiry.token.split(":")[0] + ":" + token.split(":")[1]),
            url.replace(token, "nonsense"),
        ):
            assert Client().get(bad).status_code == 404

    def test_are_not_offered_for_published_items(self, publisher_client, make_item):
        live = make_item()
        publisher_client.post(share_url(live), {"hours": 24})
        assert not live.share_links.exists()
