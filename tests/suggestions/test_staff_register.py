from suggestions.models import Suggestion
from tests.factories import make_user
from tests.suggestions.conftest import valid_form

URL = "/workbench/suggestions/new/"


def test_staff_register_a_walk_in_suggestion_for_their_station(
    staff_client, station_staff, network, roads
):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert {s.name for s in response.context["stations"]} == {
        "中垛乡人大代表联络站",
        "白额村代表联络点",
        "东村代表联络点",
    }
    chosen = staff_client.get(f"{URL}?station={network.station.code}")
    assert chosen.context["station"] == network.station

    data = valid_form(roads, channel=Suggestion.Channel.WALK_IN, addressee=network.rep_county.pk)
    response = staff_client.post(f"{URL}?station={network.station.code}", data)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.channel == Suggestion.Channel.WALK_IN
    assert suggestion.registered_by == station_staff
    assert suggestion.addressee == network.rep_county
    assert suggestion.events.get().actor == station_staff


def test_staff_cannot_register_for_a_station_they_do_not_manage(staff_client, network, roads):
    response = staff_client.get(f"{URL}?station={network.other_station.code}")
    assert response.status_code == 404


def test_users_without_a_station_may_not_register(client, network):
    client.force_login(make_user("nobody"))
    assert client.get(URL).status_code == 403


def test_registering_needs_a_login(client, network):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
