"""Fixtures of the rota tests: the clock stands on 2025-03-01, Zhongduo's stationed representatives."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from stations.services import station_save
from tests.factories import assign, make_representative
from tests.receptions.rota.helpers import L


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        datetime.datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


@pytest.fixture
def zhongduo(network):
    """Zhongduo station: its chairman as head (not stationed there) and five representatives."""
    n = network
    n.head = make_representative("赵站长", L.TOWNSHIP, phone="13903570001")
    n.station.head = n.head
    station_save(station=n.station)
    n.rep_city = make_representative("孙市代表", L.CITY, phone="13903570002")
    n.rep_a = make_representative("周代表", L.TOWNSHIP, phone="13903570003")
    n.rep_b = make_representative("吴代表", L.TOWNSHIP, phone="13903570004")
    for rep in (n.rep_city, n.rep_a, n.rep_b):
        assign(rep, n.station)
    # With rep_county and rep_township from the conftest: five stationed representatives.
    n.stationed = [n.rep_county, n.rep_township, n.rep_city, n.rep_a, n.rep_b]
    return n
