"""
The benchmark's bare view (bench/run.py): a fixed 20 KB HTML page, no database,
no template, served only when `PORTAL_BENCH_BARE_VIEW` is on.
"""

from django.http import HttpResponse

BARE_PAGE_BYTES = 20 * 1024


def _bare_page() -> bytes:
    paragraph = (
        "<p>Райисполком подвёл итоги работы за квартал. The district executive committee "
        "reviews the work of the quarter.</p>\n"
    )
    head = "<!doctype html>\n<html lang=ru><meta charset=utf-8><title>Bench</title>\n<main>\n"
    tail = "</main>\n</html>\n"
    page = head.encode()
    while len(page) + len(paragraph.encode()) + len(tail) < BARE_PAGE_BYTES:
        page += paragraph.encode()
    return page + b" " * (BARE_PAGE_BYTES - len(page) - len(tail)) + tail.encode()


BARE_PAGE = _bare_page()


def bare_view(request):
    return HttpResponse(BARE_PAGE)
