"""
Read an admin page's form as a browser would, so that a test can change a few
fields and submit the rest exactly as they were shown.
"""

from html.parser import HTMLParser

from django.urls import reverse
from django.utils import translation

SKIPPED_INPUT_TYPES = {"submit", "button", "file", "image", "reset"}


class AdminForm:
    def __init__(self, client, url, response):
        self.client, self.url, self.response = client, url, response
        parser = _FormParser(form_id=response.context["opts"].model_name + "_form")
        parser.feed(response.content.decode())
        self.data = parser.data

    @classmethod
    def load(cls, client, url_or_item, **query):
        """The change form of an item (or the page at a URL), loaded by `client`."""
        url = url_or_item
        if not isinstance(url_or_item, str):
            with translation.override("en"):
                url = reverse("admin:news_newsitem_change", args=[url_or_item.pk])
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        return cls(client, url, response)

    def submit(self, **changes):
        """POST the form with `changes` (a value of None removes the field)."""
        data = dict(self.data)
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return self.client.post(self.url, data)


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: dict[str, str] = {}
        self.textarea = self.select = None
        self.select_first = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in SKIPPED_INPUT_TYPES:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.data[name] = attributes.get("value") or "on"
                return
            self.data[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = attributes.get("value", "")
            if self.select_first is None:
                self.select_first = value
                self.data.setdefault(self.select, value)
            if "selected" in attributes:
                self.data[self.select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that follows <textarea>.
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data
