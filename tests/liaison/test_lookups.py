"""`field__any_of=[…]`: one array parameter on PostgreSQL, an IN list elsewhere, same rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations.models import Station


def test_any_of_finds_the_listed_rows_by_key_and_foreign_key(network):
    ids = [network.point_baie.pk, network.point_dong.pk]
    assert set(Station.objects.filter(pk__any_of=ids)) == {network.point_baie, network.point_dong}
    assert list(Station.objects.filter(parent_id__any_of=[network.station.pk]).order_by("pk")) == [
        network.point_baie,
        network.point_dong,
    ]
    assert list(Station.objects.filter(pk__any_of=[])) == []


def test_any_of_sends_one_parameter_on_postgresql(network):
    ids = list(Station.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        list(Station.objects.filter(pk__any_of=ids))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert f"IN ({', '.join(str(i) for i in ids)})" in sql
