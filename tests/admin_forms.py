"""
Submitting an admin form as a browser would: every field the page renders
(inline formsets' management forms, hidden workflow fields) with its initial
value, then the test's own values on top. So tests that post to the admin keep
working when other features add fields or inlines to the form.
"""

from html.parser import HTMLParser


class AdminFormParser(HTMLParser):
    """The fields of the admin's change form (`<form id="…_form">`) and their values."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select = self.textarea = None
        self.textarea_text: list[str] = []

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.in_form = (attributes.get("id") or "").endswith("_form")
        if self.in_form and tag == "option" and self.select and "selected" in attributes:
            self.add(self.select, attributes.get("value", ""))
        if not self.in_form or "name" not in attributes:
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.add(name, attributes.get("value", "on"))
            elif kind not in {"file", "submit", "button", "image", "reset"}:
                self.add(name, attributes.get("value") or "")
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "textarea":
            self.textarea, self.textarea_text = name, []

    def handle_data(self, data):
        if self.textarea:
            self.textarea_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, "".join(self.textarea_text).removeprefix("\n"))
            self.textarea = None


def admin_form_data(client, url: str, **values) -> dict:
    """The form at `url` as rendered for `client`, with `values` put in."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = AdminFormParser()
    parser.feed(response.content.decode())
    data = {name: items if len(items) != 1 else items[0] for name, items in parser.data.items()}
    data = {name: value for name, value in data.items() if value != []}
    return {**data, **values}
