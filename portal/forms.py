"""Form pieces more than one app's admin uses."""

from django import forms


def carry_loaded_values(form) -> None:
    """
    Keep, in a bound `form` shown again, the hidden copies of the values its
    date-and-time fields were loaded with (`show_hidden_initial`).

    Django carries such a copy into a form shown again only when the data has a
    key of the field's own name, and a date and time sends two
    (`initial-published_at_0`, `_1`): the copy became what had been typed, and
    the next save took the field for unchanged and dropped the person's change.
    The empty key makes Django read the two.
    """
    if not form.is_bound:
        return
    data = form.data.copy()
    for name, field in form.fields.items():
        loaded = form.add_initial_prefix(name)
        if field.show_hidden_initial and loaded not in data and f"{loaded}_0" in data:
            data[loaded] = ""
    form.data = data


def widget_data(key: str, widget: forms.Widget, value) -> dict[str, str]:
    """
    What `widget` sends under `key` for the (prepared) `value`: a date and
    time sends two keys (`key_0`, `key_1`), other widgets one.
    """
    if isinstance(widget, forms.MultiWidget):
        parts = zip(widget.widgets_names, widget.widgets, widget.decompress(value), strict=True)
        return {
            key + suffix: part_widget.format_value(part) or ""
            for suffix, part_widget, part in parts
        }
    return {key: "" if value is None else str(value)}
