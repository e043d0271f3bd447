"""
The benchmark's parts that live in the portal or can be checked without a run:
the bare view (only when PORTAL_BENCH_BARE_VIEW is on), how bench/run.py
reads wrk's report, and the views bench/floors.py loads. The benches themselves
are run on demand (`make bench`, `make bench-floors`).
"""

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import portal.urls

BENCH = Path(__file__).resolve().parent.parent / "bench"
# bench/run.py imports its neighbour load_faults.py, as it does when run as a script.
sys.path.insert(0, str(BENCH))
spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
bench_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_run)


@pytest.fixture
def urls_with_bare_view():
    """portal.urls built again with PORTAL_BENCH_BARE_VIEW set as asked, then as before."""

    def build(enabled: bool) -> None:
        with override_settings(PORTAL_BENCH_BARE_VIEW=enabled):
            importlib.reload(portal.urls)
        clear_url_caches()

    yield build
    importlib.reload(portal.urls)
    clear_url_caches()


def test_the_bare_view_is_not_there_by_default(db, client, urls_with_bare_view):
    urls_with_bare_view(False)
    assert client.get("/bench/bare/").status_code == 404


def test_the_bare_view_answers_a_fixed_20_kb_page_when_enabled(client, urls_with_bare_view):
    urls_with_bare_view(True)
    first, second = client.get("/bench/bare/"), client.get("/bench/bare/")
    assert first.status_code == 200
    assert first["Content-Type"] == "text/html; charset=utf-8"
    assert len(first.content) == 20 * 1024
    assert first.content == second.content
    assert first.content.decode().startswith("<!doctype html>")


WRK_REPORT = """\
Running 3s test @ http://127.0.0.1:40123/ru/news/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   395.80ms  120.33ms   1.11s    70.00%
    Req/Sec    27.31     12.10    60.00     66.67%
  Latency Distribution
     50%  395.80ms
     75%  450.12ms
     90%  600.00ms
     99%    1.11s
  163 requests in 3.01s, 7.45MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:     54.15
Transfer/sec:      2.47MB
"""


def test_a_wrk_report_is_read_with_its_units_and_errors():
    load = bench_run.parse_wrk(WRK_REPORT)
    assert load == bench_run.Load(requests=163, rps=54.15, p50_ms=395.8, p99_ms=1110.0, errors=7)


def test_a_clean_wrk_report_has_no_errors_and_microseconds_are_read():
    clean = "\n".join(
        line for line in WRK_REPORT.splitlines() if "errors" not in line and "Non-2xx" not in line
    ).replace("395.80ms", "812.00us")
    load = bench_run.parse_wrk(clean)
    assert (load.errors, load.p50_ms) == (0, pytest.approx(0.812))


def test_an_unexpected_wrk_report_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="Requests/sec"):
        bench_run.parse_wrk(WRK_REPORT.replace("Requests/sec", "Req/s"))


@pytest.fixture
def floors_app():
    """bench/floors_app.py, imported as gunicorn imports it; portal.urls rebuilt afterwards."""
    module = importlib.import_module("floors_app")  # bench/ is on sys.path (above)
    yield module
    sys.modules.pop("floors_app")
    importlib.reload(portal.urls)
    clear_url_caches()


def test_the_floor_views_do_part_of_an_articles_work(client, make_item, floors_app):
    item = make_item(title="Об отключении воды", body="<p>Воды не будет с 9:00 до 13:00.</p>")
    article = client.get(item.get_absolute_url())
    assert article.status_code == 200
    path = item.get_absolute_url().removeprefix("/")
    for floor in ("row", "unrendered", "rendered"):
        response = client.get(f"/bench/floor/{floor}/{path}")
        assert response.status_code == 200, floor
        assert "Воды не будет с 9:00 до 13:00." in response.content.decode(), floor
    assert floors_app.contexts and floors_app.pages
    # The article's own view answers: an article that is not there is a 404.
    missing = path.replace(item.slug, "no-such-item")
    assert client.get(f"/bench/floor/unrendered/{missing}").status_code == 404
