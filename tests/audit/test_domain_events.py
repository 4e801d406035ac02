"""The domain's own events reach the audit log: every handling step, every look at an unmasked
phone number, every export and its download; never the number itself."""

from django.urls import reverse

from audit.services import Action
from ledger.models import Export
from suggestions import handling
from tests.audit.conftest import entries


def test_each_handling_step_and_the_phone_reveal_are_recorded(flow):
    h = flow
    suggestion = h.submit()
    handling.suggestion_accept(suggestion=suggestion, actor=h.staff)
    assert handling.phone_reveal(suggestion=suggestion, actor=h.staff) == "13812345678"

    steps = [(e.user, e.details["step"], e.details["to"]) for e in entries(Action.HANDLING_STEP)]
    assert steps == [(None, "submit", "received"), (h.staff, "accept", "accepted")]
    [look] = entries(Action.PHONE_VIEW)
    assert (look.user, look.object_id) == (h.staff, str(suggestion.pk))
    assert "13812345678" not in str(look.details) + look.object_repr


def test_an_export_and_its_download_are_recorded_without_the_filter_values(
    flow, client, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    flow.submit()
    client.force_login(flow.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("ledger:export") + "?q=13812345678", {"format": "csv", "kind": "suggestions"}
        )
    export = Export.objects.get()
    assert export.state == Export.State.DONE
    client.get(reverse("ledger:export_download", args=[export.pk]))

    asked, downloaded = entries(Action.EXPORT)
    assert (asked.user, asked.object_id, asked.details["format"]) == (
        flow.staff, str(export.pk), "csv",
    )  # fmt: skip
    assert "13812345678" not in str(asked.details)
    assert downloaded.details == {"download": True}
