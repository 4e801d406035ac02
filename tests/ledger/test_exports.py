"""Ledger exports: recorded, queued after commit, same rows and masking as the page, owner-only."""

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ledger import exports, tasks
from ledger.models import Export
from liaison.codes import random_code
from notifications.masking import mask_phone
from receptions.models import DutyLog, ReceptionDay
from suggestions import handling
from suggestions.models import Suggestion


@pytest.fixture
def data(flow):
    h, n = flow, flow.network
    road = h.submit(title="田间道路被冲毁")
    handling.suggestion_accept(suggestion=road, actor=h.staff)
    handling.suggestion_route(suggestion=road, actor=h.staff, route="county", lead=h.transport)
    h.submit(title='=HYPERLINK("http://x")', content="公式注入")
    h.submit(station=n.point_baie, title="村口路灯不亮", phone="13900001111")
    h.submit(station=n.other_station, title="集市占道经营")
    h.road = road
    return h


def request_export(client, user, fmt, django_capture_on_commit_callbacks, **params):
    """POST as the page does; the task is queued on commit and run here, eagerly."""
    client.force_login(user)
    url = reverse("ledger:export")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"format": fmt, "kind": params.pop("_kind", "suggestions")})
    assert response.status_code == 302 and len(callbacks) == 1
    export = Export.objects.latest("pk")
    assert export.state == Export.State.QUEUED
    tasks.run_export.apply(args=[export.pk]).get()
    export.refresh_from_db()
    return export


def page_rows(client, user, **params):
    client.force_login(user)
    ledger = client.get(reverse("ledger:suggestions"), params).context["ledger"]
    return [(r.suggestion.display_tracking_code, r.suggestion.title, r.phone) for r in ledger.rows]


def xlsx_rows(export):
    with export.file.open("rb") as f:
        book = openpyxl.load_workbook(io.BytesIO(f.read()), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_an_xlsx_export_has_the_pages_rows_headers_and_masking(
    client, data, django_capture_on_commit_callbacks
):
    h = data
    export = request_export(
        client, h.supervisor, "xlsx", django_capture_on_commit_callbacks, status="received"
    )
    assert export.state == Export.State.DONE and export.rows == 3 and export.total == 3
    assert export.filters == {"status": "received"} and export.user == h.supervisor
    assert export.finished is not None
    header, *rows = xlsx_rows(export)
    assert header == exports.suggestion_headers()
    assert header[:6] == ["查询码", "提交时间", "家站点", "主题", "标题", "内容"]
    assert header[-2:] == ["姓名", "电话"] and header[8] == "承办单位"
    got = [(r[0], r[4], r[-1]) for r in rows]
    assert got == page_rows(client, h.supervisor, status="received")
    # The supervisor handles none of them: every phone and name is masked.
    assert {r[-1] for r in rows} == {"138****5678", "139****1111"}
    assert {r[-2] for r in rows} == {"张*"}
    assert all(isinstance(r[1], dt.datetime) for r in rows)
    # A citizen's text that looks like a formula stays text.
    assert '=HYPERLINK("http://x")' in [r[4] for r in rows]


def test_a_csv_export_starts_with_a_bom_and_holds_the_same_rows(
    client, data, django_capture_on_commit_callbacks
):
    h = data
    export = request_export(client, h.staff, "csv", django_capture_on_commit_callbacks)
    with export.file.open("rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[0] == "查询码" and len(rows) == export.rows == 3
    got = [(r[0], r[4].removeprefix("'"), mask_phone(r[-1])) for r in rows]
    # Station staff handle these: the file, which is on record, has the full phones; the page
    # masks them (issue 11).
    assert got == page_rows(client, h.staff)
    assert "13812345678" in raw.decode("utf-8-sig")
    # A formula in a citizen's title is neutralised for spreadsheets.
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")


def test_an_export_lists_departments_and_follows_the_filter(
    client, data, django_capture_on_commit_callbacks
):
    h = data
    export = request_export(
        client, h.staff, "xlsx", django_capture_on_commit_callbacks, department=h.transport.pk
    )
    header, *rows = xlsx_rows(export)
    assert len(rows) == 1 and rows[0][8] == "吉县交通运输局"


def test_an_export_applies_the_users_scope(client, data, django_capture_on_commit_callbacks):
    h = data
    export = request_export(client, h.outsider, "xlsx", django_capture_on_commit_callbacks)
    _header, *rows = xlsx_rows(export)
    assert [r[4] for r in rows] == ["集市占道经营"]
    export = request_export(client, h.transport_handler, "csv", django_capture_on_commit_callbacks)
    assert export.rows == 1


def test_only_the_owner_or_a_superuser_reaches_an_export(
    client, data, superuser, django_capture_on_commit_callbacks
):
    h = data
    export = request_export(client, h.staff, "csv", django_capture_on_commit_callbacks)
    urls = [
        reverse("ledger:export_detail", args=[export.pk]),
        reverse("ledger:export_status", args=[export.pk]),
        reverse("ledger:export_download", args=[export.pk]),
    ]
    client.force_login(h.outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(h.staff)
    assert client.get(urls[1]).json()["done"] is True
    response = client.get(urls[2])
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")
    client.force_login(superuser)
    assert client.get(urls[2]).status_code == 200


def test_the_progress_page_refreshes_until_done(client, data):
    h = data
    export = Export.objects.create(user=h.staff, format="csv", filters={}, total=3)
    client.force_login(h.staff)
    body = client.get(reverse("ledger:export_detail", args=[export.pk])).content.decode()
    assert 'http-equiv="refresh"' in body
    status = client.get(reverse("ledger:export_status", args=[export.pk])).json()
    assert status == {
        "state": "queued", "state_display": status["state_display"], "rows": 0, "total": 3,
        "percent": 0, "done": False, "failed": False, "expired": False,
    }  # fmt: skip
    # Half-way, the bar is half full and says so.
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, rows=2, total=4)
    body = client.get(reverse("ledger:export_detail", args=[export.pk])).content.decode()
    # The bar's width comes from data-progress (static/js/liaison.js; no inline style under the CSP).
    assert 'aria-valuenow="50"' in body and 'data-progress="50"' in body
    assert client.get(reverse("ledger:export_status", args=[export.pk])).json()["percent"] == 50


def test_a_task_run_twice_writes_once(client, data, django_capture_on_commit_callbacks):
    export = request_export(client, data.staff, "csv", django_capture_on_commit_callbacks)
    assert exports.export_run(export_id=export.pk) is None


def test_a_failing_export_is_marked_failed(data, monkeypatch):
    export = Export.objects.create(user=data.staff, format="xlsx", filters={})

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_xlsx", broken)
    exports.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == Export.State.FAILED and "disk full" in export.error


def test_bad_export_requests_are_refused(client, data):
    client.force_login(data.staff)
    assert client.post(reverse("ledger:export"), {"format": "pdf"}).status_code == 404
    assert client.get(reverse("ledger:export")).status_code == 405


def test_an_export_of_thousands_reports_progress_per_chunk(data, monkeypatch):
    h = data
    Suggestion.objects.bulk_create(
        Suggestion(
            station=h.network.station, theme=h.roads, title=f"意见{i}", content="内容",
            channel="qr", tracking_code=random_code(8), phone="13812345678",
        )
        for i in range(2500)
    )  # fmt: skip
    monkeypatch.setattr(exports, "CHUNK", 1000)
    seen = []
    export = Export.objects.create(user=h.staff, format="xlsx", filters={})
    real_write = exports.write_xlsx

    def spy(out, headers, batches, progress, title):
        def record(rows):
            seen.append(rows)
            progress(rows)

        return real_write(out, headers, batches, record, title)

    monkeypatch.setattr(exports, "write_xlsx", spy)
    exports.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == "done" and export.rows == export.total == 2503
    assert seen == [1000, 2000, 2503]


def test_the_receptions_ledger_exports_too(client, data, django_capture_on_commit_callbacks):
    h = data
    day = ReceptionDay.objects.create(
        station=h.network.station, date=timezone.localdate(), start_time=dt.time(9),
        end_time=dt.time(11), theme="道路交通", status="held",
    )  # fmt: skip
    log = DutyLog.objects.create(
        day=day, recorded_by=h.staff, visitor_batches=2, visitors=5, summary="接待。"
    )
    log.attendees.set([h.network.rep_county, h.network.rep_township])
    Suggestion.objects.filter(pk=h.road.pk).update(reception_day=day)
    export = request_export(
        client, h.staff, "xlsx", django_capture_on_commit_callbacks, _kind="receptions"
    )
    header, *rows = xlsx_rows(export)
    assert export.kind == "receptions" and len(rows) == 1
    assert rows[0][1:] == ["中垛乡人大代表联络站", "道路交通", "王建国、李秀英", 2, 5, 1]


def test_the_admin_shows_each_user_only_their_own_exports(client, data, superuser):
    h = data
    mine = Export.objects.create(user=h.staff, format="csv", filters={"q": "路"})
    other = Export.objects.create(user=h.outsider, format="csv", filters={})
    from django.contrib.auth.models import Permission

    h.staff.user_permissions.add(Permission.objects.get(codename="view_export"))
    client.force_login(h.staff)
    body = client.get(reverse("admin:ledger_export_changelist")).content.decode()
    assert reverse("admin:ledger_export_change", args=[mine.pk]) in body
    assert reverse("admin:ledger_export_change", args=[other.pk]) not in body
    # Issue 11: another user's export answers 404, not a redirect ("may have been deleted").
    assert client.get(reverse("admin:ledger_export_change", args=[other.pk])).status_code == 404
    client.force_login(superuser)
    body = client.get(reverse("admin:ledger_export_changelist")).content.decode()
    assert reverse("admin:ledger_export_change", args=[other.pk]) in body


def test_an_xlsx_export_longer_than_a_sheet_goes_on_over_more_sheets(
    client, data, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "XLSX_ROWS_PER_SHEET", 2)
    export = request_export(client, data.staff, "xlsx", django_capture_on_commit_callbacks)
    with export.file.open("rb") as f:
        book = openpyxl.load_workbook(io.BytesIO(f.read()), read_only=True)
    sheets = [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]
    assert [ws.title for ws in book.worksheets] == ["意见建议台账", "意见建议台账 (2)"]
    assert all(rows[0] == exports.suggestion_headers() for rows in sheets)
    titles = [row[4] for rows in sheets for row in rows[1:]]
    assert export.rows == 3 and len(titles) == 3 and [len(rows) for rows in sheets] == [3, 2]


def test_export_files_are_private_and_reached_only_through_the_owners_download(
    client, data, django_capture_on_commit_callbacks, settings
):
    export = request_export(client, data.staff, "csv", django_capture_on_commit_callbacks)
    path = Path(export.file.path)
    assert path.is_file() and Path(settings.PRIVATE_ROOT) in path.parents
    assert not (Path(settings.MEDIA_ROOT) / export.file.name).exists()
    # Not under the media URL, whatever SERVE_MEDIA says.
    assert client.get(f"/{settings.MEDIA_URL}{export.file.name}").status_code == 404
    response = client.get(reverse("ledger:export_download", args=[export.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == path.read_bytes()


def test_the_sweep_deletes_old_files_and_keeps_the_record(
    client, data, django_capture_on_commit_callbacks, settings
):
    settings.EXPORT_KEEP_DAYS = 7
    export = request_export(client, data.staff, "xlsx", django_capture_on_commit_callbacks)
    path = Path(export.file.path)
    body = client.get(reverse("ledger:export_detail", args=[export.pk])).content.decode()
    assert "7 天后删除" in body

    assert exports.exports_sweep(now=export.finished + dt.timedelta(days=6)).expired == 0
    assert path.exists()
    with time_machine.travel(export.finished + dt.timedelta(days=7, seconds=1), tick=False):
        result = tasks.sweep_exports.apply().get()
    assert result == {"expired": 1, "failed": 0, "requeued": 0} and not path.exists()
    export.refresh_from_db()
    assert export.state == Export.State.EXPIRED and not export.file
    assert (export.user, export.rows, export.filters) == (data.staff, 3, {})
    # A second sweep finds nothing to do; the download is gone, the page says why.
    assert exports.exports_sweep(now=export.finished + dt.timedelta(days=30)).expired == 0
    assert client.get(reverse("ledger:export_download", args=[export.pk])).status_code == 404
    body = client.get(reverse("ledger:export_detail", args=[export.pk])).content.decode()
    assert "文件已在生成 7 天后删除" in body and "重新导出" in body


def test_exporting_again_repeats_the_ledger_format_and_filter(
    client, data, django_capture_on_commit_callbacks
):
    first = request_export(client, data.staff, "csv", django_capture_on_commit_callbacks, q="路灯")
    Export.objects.filter(pk=first.pk).update(state=Export.State.EXPIRED, file="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:export_again", args=[first.pk]))
    again = Export.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:export_detail", args=[again.pk]
    )
    assert (again.kind, again.format, again.filters, again.user) == (
        "suggestions",
        "csv",
        {"q": "路灯"},
        data.staff,
    )
    assert again.state == Export.State.DONE and again.rows == 1
    # Only the owner may repeat an export, and only by POST.
    assert client.get(reverse("ledger:export_again", args=[first.pk])).status_code == 405
    client.force_login(data.outsider)
    assert client.post(reverse("ledger:export_again", args=[first.pk])).status_code == 404


def test_the_sweep_fails_dead_runs_and_queues_lost_tasks(data, monkeypatch, settings):
    settings.EXPORT_MAX_RUN_HOURS = 3
    now = timezone.now()
    dead = Export.objects.create(
        user=data.staff,
        format="csv",
        state=Export.State.RUNNING,
        started=now - dt.timedelta(hours=4),
    )
    busy = Export.objects.create(
        user=data.staff,
        format="csv",
        state=Export.State.RUNNING,
        started=now - dt.timedelta(hours=1),
    )
    lost = Export.objects.create(user=data.staff, format="csv")
    Export.objects.filter(pk=lost.pk).update(created=now - dt.timedelta(minutes=11))
    fresh = Export.objects.create(user=data.staff, format="csv")
    queued = []
    monkeypatch.setattr(tasks.run_export, "delay", queued.append)

    result = exports.exports_sweep(now=now)
    assert (result.failed, result.requeued) == (1, 1) and queued == [lost.pk]
    states = dict(Export.objects.values_list("pk", "state"))
    assert states[dead.pk] == Export.State.FAILED and states[busy.pk] == Export.State.RUNNING
    assert states[fresh.pk] == Export.State.QUEUED
    assert Export.objects.get(pk=dead.pk).error


def test_an_export_is_recorded_even_when_the_broker_is_down(
    client, data, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.run_export, "delay", broker_down)
    client.force_login(data.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:export"), {"format": "csv", "kind": "suggestions"})
    export = Export.objects.latest("pk")
    assert response.status_code == 302 and export.state == Export.State.QUEUED


def test_the_admin_links_a_finished_export_through_the_download_view(
    client, data, superuser, django_capture_on_commit_callbacks
):
    export = request_export(client, data.staff, "csv", django_capture_on_commit_callbacks)
    client.force_login(superuser)
    response = client.get(reverse("admin:ledger_export_change", args=[export.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("ledger:export_download", args=[export.pk]) in body
    assert export.file.name not in body


def test_the_export_page_names_its_filter_in_words(
    client, data, django_capture_on_commit_callbacks
):
    h = data
    export = request_export(
        client, h.staff, "csv", django_capture_on_commit_callbacks,
        station=h.network.point_baie.pk, status="received", created_from="2025-03-01",
    )  # fmt: skip
    client.force_login(h.staff)
    body = client.get(reverse("ledger:export_detail", args=[export.pk])).content.decode()
    for words in ("联络站", "白额村代表联络点", "状态", "待受理", "提交日期自", "2025-03-01"):
        assert words in body, words
    assert f"station={h.network.point_baie.pk}" not in body
    everything = request_export(client, h.staff, "csv", django_capture_on_commit_callbacks)
    body = client.get(reverse("ledger:export_detail", args=[everything.pk])).content.decode()
    assert "职责范围内的全部" in body
