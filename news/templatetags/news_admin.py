"""The admin's own template filters."""

from django import forms, template
from django.utils.text import capfirst

from news.workflow import describe_change_reason
from portal.month_names import MONTHS_ALT

register = template.Library()


@register.filter
def change_reason(stored: str | None) -> str:
    """A version's change reason in the admin's language (see news.workflow.CHANGE_REASONS)."""
    return describe_change_reason(stored) or ""


@register.simple_tag
def months_after_a_day() -> str:
    """
    The months' names as a date writes them after the day ("15 декабря 2026"),
    in the admin's language, for js/admin-keyboard.js to name the calendar's
    days: Chromium's Intl has no Belarusian, and its Russian and English write
    "15 декабря 2026 г." and "December 15, 2026", unlike the admin.
    """
    return "|".join(str(MONTHS_ALT[month]) for month in range(1, 13))


@register.inclusion_tag("admin/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    """
    A refused form's fields in error, in the page's order, each with what is
    wrong, as links to the field: "Заголовок: Обязательное поле.", in a row of
    an inline "Прикреплённые документы 1, Файл: …". Rendered on the server, so
    that it is there without JavaScript too; js/admin-keyboard.js gives the
    focus to the note above it and leads the links into the editor's and
    Select2's boxes.
    """
    errors = []

    def add(form, name: str = "") -> None:
        for fieldset in form:
            for line in fieldset:
                for field in line:
                    bound = field.field
                    if field.is_readonly or bound.is_hidden or not bound.errors:
                        continue
                    label = f"{name}, {bound.label}" if name else str(bound.label)
                    target = bound.id_for_label or bound.auto_id
                    if isinstance(bound.field.widget, forms.MultiWidget):
                        target = f"{bound.auto_id}_0"  # a date and time: its date
                    errors.append(
                        {
                            "target": target,
                            "errors_id": f"{bound.auto_id}_error",
                            "text": f"{label}: {' '.join(bound.errors)}",
                        }
                    )

    if "adminform" in context:
        add(context["adminform"])
    for inline in context.get("inline_admin_formsets", []):
        # The inline's heading, as Django's templates write it.
        opts, one = inline.opts, inline.formset.max_num == 1
        heading = capfirst(opts.verbose_name if one else opts.verbose_name_plural)
        rows = [row for row in inline if "__prefix__" not in row.form.prefix]
        for number, row in enumerate(rows, start=1):
            add(row, f"{heading} {number}")
    return {"errors": errors}
