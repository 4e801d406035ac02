"""Roster import and export in the admin: preview, row-level errors, nothing saved until confirmed."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from representatives.models import Assignment, Representative
from representatives.roster import COLUMNS

IMPORT_URL = "/admin/representatives/representative/import/"
PROCESS_URL = "/admin/representatives/representative/process_import/"
EXPORT_URL = "/admin/representatives/representative/export/"
HEADER = ",".join(COLUMNS.values())


def csv_upload(*rows: str) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile("名册.csv", text.encode("utf-8"), content_type="text/csv")


def preview(client, upload, fmt="1"):
    return client.post(IMPORT_URL, {"import_file": upload, "format": fmt, "resource": "0"})


def confirm(client, preview_response):
    html = preview_response.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    data = {k: fields[k] for k in ("import_file_name", "original_file_name", "format", "resource")}
    return client.post(PROCESS_URL, data)


@pytest.fixture
def counts():
    def snapshot():
        return Representative.objects.count(), Assignment.objects.count()

    return snapshot


def test_a_valid_sheet_is_previewed_and_saved_only_on_confirmation(staff_client, network, counts):
    before = counts()
    response = preview(
        staff_client,
        csv_upload(
            ",张卫东,县级,东村村委会主任,东村村委会,13903570001,是,第十七届,,中垛乡人大代表联络站",
            ",刘桂兰,乡镇人大代表,,中垛乡卫生院,,否,,,白额村代表联络点、中垛乡人大代表联络站",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "张卫东" in body and "刘桂兰" in body
    assert 'name="import_file_name"' in body
    assert counts() == before

    done = confirm(staff_client, response)
    assert done.status_code == 302
    zhang = Representative.objects.get(name="张卫东")
    assert zhang.level == Representative.Level.COUNTY and zhang.show_phone and len(zhang.code) == 6
    liu = Representative.objects.get(name="刘桂兰")
    assert liu.level == Representative.Level.TOWNSHIP
    assert {a.station for a in liu.assignments.all()} == {network.station, network.point_baie}
    assert counts() == (before[0] + 2, before[1] + 3)


def test_row_errors_name_the_column_and_nothing_is_saved(staff_client, network, counts):
    before = counts()
    response = preview(
        staff_client,
        csv_upload(
            ",张卫东,县级,,东村村委会,,否,,,中垛乡人大代表联络站",
            ",赵钱孙,镇长级,,某单位,,否,,,中垛乡人大代表联络站",
            ",周吴郑,县级,,某单位二,,否,,,不存在的联络站",
            ",张卫东,县级,,东村村委会,,否,,,中垛乡人大代表联络站",
            ",李秀英,乡镇级,,,,否,,,",
            ",,县级,,某单位三,not-a-phone,否,,,",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "“镇长级”不是有效的代表层级" in body and "代表层级" in body
    assert "找不到家站点“不存在的联络站”" in body and "编入站点" in body
    assert "重复：张卫东（东村村委会）已在本表第 1 行出现。" in body
    assert "重复：李秀英（—）已登记，编码为" in body
    assert "姓名" in body and "此字段不能为空。" in body
    assert "请输入有效的电话号码" in body
    assert 'name="import_file_name"' not in body  # no confirm button while rows are invalid
    assert counts() == before


def test_a_station_outside_the_staffs_scope_is_unknown_to_them(staff_client, network, counts):
    before = counts()
    response = preview(staff_client, csv_upload(",钱一,县级,,单位甲,,否,,,屯里镇人大代表联络站"))
    assert "找不到家站点“屯里镇人大代表联络站”" in response.content.decode()
    assert counts() == before


def test_a_sheet_without_the_required_columns_is_refused(staff_client, network, counts):
    upload = SimpleUploadedFile("x.csv", "名字,级别\n张三,县级\n".encode(), content_type="text/csv")
    response = preview(staff_client, upload)
    assert "表格缺少列：姓名、代表层级" in response.content.decode()


def test_export_uses_the_import_format_and_round_trips(staff_client, network, counts):
    response = staff_client.post(
        EXPORT_URL, {"format": "0", "resource": "0", **_all_export_fields()}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS.values())
    by_name = {row[1]: row for row in rows[1:]}
    wang = by_name["王建国"]
    assert wang[0] == network.rep_county.code
    assert wang[2] == "县级" and wang[6] == "是"
    assert wang[9] == f"中垛乡人大代表联络站（{network.station.code}）"
    assert "屯里镇" not in str(rows)  # only what the staff may see

    # Edit one cell and import the same file again: an update, no new people or assignments.
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "王建国":
            row[3].value = "吉县人大常委会委员"
    out = io.BytesIO()
    sheet.parent.save(out)
    before = counts()
    upload = SimpleUploadedFile("名册.xlsx", out.getvalue())
    confirm(staff_client, preview(staff_client, upload, fmt="0"))
    network.rep_county.refresh_from_db()
    assert network.rep_county.position == "吉县人大常委会委员"
    assert counts() == before


def _all_export_fields() -> dict:
    # The export form offers a checkbox per column; tick them all.
    return {f"rosterresource_{name}": "on" for name in COLUMNS}
