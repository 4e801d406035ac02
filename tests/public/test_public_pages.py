import pytest
from django.urls import reverse

from representatives.models import Representative
from tests.factories import assign, make_representative


def test_directory_lists_active_stations_and_top_regions(
    client, network, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("stations:directory"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "中垛乡人大代表联络站" in body
    assert "山西省" in body and "吉林省" in body


def test_directory_browses_by_region_with_station_counts(client, network):
    response = client.get(reverse("stations:directory"), {"region": network.jixian.pk})
    body = response.content.decode()
    subregions = {r.name: r.station_count for r in response.context["subregions"]}
    assert subregions == {"中垛乡": 3, "屯里镇": 1}
    assert "屯里镇人大代表联络站" in body and "白额村代表联络点" in body


def test_directory_search_finds_by_name_and_by_code(client, network):
    by_name = client.get(reverse("stations:directory"), {"q": "白额"})
    assert [s.name for s in by_name.context["page"]] == ["白额村代表联络点"]
    by_code = client.get(reverse("stations:directory"), {"q": network.other_station.code.lower()})
    assert [s.name for s in by_code.context["page"]] == ["屯里镇人大代表联络站"]


def test_directory_hides_inactive_stations(client, network):
    network.other_station.is_active = False
    network.other_station.save()
    response = client.get(reverse("stations:directory"))
    assert "屯里镇人大代表联络站" not in response.content.decode()


def test_unknown_region_in_the_directory_is_a_404_page(client, network):
    response = client.get(reverse("stations:directory"), {"region": 999999})
    assert response.status_code == 404


def test_station_page_shows_the_station_and_its_board(client, network):
    response = client.get(network.station.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "中垛乡人大代表联络站",
        "代表联络站",
        "吉县中垛乡政府院内",
        "工作日 8:30–12:00",
        "王建国",
        "李秀英",
    ]:
        assert text in body
    assert [g.level_label for g in response.context["page"].board] == ["县人大代表", "乡镇人大代表"]


def test_board_shows_a_phone_only_when_the_representative_allows_it(client, network):
    body = client.get(network.station.get_absolute_url()).content.decode()
    assert "13903571234" in body
    assert "13903575678" not in body


def test_ended_assignments_and_inactive_representatives_are_not_on_the_board(client, network):
    network.rep_township.is_active = False
    network.rep_township.save()
    body = client.get(network.station.get_absolute_url()).content.decode()
    assert "李秀英" not in body


def test_station_page_with_80_representatives_runs_in_a_constant_number_of_queries(
    client, network, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as few:
        client.get(network.station.get_absolute_url())
    levels = list(Representative.Level)
    for i in range(78):
        rep = make_representative(f"代表{i:02d}", levels[i % len(levels)], position="村民")
        assign(rep, network.station)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(network.station.get_absolute_url())
    assert response.context["page"].representative_count == 80
    assert response.content.decode().count('class="card rep-card') == 80


def test_codes_are_case_insensitive_in_urls(client, network):
    response = client.get(f"/stations/{network.station.code.lower()}/")
    assert response.status_code == 200


def test_a_non_existent_station_code_gives_a_friendly_404_page(client, network):
    response = client.get("/stations/NOPE99/")
    assert response.status_code == 404
    assert "没有找到这个联络站或页面" in response.content.decode()


def test_a_point_page_links_to_its_station(client, network):
    body = client.get(network.point_baie.get_absolute_url()).content.decode()
    assert network.station.get_absolute_url() in body
    assert "点长" in body


def test_representative_profile_shows_public_fields_only(client, network):
    response = client.get(network.rep_township.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "李秀英" in body and "中垛乡人大代表联络站" in body and "白额村代表联络点" in body
    assert "13903575678" not in body


def test_an_inactive_representative_has_no_public_profile(client, network):
    network.rep_county.is_active = False
    network.rep_county.save()
    assert client.get(network.rep_county.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("language, text", [("en", "Our representatives"), ("zh-hans", "本站代表")])
def test_every_page_offers_a_language_switch(client, network, language, text):
    response = client.post(reverse("set_language"), {"language": language, "next": "/stations/"})
    assert response.status_code == 302
    body = client.get(network.station.get_absolute_url()).content.decode()
    assert text in body
    assert 'action="/i18n/setlang/"' in body
