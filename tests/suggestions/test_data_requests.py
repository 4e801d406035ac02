"""A citizen's request to see, correct or delete their data, walked through the workbench."""

import pytest

from suggestions import handling
from suggestions.models import DataRequest, Suggestion

URL = "/workbench/privacy/"


def fed_back(h, **extra) -> Suggestion:
    suggestion = h.submit(**extra)
    handling.suggestion_accept(suggestion=suggestion, actor=h.staff)
    handling.suggestion_route(
        suggestion=suggestion, actor=h.staff, route=Suggestion.Route.ON_SITE, answer="已修复。"
    )
    handling.suggestion_feedback(
        suggestion=suggestion, actor=h.staff, method="phone", note="已告知。"
    )
    return suggestion


def record(client, h, kind, suggestions, **extra):
    data = {
        "record": "1", "phone": "138 1234 5678", "station": h.network.station.pk, "kind": kind,
        "suggestions": [s.pk for s in suggestions], "requester": "张三",
        "verification": "id_in_person", "answer": "已当面答复。", **extra,
    }  # fmt: skip
    return client.post(URL, data)


@pytest.fixture
def staff(flow, client):
    client.force_login(flow.staff)
    return client


def test_lookup_shows_what_is_held_without_the_phone_in_the_address(flow, staff):
    suggestion = fed_back(flow)
    response = staff.post(URL, {"phone": "13812345678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert suggestion.display_tracking_code in body and "13812345678" in body


def test_access_is_recorded_with_its_answer(flow, staff):
    suggestion = fed_back(flow)
    response = record(staff, flow, "access", [suggestion])
    request = DataRequest.objects.get()
    assert response.status_code == 302 and response.url == f"{URL}{request.pk}/"
    assert (request.kind, request.outcome, request.masked_phone) == (
        "access",
        "done",
        "138****5678",
    )
    assert suggestion.events.filter(action="data_shown").exists()
    assert "已当面答复。" in staff.get(response.url).content.decode()


def test_correction_changes_name_and_phone_and_keeps_both_masked_in_history(flow, staff):
    suggestion = fed_back(flow)
    record(staff, flow, "correction", [suggestion], new_name="张山", new_phone="13987654321")
    suggestion.refresh_from_db()
    assert (suggestion.name, suggestion.phone) == ("张山", "13987654321")
    note = suggestion.events.get(action="correct_contact").note
    assert "138****5678" in note and "139****4321" in note and "13987654321" not in note


def test_a_correction_without_new_details_is_a_form_error(flow, staff):
    suggestion = fed_back(flow)
    assert record(staff, flow, "correction", [suggestion]).status_code == 400
    assert not DataRequest.objects.exists()


def test_deletion_anonymises_ended_suggestions_and_refuses_open_ones(flow, staff):
    done = fed_back(flow)
    open_ = flow.submit()
    response = record(staff, flow, "deletion", [done, open_])
    request = DataRequest.objects.get()
    assert response.status_code == 302 and request.outcome == "partly"
    assert open_.display_tracking_code in request.answer
    done.refresh_from_db()
    open_.refresh_from_db()
    assert (done.phone, done.anonymised_at is not None) == ("", True)
    assert open_.phone == "13812345678"
    assert sorted(request.events.values_list("action", flat=True)) == [
        "deleted", "received", "refused",
    ]  # fmt: skip
    # Nothing left to find under the number but the open one.
    body = staff.post(URL, {"phone": "13812345678"}).content.decode()
    assert open_.display_tracking_code in body and done.display_tracking_code not in body


def test_staff_of_another_station_find_nothing_and_cannot_record(flow, client):
    suggestion = fed_back(flow)
    client.force_login(flow.outsider)
    body = client.post(URL, {"phone": "13812345678"}).content.decode()
    assert suggestion.display_tracking_code not in body
    response = record(client, flow, "deletion", [suggestion])
    assert response.status_code == 400
    assert not DataRequest.objects.exists()
    suggestion.refresh_from_db()
    assert suggestion.phone == "13812345678"


def test_others_cannot_open_the_page_or_a_request(flow, client):
    suggestion = fed_back(flow)
    record_client = client
    record_client.force_login(flow.staff)
    record(record_client, flow, "access", [suggestion])
    pk = DataRequest.objects.get().pk
    for user in (flow.transport_handler, flow.supervisor, flow.outsider):
        client.force_login(user)
        expected = 404 if user == flow.outsider else 403
        assert client.get(f"{URL}{pk}/").status_code == expected
    client.force_login(flow.supervisor)
    assert client.get(URL).status_code == 403


def test_the_request_is_in_the_admin(flow, admin_client_):
    suggestion = fed_back(flow)
    record(admin_client_, flow, "access", [suggestion])
    pk = DataRequest.objects.get().pk
    body = admin_client_.get(f"/admin/suggestions/datarequest/{pk}/change/").content.decode()
    assert "已当面答复。" in body
