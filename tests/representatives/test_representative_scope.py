"""Who reaches a representative, private phone included (issue 11): those who manage a station the
representative is or was assigned to, and, until anyone assigns them, whoever entered them."""

import datetime as dt

from django.urls import reverse

from representatives.models import Assignment, Representative
from representatives.selectors import representatives_managed_by
from tests.factories import assign, make_representative
from tests.representatives.test_roster_import import confirm, csv_upload, preview

PRIVATE = "13903571111"


def test_a_representative_nobody_has_assigned_is_reached_only_by_whoever_entered_them(
    client, network, station_staff, other_station_staff, superuser
):
    stray = make_representative("孙七", phone=PRIVATE, created_by=superuser)
    for staff in (station_staff, other_station_staff):
        assert stray not in representatives_managed_by(staff)
        client.force_login(staff)
        listing = client.get("/admin/representatives/representative/").content.decode()
        assert "孙七" not in listing and PRIVATE not in listing
        page = reverse("admin:representatives_representative_change", args=[stray.pk])
        assert client.get(page).status_code == 404
    assert stray in representatives_managed_by(superuser)


def test_staff_who_enter_a_representative_keep_them_until_assigned_elsewhere(
    client, network, station_staff, other_station_staff, superuser
):
    client.force_login(station_staff)
    response = client.post(
        "/admin/representatives/representative/add/",
        {"name": "周八", "level": Representative.Level.TOWNSHIP, "phone": PRIVATE,
         "is_active": "on", "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    rep = Representative.objects.get(name="周八")
    assert rep.created_by == station_staff
    assert rep in representatives_managed_by(station_staff)
    assert rep not in representatives_managed_by(other_station_staff)
    # Assigned to the other station (by a superuser): theirs now, no longer the one who entered it.
    Assignment.objects.create(
        representative=rep, station=network.other_station, start_date=dt.date(2025, 1, 1)
    )
    assert rep in representatives_managed_by(other_station_staff)
    assert rep not in representatives_managed_by(station_staff)
    page = reverse("admin:representatives_representative_change", args=[rep.pk])
    assert client.get(page).status_code == 404


def test_a_past_assignment_keeps_the_representative_in_reach(network, station_staff):
    rep = make_representative("吴九", phone=PRIVATE)
    assign(rep, network.station, start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31))
    assert rep in representatives_managed_by(station_staff)


def test_a_roster_import_records_the_importer_and_names_no_code_of_others(
    staff_client, network, station_staff, other_station_staff, superuser
):
    done = confirm(
        staff_client, preview(staff_client, csv_upload(",郑十,县级,,郑家村,13903572222,否,,,"))
    )
    assert done.status_code == 302
    rep = Representative.objects.get(name="郑十")
    assert rep.created_by == station_staff
    assert rep not in representatives_managed_by(other_station_staff)
    # Someone else's representative with the same name and unit: no code, no phone.
    theirs = make_representative("钱十一", phone=PRIVATE, work_unit="钱家村", created_by=superuser)
    body = preview(staff_client, csv_upload(",钱十一,县级,,钱家村,,否,,,")).content.decode()
    assert "钱十一" in body and theirs.code not in body and PRIVATE not in body
