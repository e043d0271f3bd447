"""Form pieces more than one app's admin uses."""


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
