"""The ledger filters' long choice lists: searched as the user types, never listed whole."""

import re

import pytest
from django.urls import reverse

from representatives.models import Representative
from tests.factories import assign, make_representative, make_station


def options(body: str, name: str) -> list[str]:
    """The <option> values of the <select name=name> in a page."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert match, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', match[1])


def choices(client, source: str, **params):
    response = client.get(reverse("ledger:choices", args=[source]), params)
    assert response.status_code == 200
    data = response.json()
    return [row["text"] for row in data["results"]], data["pagination"]["more"]


@pytest.fixture
def crowded(flow):
    """Sixty more representatives at the station: far more than a drop-down should list."""
    for i in range(60):
        rep = make_representative(f"代表{i:02d}", Representative.Level.TOWNSHIP)
        assign(rep, flow.network.station)
    return flow


def test_the_page_lists_only_the_chosen_station_and_representative(client, crowded):
    n = crowded.network
    client.force_login(crowded.staff)
    body = client.get(reverse("ledger:suggestions")).content.decode()
    assert options(body, "station") == [""]
    assert options(body, "representative") == [""]
    assert "代表07" not in body
    assert 'data-autocomplete-url="/ledger/choices/station/"' in body
    assert "admin/js/vendor/select2/select2.full.min.js" in body

    body = client.get(
        reverse("ledger:suggestions"),
        {"station": n.point_baie.pk, "representative": n.rep_county.pk},
    ).content.decode()
    assert options(body, "station") == ["", str(n.point_baie.pk)]
    assert options(body, "representative") == ["", str(n.rep_county.pk)]
    assert "王建国（县人大代表）" in body
    assert re.search(rf'<option value="{n.point_baie.pk}" selected>白额村代表联络点</option>', body)


def test_a_choice_outside_the_scope_is_refused_and_not_shown(client, crowded):
    client.force_login(crowded.outsider)
    response = client.get(reverse("ledger:suggestions"), {"station": crowded.network.station.pk})
    assert response.context["form"].errors.get("station")
    assert options(response.content.decode(), "station") == [""]


def test_stations_are_searched_within_the_scope(client, crowded):
    n = crowded.network
    client.force_login(crowded.staff)
    assert choices(client, "station", q="白额")[0] == ["白额村代表联络点"]
    assert choices(client, "station", q=n.station.code.lower())[0] == ["中垛乡人大代表联络站"]
    # 屯里镇 is another station's: it is not there to find.
    assert choices(client, "station", q="屯里")[0] == []
    client.force_login(crowded.outsider)
    assert choices(client, "station")[0] == ["屯里镇人大代表联络站"]


def test_a_supervisor_finds_every_station_and_region_of_the_subtree(client, crowded):
    client.force_login(crowded.supervisor)
    stations, _more = choices(client, "station")
    assert set(stations) == {
        "中垛乡人大代表联络站", "白额村代表联络点", "东村代表联络点", "屯里镇人大代表联络站",
    }  # fmt: skip
    regions, _more = choices(client, "region", q="村")
    # Villages are named with their township, since many villages share a name.
    assert "白额村（中垛乡）" in regions
    assert choices(client, "department", q="交通")[0] == ["吉县交通运输局（吉县）"]


def test_long_lists_come_a_page_at_a_time(client, crowded):
    client.force_login(crowded.staff)
    first, more = choices(client, "representative", q="代表")
    assert len(first) == 20 and more
    pages = [first]
    page = 1
    while more:
        page += 1
        rows, more = choices(client, "representative", q="代表", page=page)
        pages.append(rows)
    names = [name for rows in pages for name in rows]
    assert len(names) == 60 and len(set(names)) == 60
    assert names == sorted(names)
    # A page number that is not a number is the first page.
    assert choices(client, "representative", q="代表", page="x")[0] == first


def test_a_representative_finds_themselves_and_their_stations_colleagues(client, crowded):
    client.force_login(crowded.rep_user)
    names, _more = choices(client, "representative", q="王建国")
    assert names == ["王建国（县人大代表）"]


def test_unknown_lists_and_anonymous_visitors_get_nothing(client, crowded):
    client.force_login(crowded.staff)
    assert client.get(reverse("ledger:choices", args=["user"])).status_code == 404
    client.logout()
    response = client.get(reverse("ledger:choices", args=["station"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_ledger_page_costs_the_same_queries_with_many_more_stations(
    client, crowded, django_assert_max_num_queries
):
    client.force_login(crowded.supervisor)
    url = reverse("ledger:suggestions")
    with django_assert_max_num_queries(20) as before:
        client.get(url)
    for i in range(40):
        station = make_station(f"新增联络站{i}", crowded.network.tunli)
        rep = make_representative(f"新代表{i}", Representative.Level.TOWNSHIP)
        assign(rep, station)
    with django_assert_max_num_queries(len(before.captured_queries)):
        body = client.get(url).content.decode()
    assert "新增联络站3" not in body and "新代表3" not in body


def test_less_used_filters_fold_away_until_one_is_in_use(client, crowded):
    client.force_login(crowded.staff)
    body = client.get(reverse("ledger:suggestions")).content.decode()
    assert '<details class="mb-2">' in body
    body = client.get(reverse("ledger:suggestions"), {"channel": "qr"}).content.decode()
    assert '<details class="mb-2" open>' in body
    # Paging keeps the sort in the address; that alone does not unfold the rest.
    body = client.get(reverse("ledger:suggestions"), {"sort": "created"}).content.decode()
    assert '<details class="mb-2">' in body
    # The receptions ledger has few filters: all in sight.
    assert "<details" not in client.get(reverse("ledger:receptions")).content.decode()
