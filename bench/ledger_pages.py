"""Ledger pages, the statistics dashboard and the public notice on a province of 1,000,000
suggestions, against a bare Django view; then a 1,000,000-row export (CSV, or XLSX) in-process.

    .venv/bin/python bench/ledger_generate.py          # once: fills liaison_bench_ledger
    .venv/bin/python bench/ledger_pages.py [--seconds 8] [--clients N] [--workers 2]
                                           [--no-export] [--export-format xlsx] [--tracemalloc]
                                           [--only dashboard]

By default there are as many client processes as gunicorn workers: every worker is busy all
the time, and the latencies are what one request costs at full load. With more clients than
workers (`--clients 4`), the extra requests wait in gunicorn's queue and the latencies grow
by that wait; the throughput stays the same.

Logged-in pages are requested as the province's supervisor (`bench_province`, made by the
generator) with a session cookie made here. Every figure comes from one run on this machine:
quote ratios to the bare view rather than raw times. Pages that answer anything but 200 are
listed as not measured (the ledger's pages are built by another change and may not exist yet).
Page 500 is requested with the keyset cursor that page 499's "next" link would carry, built
with the ledger's own cursor code and checked against page 1's real "next" link.
"""

import argparse
import datetime as dt
import os
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_bench_ledger"
NEXT_LINK = re.compile(r'href="(\?[^"]*after=[^"]+)"')


class GetWithCookie:
    """GET one path with a session cookie; a 200 counts as a success (picklable)."""

    def __init__(self, path: str, cookie: str):
        self.path, self.cookie = path, cookie

    def __call__(self, connection):
        headers = {"Cookie": self.cookie} if self.cookie else {}

        def make_request() -> bool:
            response = connection.request("GET", self.path, headers=headers)
            return response is not None and response.status == 200

        return make_request


def fetch(path: str, cookie: str) -> tuple[int, str]:
    import http.client

    conn = http.client.HTTPConnection(harness.HOST, harness.PORT, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def keyset_cursor(username: str, position: int) -> str | None:
    """The ledger's "next" cursor after row `position` (0-based) in its default order.

    Built the way the page's own "next" link is (`ledger.selectors.pages.SUGGESTION_SORTS`), so page
    500 is one request instead of 499 clicks; `None` when the ledger offers no such API yet.
    """
    try:
        from ledger.filters import SuggestionFilter
        from ledger.selectors.pages import DEFAULT_SUGGESTION_SORT, SUGGESTION_SORTS
    except ImportError:
        return None
    from django.contrib.auth import get_user_model

    from suggestions.permissions import Scope

    scope = Scope(get_user_model().objects.get(username=username))
    sort = SUGGESTION_SORTS[DEFAULT_SUGGESTION_SORT]
    qs = SuggestionFilter(None, queryset=scope.visible(), scope=scope).qs
    row = qs.order_by(*sort.ordering(False))[position]
    return sort.encode(DEFAULT_SUGGESTION_SORT, row)


def same_cursor(token: str, other: str) -> bool:
    """Two cursors to the same row (the tokens differ: signing stamps the time)."""
    from ledger.selectors.pages import DEFAULT_SUGGESTION_SORT, SUGGESTION_SORTS

    sort = SUGGESTION_SORTS[DEFAULT_SUGGESTION_SORT]
    decoded = sort.decode(DEFAULT_SUGGESTION_SORT, token)
    return decoded is not None and decoded == sort.decode(DEFAULT_SUGGESTION_SORT, other)


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def export_million(username: str, *, trace: bool, fmt: str = "csv") -> dict:
    """The export service as the worker runs it, for the whole ledger the user sees."""
    from django.contrib.auth import get_user_model

    from ledger import exports
    from ledger.models import Export

    user = get_user_model().objects.get(username=username)
    export = Export.objects.create(user=user, kind="suggestions", format=fmt, filters={})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    done = exports.export_run(export_id=export.pk)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "state": done.state if done else "not claimed",
        "error": done.error if done else "",
        "rows": done.rows if done else 0,
        "seconds": seconds,
        "bytes": done.file.size if done and done.file else 0,
        "maxrss_mb": after / 1024,
        "maxrss_growth_mb": (after - before) / 1024,
        "traced_peak_mb": peak / 2**20 if peak is not None else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=0, help="default: as many as workers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--export-format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--only", default="", help="measure only pages whose label has this")
    parser.add_argument("--tracemalloc", action="store_true", help="Python heap peak (slower)")
    args = parser.parse_args()
    args.clients = args.clients or args.workers

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ledger-bench-media-"))
    env = harness.environment()
    harness.manage("migrate", "--noinput", "-v0")
    harness.flush_redis()
    os.environ.update(env)
    import django

    django.setup()
    from django.utils import timezone

    from stations.models import Region, Station
    from suggestions.models import Suggestion

    total = Suggestion.objects.count()
    province = Region.objects.get(level=Region.Level.PROVINCE, name="江源省")
    county = Region.objects.filter(level=Region.Level.COUNTY, path__startswith=province.path)[3]
    township = Region.objects.filter(level=Region.Level.TOWNSHIP, path__startswith=county.path)[0]
    busy = (
        Station.objects.filter(kind=Station.Kind.STATION, region__path__startswith=province.path)
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    quarter_end = today.replace(day=1) - dt.timedelta(days=1)
    quarter_start = (quarter_end.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
    cookie = session_cookie("bench_province")
    filtered = (
        f"/ledger/?region={county.pk}&status=in_handling"
        f"&created_from={quarter_start.isoformat()}&created_to={quarter_end.isoformat()}"
    )
    pages = [
        ("bare Django view", "/bench/bare/", ""),
        ("ledger, first page", "/ledger/", cookie),
        ("ledger, county+status+quarter", filtered, cookie),
        ("ledger, text search", "/ledger/?q=%E8%B7%AF%E7%81%AF%E5%9D%8F", cookie),  # 路灯坏
        ("dashboard, province (12 months)", "/statistics/", cookie),
        ("dashboard, township (12 months)", f"/statistics/?region={township.pk}", cookie),
        ("dashboard, province (24 months)",
         f"/statistics/?start={(today.replace(day=1) - dt.timedelta(days=700)):%Y-%m}", cookie),
        ("public notice of a station", f"/notice/{busy.code}/", ""),
    ]  # fmt: skip

    rows, skipped = [], []
    from ledger.selectors.pages import PAGE_SIZE

    page_cursor = keyset_cursor("bench_province", (args.page - 1) * PAGE_SIZE - 1)
    second_cursor = keyset_cursor("bench_province", PAGE_SIZE - 1)
    with harness.serve(workers=args.workers):
        status, first_page = fetch("/ledger/", cookie) if not args.only else (0, "")
        next_links = [unescape(link) for link in NEXT_LINK.findall(first_page)]
        cursor_checked = second_cursor is not None and any(
            same_cursor(parse_qs(urlsplit(link).query).get("after", [""])[0], second_cursor)
            for link in next_links
        )
        if page_cursor and cursor_checked:
            path = "/ledger/?" + urlencode({"after": page_cursor})
            pages.insert(4, (f"ledger, page {args.page} (keyset cursor)", path, cookie))
        elif not args.only:
            why = "page 1's next link does not match the constructed cursor"
            skipped.append((f"ledger, page {args.page}", why if page_cursor else "no cursor API"))
        for label, path, page_cookie in pages:
            if args.only and args.only not in label and path != "/bench/bare/":
                continue
            status, _body = fetch(path, page_cookie)
            if status != 200:
                skipped.append((label, f"HTTP {status}"))
                continue
            scenario = GetWithCookie(path, page_cookie)
            result = harness.measure(scenario, seconds=args.seconds, clients=args.clients)
            rows.append({"label": label, **result})
    harness.flush_redis()

    print(
        f"\n{total:,} suggestions; {args.clients} client processes, {args.seconds:.0f} s per "
        f"page, gunicorn {args.workers} workers, PostgreSQL + Redis\n"
    )
    harness.print_table(rows, baseline=rows[0])
    if page_cursor and cursor_checked:
        print(f"\npage {args.page}: cursor built like the page's own next link (checked on page 1)")
    for label, why in skipped:
        print(f"not measured: {label} ({why})")

    if not args.no_export:
        result = export_million("bench_province", trace=args.tracemalloc, fmt=args.export_format)
        print(
            f"\n{args.export_format.upper()} export in-process: {result['rows']:,} rows in "
            f"{result['seconds']:.1f} s "
            f"({result['rows'] / max(result['seconds'], 1e-9):,.0f} rows/s), "
            f"{result['bytes'] / 2**20:.0f} MiB file, state {result['state']}"
        )
        print(
            f"peak RSS {result['maxrss_mb']:.0f} MiB (grew {result['maxrss_growth_mb']:.0f} MiB"
            " during the export)"
            + (
                f"; tracemalloc peak {result['traced_peak_mb']:.1f} MiB"
                if result["traced_peak_mb"] is not None
                else ""
            )
        )
        if result["error"]:
            print("export error:", result["error"][:500])


if __name__ == "__main__":
    main()
