"""The public notice (公示): what it shows, what it never shows, and staff withholding items."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ledger.models import Withholding
from ledger.notice import NoticeError as DisclosureError
from ledger.notice import release, scrub, withhold
from suggestions import handling
from suggestions.models import Suggestion, SuggestionEvent

CST = ZoneInfo("Asia/Shanghai")
R = Suggestion.Route
NOW = dt.datetime(2025, 6, 16, 10, 0, tzinfo=CST)


@pytest.fixture
def board(flow, settings):
    """Zhongduo's suggestions in every state that matters to the notice."""
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    h, staff = flow, flow.staff

    def done(answer="已当场答复。", **extra):
        s = handling.suggestion_accept(suggestion=h.submit(**extra), actor=staff)
        return handling.suggestion_route(suggestion=s, actor=staff, route=R.ON_SITE, answer=answer)

    with time_machine.travel(NOW, tick=False):
        h.shown = done(name="张三丰", title="村口路灯不亮")
        h.explained = handling.suggestion_route(
            suggestion=handling.suggestion_accept(suggestion=h.submit(name="欧阳娜娜"), actor=staff),
            actor=staff, route=R.EXPLAINED, answer="属于法院管辖，请向法院起诉。",
            decided_by="中垛乡人民政府", refer_to="吉县人民法院",
        )  # fmt: skip
        h.anonymous = done(is_anonymous=True, name="", phone="", title="垃圾清运不及时")
        h.with_number = done(
            title="请回电13912345678", answer="已联系，邮箱 zhang@example.com，电话 0357-792 1234。"
        )
        h.secret = done(title="邻里纠纷涉及隐私")
        withhold(suggestion=h.secret, actor=staff, reason="涉及个人隐私")
        h.rejected = handling.suggestion_reject(suggestion=h.submit(title="广告"), actor=staff,
                                                reason="广告")  # fmt: skip
        h.merged = handling.suggestion_merge(
            suggestion=h.submit(title="重复的建议"), actor=staff, original=h.shown
        )
        h.pending = h.submit(title="还在办理的建议")
        h.elsewhere = h.submit(title="屯里镇的建议", station=h.network.other_station)
    return h


def notice_url(station) -> str:
    return reverse("disclosure:notice", args=[station.code])


def test_the_notice_shows_completed_results_with_names_masked_and_no_contact_data(board, client):
    with time_machine.travel(NOW, tick=False):
        response = client.get(notice_url(board.network.station))
    assert response.status_code == 200
    html = response.content.decode()
    assert "村口路灯不亮" in html and "张**" in html and "张三丰" not in html
    assert "欧***" in html and "欧阳娜娜" not in html
    assert "属于法院管辖" in html and "中垛乡人民政府" in html and "吉县人民法院" in html
    assert "垃圾清运不及时" in html
    # No phone digits, no e-mail, no tracking codes, no content.
    for secret in ("13812345678", "138****", "13912345678", "zhang@example.com", "792 1234"):
        assert secret not in html
    assert board.shown.display_tracking_code not in html and board.shown.tracking_code not in html
    assert "七月暴雨后" not in html
    # Not accepted, merged, still open, withheld and other stations' items are absent.
    for title in ("邻里纠纷涉及隐私", "广告", "重复的建议", "还在办理的建议", "屯里镇的建议"):
        assert title not in html
    items = response.context["notice"].page.object_list
    assert len(items) == 4
    assert {item.submitter for item in items} >= {"张**", "欧***"}


def test_the_notice_needs_no_login_and_lists_the_last_twelve_months(board, client):
    with time_machine.travel(NOW, tick=False):
        notice = client.get(notice_url(board.network.station)).context["notice"]
    assert len(notice.months) == 12
    june = notice.months[-1]
    assert june.month == dt.date(2025, 6, 1)
    # 8 received at Zhongduo; 5 completed; 1 not accepted and 1 merged leave 6 to handle.
    assert (june.received, june.completed) == (8, 5)
    assert str(june.handling_rate) == "83.3%"


def test_the_notice_pages_thirty_at_a_time_in_bounded_queries(
    board, client, django_assert_max_num_queries
):
    staff = board.staff
    with time_machine.travel(NOW, tick=False):
        for i in range(30):
            s = handling.suggestion_accept(suggestion=board.submit(title=f"建议{i}"), actor=staff)
            handling.suggestion_route(suggestion=s, actor=staff, route=R.ON_SITE, answer="已答复。")
        with django_assert_max_num_queries(6):
            first = client.get(notice_url(board.network.station))
        with django_assert_max_num_queries(6):
            second = client.get(notice_url(board.network.station), {"page": 2})
    assert len(first.context["notice"].page.object_list) == 30
    assert len(second.context["notice"].page.object_list) == 4
    assert first.context["notice"].page.paginator.count == 34


def test_an_unknown_station_has_no_notice(db, client):
    assert client.get(reverse("disclosure:notice", args=["NOPE42"])).status_code == 404


def test_the_station_page_links_to_its_notice(board, client):
    station = board.network.station
    html = client.get(station.get_absolute_url()).content.decode()
    assert notice_url(station) in html


def test_withholding_and_releasing_are_recorded_and_need_the_stations_staff(board):
    s = board.shown
    with pytest.raises(PermissionDenied):
        withhold(suggestion=s, actor=board.outsider, reason="x")
    with pytest.raises(PermissionDenied):
        withhold(suggestion=s, actor=board.supervisor, reason="x")
    with pytest.raises(DisclosureError):
        withhold(suggestion=s, actor=board.staff, reason="  ")
    withhold(suggestion=s, actor=board.staff, reason="当事人要求不公开")
    assert Withholding.objects.get(suggestion=s).reason == "当事人要求不公开"
    release(suggestion=s, actor=board.staff)
    assert not Withholding.objects.filter(suggestion=s).exists()
    with pytest.raises(DisclosureError):
        release(suggestion=s, actor=board.staff)
    actions = list(
        SuggestionEvent.objects.filter(suggestion=s, action__in=["withhold", "release"])
        .order_by("pk")
        .values_list("action", "public")
    )
    assert actions == [("withhold", False), ("release", False)]


def test_the_withhold_endpoint(board, client):
    s, station = board.shown, board.network.station
    url = reverse("disclosure:withhold", args=[s.pk])
    assert client.post(url, {"action": "withhold", "reason": "x"}).status_code == 302
    assert not Withholding.objects.filter(suggestion=s).exists()  # sent to log in first

    client.force_login(board.outsider)
    assert client.post(url, {"action": "withhold", "reason": "x"}).status_code == 404
    client.force_login(board.supervisor)
    assert client.post(url, {"action": "withhold", "reason": "x"}).status_code == 403

    client.force_login(board.staff)
    assert client.get(url).status_code == 405
    response = client.post(
        url, {"action": "withhold", "reason": "当事人要求", "next": "https://evil.example/"}
    )
    assert response.url == reverse("workbench:suggestion", args=[s.pk])
    assert Withholding.objects.filter(suggestion=s).exists()
    with time_machine.travel(NOW, tick=False):
        assert "村口路灯不亮" not in client.get(notice_url(station)).content.decode()
    back = notice_url(station)
    response = client.post(url, {"action": "release", "next": back})
    assert response.url == back
    assert not Withholding.objects.filter(suggestion=s).exists()


def test_scrub_blots_out_numbers_and_addresses():
    assert scrub("电话 138 1234 5678 或 0357-7921234") == "电话 *** 或 ***"
    assert scrub("写信到 a.b+c@mail.example.cn 谢谢") == "写信到 *** 谢谢"
    assert scrub("2025年修好3条路") == "2025年修好3条路"
    assert scrub("已于2025-03-10修复") == "已于2025-03-10修复"
    assert scrub("身份证14102819800101123X") == "身份证***"


def test_staff_withhold_and_release_from_the_suggestion_page(board, client):
    s = board.shown
    page = reverse("workbench:suggestion", args=[s.pk])
    client.force_login(board.staff)
    body = client.get(page).content.decode()
    assert 'data-testid="public-notice"' in body
    assert reverse("disclosure:withhold", args=[s.pk]) in body
    assert reverse("disclosure:notice", args=[board.network.station.code]) in body

    response = client.post(
        reverse("disclosure:withhold", args=[s.pk]),
        {"action": "withhold", "reason": "当事人要求不公开"},
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == page
    assert "当事人要求不公开" in body and 'value="release"' in body
    assert Withholding.objects.get(suggestion=s).by == board.staff

    # A reason is required: nothing changes and the page says why.
    Withholding.objects.all().delete()
    response = client.post(
        reverse("disclosure:withhold", args=[s.pk]), {"action": "withhold", "reason": " "},
        follow=True,
    )  # fmt: skip
    assert not Withholding.objects.filter(suggestion=s).exists()
    assert "alert-danger" in response.content.decode()


def test_the_notice_switch_is_for_the_stations_staff_and_finished_suggestions(board, client):
    client.force_login(board.supervisor)
    body = client.get(reverse("workbench:suggestion", args=[board.shown.pk])).content.decode()
    assert 'data-testid="public-notice"' not in body
    client.force_login(board.staff)
    body = client.get(reverse("workbench:suggestion", args=[board.pending.pk])).content.decode()
    assert 'data-testid="public-notice"' not in body
