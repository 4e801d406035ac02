"""Two requests carrying the same form token at the same moment, on two database connections."""

import threading
import uuid

import pytest
from django.db import connection, connections

from suggestions.models import Suggestion
from suggestions.services import Submission, suggestion_submit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database that serves two connections at once"
)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_with_one_token_save_exactly_one(network, roads):
    token = uuid.uuid4()
    start = threading.Barrier(2)
    results = []

    def submit():
        try:
            start.wait()
            result = suggestion_submit(
                station=network.station,
                submission=Submission(theme=roads, title="路灯不亮", content="村口路灯坏了三个月，请维修。",
                                      name="张三", phone="13812345678"),
                channel=Suggestion.Channel.QR,
                token=token,
            )  # fmt: skip
            results.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Suggestion.objects.filter(submission_token=token).count() == 1
    assert len(results) == 2
    assert sorted(r.created for r in results) == [False, True]
    assert results[0].suggestion.pk == results[1].suggestion.pk
