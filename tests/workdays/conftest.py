import pytest

from workdays.selectors import calendar_changed, forget_snapshot


@pytest.fixture
def calendar_changes():
    """Every `calendar_changed` sent during the test, as (sender, years)."""
    received: list[tuple[type, set[int]]] = []

    def receiver(sender, years, **kwargs):
        received.append((sender, years))

    calendar_changed.connect(receiver, weak=False)
    yield received
    calendar_changed.disconnect(receiver)


@pytest.fixture
def cold_calendar():
    """Start without a snapshot and leave none behind, for tests that write behind the services'
    back (as another process would) or must count the snapshot's own queries."""
    forget_snapshot()
    yield
    forget_snapshot()
