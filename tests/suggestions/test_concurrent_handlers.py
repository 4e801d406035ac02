"""Two handlers act on one suggestion at the same moment, on two database connections."""

import threading

import pytest
from django.db import connection, connections

from liaison.roles import Role
from suggestions import handling
from suggestions.models import Suggestion
from tests.factories import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks across two connections"
)


def run_together(*steps):
    start = threading.Barrier(len(steps))
    outcomes = [None] * len(steps)

    def run(index, step):
        try:
            start.wait()
            step()
            outcomes[index] = "ok"
        except handling.TransitionError as exc:
            outcomes[index] = str(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_at_once_one_succeeds_the_other_is_told(flow):
    h = flow
    colleague = make_user("zhongduo_staff_2", role=Role.STATION_STAFF, staff=True)
    h.network.station.staff.add(colleague)
    suggestion = h.submit()
    outcomes = run_together(
        lambda: handling.suggestion_accept(suggestion=suggestion, actor=h.staff),
        lambda: handling.suggestion_accept(suggestion=suggestion, actor=colleague),
    )
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    assert "已不能进行这一步" in next(o for o in outcomes if o != "ok")
    assert suggestion.events.filter(action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_routing_and_rejecting_at_once_leave_one_consistent_outcome(flow):
    h = flow
    suggestion = handling.suggestion_accept(suggestion=h.submit(), actor=h.staff)
    colleague = make_user("zhongduo_staff_3", role=Role.STATION_STAFF, staff=True)
    h.network.station.staff.add(colleague)
    outcomes = run_together(
        lambda: handling.suggestion_route(
            suggestion=suggestion, actor=h.staff, route="county", lead=h.transport
        ),  # fmt: skip
        lambda: handling.suggestion_merge(
            suggestion=suggestion, actor=colleague, original=h.submit()
        ),  # fmt: skip
    )
    assert outcomes.count("ok") == 1
    suggestion.refresh_from_db()
    assert suggestion.status in {Suggestion.Status.ASSIGNED, Suggestion.Status.MERGED}
    assert (suggestion.tasks.exists()) == (suggestion.status == Suggestion.Status.ASSIGNED)
