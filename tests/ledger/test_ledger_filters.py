"""The suggestions and receptions ledgers: every filter, scope, masking and keyset pages."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from ledger.filters import SuggestionFilter
from ledger.selectors import pages as selectors
from liaison.codes import random_code
from receptions.models import Duty, DutyLog, ReceptionDay
from suggestions import handling
from suggestions.models import Suggestion, Theme
from suggestions.permissions import Scope

S = Suggestion.Status


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def set_fields(suggestion, **fields):
    Suggestion.objects.filter(pk=suggestion.pk).update(**fields)
    suggestion.refresh_from_db()
    return suggestion


@pytest.fixture
def ledger(flow):
    """Four suggestions whose every filterable field is known."""
    h, n = flow, flow.network
    env = Theme.objects.get_or_create(name="环境卫生", defaults={"position": 3})[0]
    road = h.submit(title="田间道路被冲毁", content="七月暴雨后，白额村通往南坡的田间道路被冲毁。")
    handling.suggestion_accept(suggestion=road, actor=h.staff)
    handling.suggestion_route(
        suggestion=road, actor=h.staff, route="county", lead=h.transport,
        co_departments=[h.water],
    )  # fmt: skip
    handling.suggestion_mark_key(suggestion=road, actor=h.supervisor, supervisor=h.supervisor)
    road = set_fields(road, created=local(2025, 7, 10, 23, 30), deadline=dt.date(2025, 8, 1))

    lamp = h.submit(
        station=n.point_baie, theme=env, title="村口路灯不亮", content="路灯坏了三个月。",
        addressee=n.rep_county, phone="13900001111",
    )  # fmt: skip
    # Half past midnight on 1 August, Beijing time: still 31 July in UTC.
    lamp = set_fields(lamp, created=local(2025, 8, 1, 0, 30), channel="walk_in")

    tunli = h.submit(station=n.other_station, title="集市占道经营", content="逢集日车辆难行。")
    tunli = set_fields(tunli, created=local(2025, 9, 1, 9))

    done = h.submit(title="垃圾清运不及时", content="东村垃圾三天没人拉。", phone="13700002222")
    handling.suggestion_accept(suggestion=done, actor=h.staff)
    handling.suggestion_route(suggestion=done, actor=h.staff, route="on_site", answer="已清运。")
    handling.suggestion_feedback(suggestion=done, actor=h.staff, method="phone", note="已告知。")
    handling.suggestion_rate(suggestion=done, rating="satisfied")
    done = set_fields(done, created=local(2025, 6, 1, 8))
    return SimpleNamespace(h=h, n=n, env=env, road=road, lamp=lamp, tunli=tunli, done=done)


def titles(client, user, **params) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("ledger:suggestions"), params)
    assert response.status_code == 200
    return [row.suggestion.title for row in response.context["ledger"].rows]


CASES = {
    "region_township": (lambda d: {"region": d.n.zhongduo.pk}, ["lamp", "road", "done"]),
    "region_village": (lambda d: {"region": d.n.baie.pk}, ["lamp"]),
    "region_other_township": (lambda d: {"region": d.n.tunli.pk}, ["tunli"]),
    "station": (lambda d: {"station": d.n.point_baie.pk}, ["lamp"]),
    "date_range_in_local_time": (
        lambda d: {"created_from": "2025-07-10", "created_to": "2025-07-31"},
        ["road"],
    ),
    "date_from_only": (lambda d: {"created_from": "2025-08-01"}, ["tunli", "lamp"]),
    "status": (lambda d: {"status": "received"}, ["tunli", "lamp"]),
    "route": (lambda d: {"route": "on_site"}, ["done"]),
    "department_lead": (lambda d: {"department": d.h.transport.pk}, ["road"]),
    "department_co_handler": (lambda d: {"department": d.h.water.pk}, ["road"]),
    "department_without_tasks": (lambda d: {"department": d.h.township_gov.pk}, []),
    "theme": (lambda d: {"theme": d.env.pk}, ["lamp"]),
    "channel": (lambda d: {"channel": "walk_in"}, ["lamp"]),
    "representative": (lambda d: {"representative": d.n.rep_county.pk}, ["lamp"]),
    "overdue": (lambda d: {"overdue": "1"}, ["road"]),
    "not_overdue": (lambda d: {"overdue": "0"}, ["tunli", "lamp", "done"]),
    "key_supervision": (lambda d: {"is_key": "1"}, ["road"]),
    "satisfaction": (lambda d: {"rating": "satisfied"}, ["done"]),
    "search_two_characters": (lambda d: {"q": "路灯"}, ["lamp"]),
    "search_title": (lambda d: {"q": "道路被冲毁"}, ["road"]),
    "search_content": (lambda d: {"q": "三天没人拉"}, ["done"]),
    "sort_oldest_first": (lambda d: {"sort": "created"}, ["done", "road", "lamp", "tunli"]),
    "sort_by_deadline_puts_none_last": (
        lambda d: {"sort": "deadline", "status": "assigned"},
        ["road"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_filter_picks_exactly_its_suggestions(client, ledger, superuser, case):
    params, expected = CASES[case]
    names = {getattr(ledger, k).title: k for k in ["road", "lamp", "tunli", "done"]}
    got = [names[t] for t in titles(client, superuser, **params(ledger))]
    assert got == expected


def test_filters_combine(client, ledger, superuser):
    assert titles(client, superuser, region=ledger.n.zhongduo.pk, status="received") == [
        "村口路灯不亮"
    ]


def test_search_ignores_case_for_latin_letters(client, ledger, superuser):
    set_fields(ledger.tunli, content="逢集日 Bus 难行")
    assert titles(client, superuser, q="bUS") == ["集市占道经营"]


def test_sorting_by_deadline_puts_suggestions_without_one_last(client, ledger, superuser):
    got = titles(client, superuser, sort="deadline")
    assert got[0] == "田间道路被冲毁" and len(got) == 4
    assert titles(client, superuser, sort="-deadline")[0] == "田间道路被冲毁"


def test_a_supervisor_sees_the_whole_subtree_and_filters_by_region(client, ledger):
    h = ledger.h
    assert set(titles(client, h.supervisor)) == {
        "田间道路被冲毁", "村口路灯不亮", "集市占道经营", "垃圾清运不及时",
    }  # fmt: skip
    assert titles(client, h.supervisor, region=ledger.n.tunli.pk) == ["集市占道经营"]


def test_another_stations_staff_see_nothing_of_this_station(client, ledger):
    h = ledger.h
    assert titles(client, h.outsider) == ["集市占道经营"]
    # A station outside the scope is not even a choice.
    client.force_login(h.outsider)
    response = client.get(reverse("ledger:suggestions"), {"station": ledger.n.station.pk})
    assert response.context["form"].errors.get("station")
    assert "田间道路被冲毁" not in response.content.decode()


def test_station_staff_see_their_station_and_its_points(client, ledger):
    assert titles(client, ledger.h.staff) == ["村口路灯不亮", "田间道路被冲毁", "垃圾清运不及时"]


def test_a_department_handler_sees_only_what_is_assigned_to_the_department(client, ledger):
    h = ledger.h
    assert titles(client, h.transport_handler) == ["田间道路被冲毁"]
    assert titles(client, h.water_handler) == ["田间道路被冲毁"]
    assert titles(client, h.township_handler) == []


def test_anonymous_visitors_are_sent_to_log_in(client, ledger):
    response = client.get(reverse("ledger:suggestions"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_supervisor_sees_masked_phones_and_names(client, ledger):
    client.force_login(ledger.h.supervisor)
    body = client.get(reverse("ledger:suggestions")).content.decode()
    assert "138****5678" in body and "139****1111" in body
    assert "13812345678" not in body and "13900001111" not in body
    assert "张*" in body and "张三" not in body


def test_station_staff_see_names_of_what_they_handle_and_every_phone_masked(client, ledger):
    # Issue 11: the list masks every phone, even for those who handle the suggestion; the full
    # number is on the suggestion's own page, through the logged reveal.
    client.force_login(ledger.h.staff)
    body = client.get(reverse("ledger:suggestions")).content.decode()
    assert "138****5678" in body and "139****1111" in body and "张三" in body
    assert "13812345678" not in body and "13900001111" not in body


def test_a_department_sees_masked_phones_of_its_own_tasks(client, ledger):
    client.force_login(ledger.h.transport_handler)
    body = client.get(reverse("ledger:suggestions")).content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_rows_link_to_the_workbench_and_show_departments_and_overdue(client, ledger):
    client.force_login(ledger.h.staff)
    body = client.get(reverse("ledger:suggestions")).content.decode()
    assert reverse("workbench:suggestion", args=[ledger.road.pk]) in body
    assert "吉县交通运输局、吉县水利局" in body
    assert "table-responsive" in body


def test_the_workbench_nav_links_to_the_ledger(client, ledger):
    client.force_login(ledger.h.staff)
    assert reverse("ledger:suggestions") in client.get(reverse("workbench:inbox")).content.decode()


# --- keyset pages -----------------------------------------------------------------------------


@pytest.fixture
def many(flow):
    """3,000 suggestions in blocks of 7 with the very same submission time."""
    h = flow
    base = local(2025, 3, 1, 9)
    Suggestion.objects.bulk_create(
        Suggestion(
            station=h.network.station, theme=h.roads, title=f"意见{i}", content="内容",
            channel="qr", tracking_code=random_code(8), phone="13812345678",
            status=[S.RECEIVED, S.ACCEPTED, S.ASSIGNED][i % 3],
        )
        for i in range(3000)
    )  # fmt: skip
    first = Suggestion.objects.filter(title="意见0").get().pk
    for block in range(3000 // 7 + 1):
        start = first + block * 7
        Suggestion.objects.filter(pk__gte=start, pk__lt=start + 7).update(
            created=base + dt.timedelta(minutes=block)
        )
    return h


def walk(client, url, params, direction="next_url"):
    seen, pages = [], 0
    response = client.get(url, params)
    while True:
        pages += 1
        seen += [row.suggestion.pk if hasattr(row, "suggestion") else row.pk
                 for row in response.context["ledger"].rows]  # fmt: skip
        link = response.context.get(direction)
        if not link:
            return seen, pages, response
        response = client.get(url + link)


def selector_walk(user, params, *, backwards=False) -> list[int]:
    """Every page through the selector itself, forwards or from the last page back."""
    scope = Scope(user)
    filterset = SuggestionFilter(params or None, queryset=scope.visible(), scope=scope)
    key = filterset.sort_key
    sort = selectors.SUGGESTION_SORTS[key]
    seen, page = [], selectors.keyset_page(filterset.qs, key=key, sort=sort)
    while True:
        seen += [s.pk for s in page.rows]
        if not page.has_next:
            break
        page = selectors.keyset_page(filterset.qs, key=key, sort=sort, after=page.next_cursor)
    if not backwards:
        return seen
    back = [s.pk for s in page.rows]
    while page.has_previous:
        page = selectors.keyset_page(filterset.qs, key=key, sort=sort, before=page.previous_cursor)
        back = [s.pk for s in page.rows] + back
    return back


def test_keyset_pages_neither_repeat_nor_miss_rows_with_equal_times(client, many):
    client.force_login(many.staff)
    seen, pages, _last = walk(client, reverse("ledger:suggestions"), {})
    expected = list(Suggestion.objects.order_by("-created", "-pk").values_list("pk", flat=True))
    assert pages == 60 and len(seen) == 3000 and seen == expected
    # And back again, from the last page to the first.
    assert selector_walk(many.staff, {}, backwards=True) == expected


def test_keyset_pages_follow_the_filter_and_the_sort(client, many):
    client.force_login(many.staff)
    url = reverse("ledger:suggestions")
    seen, _pages, _ = walk(client, url, {"status": "accepted", "sort": "created"})
    expected = list(
        Suggestion.objects.filter(status="accepted")
        .order_by("created", "pk")
        .values_list("pk", flat=True)
    )
    assert seen == expected and len(seen) == 1000
    assert (
        selector_walk(many.staff, {"status": "accepted", "sort": "created"}, backwards=True)
        == expected
    )


@pytest.mark.parametrize("sort", ["deadline", "-deadline", "status", "-status", "created"])
def test_keyset_pages_in_every_sort_order_both_ways(many, sort):
    Suggestion.objects.filter(status="assigned").update(deadline=dt.date(2025, 5, 1))
    Suggestion.objects.filter(
        status="assigned", pk__in=Suggestion.objects.order_by("pk").values("pk")[:300]
    ).update(deadline=dt.date(2025, 4, 1))
    field = sort.lstrip("-")
    values = dict(Suggestion.objects.values_list("pk", field))
    for backwards in (False, True):
        seen = selector_walk(many.staff, {"sort": sort}, backwards=backwards)
        assert len(seen) == 3000 and len(set(seen)) == 3000
        present = [values[pk] for pk in seen if values[pk] is not None]
        assert present == sorted(present, reverse=sort.startswith("-"))
        # Rows without a deadline come last, whichever way the deadlines run.
        assert all(values[pk] is None for pk in seen[len(present) :])


def test_deep_pages_take_as_few_queries_as_the_first(client, many, django_assert_max_num_queries):
    client.force_login(many.staff)
    url = reverse("ledger:suggestions")
    response = client.get(url)
    assert response.context["ledger"].count == 3000 and response.context["ledger"].exact
    for _ in range(40):
        response = client.get(url + response.context["next_url"])
    with django_assert_max_num_queries(20) as deep:
        response = client.get(url + response.context["next_url"])
    assert response.status_code == 200 and len(response.context["ledger"].rows) == 50
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    assert len(deep.captured_queries) == len(first.captured_queries)


def test_a_count_over_the_cap_says_so(client, many, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1000)
    client.force_login(many.staff)
    response = client.get(reverse("ledger:suggestions"))
    assert not response.context["ledger"].exact and response.context["ledger"].count == 1000
    assert "1,000+" in response.content.decode()
    assert response.context["ledger"].cap_display == "1,000"


def test_a_forged_cursor_starts_from_the_first_page(client, many):
    client.force_login(many.staff)
    response = client.get(reverse("ledger:suggestions"), {"after": "2025-03-01,1"})
    first = Suggestion.objects.order_by("-created", "-pk").first()
    assert response.context["ledger"].rows[0].suggestion.pk == first.pk


# --- the receptions ledger --------------------------------------------------------------------


@pytest.fixture
def receptions(flow):
    h, n = flow, flow.network

    def held(station, date, batches, visitors, attendees, raised=0):
        day = ReceptionDay.objects.create(
            station=station, date=date, start_time=dt.time(9), end_time=dt.time(11),
            theme="道路交通", status=ReceptionDay.Status.HELD,
        )  # fmt: skip
        for rep in attendees:
            Duty.objects.create(day=day, representative=rep, role="representative")
        log = DutyLog.objects.create(
            day=day, recorded_by=h.staff, visitor_batches=batches, visitors=visitors,
            summary="接待群众。",
        )  # fmt: skip
        log.attendees.set(attendees)
        for _ in range(raised):
            Suggestion.objects.filter(pk=h.submit().pk).update(reception_day=day)
        return log

    return SimpleNamespace(
        h=h, n=n,
        june=held(n.station, dt.date(2025, 6, 10), 3, 7, [n.rep_county, n.rep_township], 2),
        july=held(n.point_baie, dt.date(2025, 7, 10), 1, 2, [n.rep_township], 1),
        tunli=held(n.other_station, dt.date(2025, 7, 15), 2, 5, [], 0),
    )  # fmt: skip


def reception_dates(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("ledger:receptions"), params)
    assert response.status_code == 200
    return response, [log.day.date.isoformat() for log in response.context["ledger"].rows]


def test_the_receptions_ledger_shows_days_people_and_suggestions_raised(client, receptions):
    response, dates = reception_dates(client, receptions.h.staff)
    assert dates == ["2025-07-10", "2025-06-10"]
    totals = response.context["ledger"].totals
    assert totals == {"days": 2, "batches": 4, "visitors": 9, "raised": 3}
    body = response.content.decode()
    assert "王建国、李秀英" in body
    rows = {log.day.date.isoformat(): log.raised for log in response.context["ledger"].rows}
    assert rows == {"2025-07-10": 1, "2025-06-10": 2}


def test_the_receptions_ledger_filters_by_region_station_and_dates(client, receptions):
    h, n = receptions.h, receptions.n
    assert reception_dates(client, h.supervisor)[1] == ["2025-07-15", "2025-07-10", "2025-06-10"]
    assert reception_dates(client, h.supervisor, region=n.tunli.pk)[1] == ["2025-07-15"]
    assert reception_dates(client, h.supervisor, station=n.point_baie.pk)[1] == ["2025-07-10"]
    assert reception_dates(client, h.supervisor, date_from="2025-07-01", date_to="2025-07-12")[
        1
    ] == ["2025-07-10"]


def test_the_receptions_ledger_is_scoped(client, receptions):
    h = receptions.h
    assert reception_dates(client, h.outsider)[1] == ["2025-07-15"]
    assert reception_dates(client, h.transport_handler)[1] == []
    # A representative sees the receptions they were on duty for.
    assert reception_dates(client, h.rep_user)[1] == ["2025-06-10"]


def test_a_text_search_counts_to_a_lower_cap(client, many, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 100)
    client.force_login(many.staff)
    response = client.get(reverse("ledger:suggestions"), {"q": "意见"})
    ledger = response.context["ledger"]
    assert (ledger.count, ledger.exact) == (100, False)
    assert "100+" in response.content.decode()
    # Without a search the ordinary cap holds: all 3,000 are counted.
    response = client.get(reverse("ledger:suggestions"), {"status": "received"})
    assert (response.context["ledger"].count, response.context["ledger"].exact) == (1000, True)


def test_the_search_count_hint_stays_inside_its_own_transaction(transactional_db, flow):
    from django.db import connection

    for i in range(5):
        flow.submit(title=f"路灯不亮{i}")
    scope = Scope(flow.staff)
    filterset = SuggestionFilter({"q": "路灯不亮"}, queryset=scope.visible(), scope=scope)
    assert selectors.capped_count(filterset.qs, 3, text_search=True) == (3, False)
    assert selectors.capped_count(filterset.qs, 10, text_search=True) == (5, True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
