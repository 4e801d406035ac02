import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications.models import Message
from notifications.services import Channel, message_send
from notifications.sms import SmsError
from tests.factories import make_user

CHANGELIST = "/admin/notifications/message/"


@pytest.fixture
def failed_sms(notify_receipt, gateway, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    gateway.error = SmsError("号码已停机")
    message = notify_receipt()
    message_send(message_id=message.pk)
    gateway.error = None
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    return message


@pytest.fixture
def viewer(client, db):
    user = make_user("outbox_viewer", staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_message"))
    client.force_login(user)
    return client


def test_the_outbox_list_shows_masked_recipients_to_a_superuser(
    admin_client_, notify_receipt, failed_sms, django_assert_max_num_queries
):
    notify_receipt(
        key="suggestion:43:receipt:email",
        channel=Channel.EMAIL,
        recipient="wang.jianguo@example.com",
    )

    with django_assert_max_num_queries(10):
        response = admin_client_.get(CHANGELIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in page and "w***@example.com" in page
    assert "13812345678" not in page and "wang.jianguo" not in page
    assert "SmsError: 号码已停机" in page


def test_the_retry_action_sends_a_failed_message_now(
    admin_client_, failed_sms, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            CHANGELIST, {"action": "retry_now", "_selected_action": [failed_sms.pk]}
        )

    assert response.status_code == 302
    failed_sms.refresh_from_db()
    assert failed_sms.status == Message.Status.SENT
    assert failed_sms.attempts == 2
    assert len(sms_outbox) == 1


def test_the_retry_action_leaves_sent_messages_alone(
    admin_client_, notify_receipt, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify_receipt()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_.post(CHANGELIST, {"action": "retry_now", "_selected_action": [sent.pk]})

    sent.refresh_from_db()
    assert sent.attempts == 1
    assert len(sms_outbox) == 1


def test_search_finds_a_whole_number_however_it_is_written_and_a_key_prefix(
    admin_client_, notify_receipt
):
    notify_receipt()
    notify_receipt(key="suggestion:7:receipt:sms", recipient="13903571234")

    def found(term):
        return admin_client_.get(CHANGELIST, {"q": term}).context["cl"].result_count

    assert found("138 1234 5678") == 1
    assert found("suggestion:7:") == 1
    assert found("suggestion:") == 2
    assert found("1234") == 0  # fragments of numbers are not searchable


def test_the_superuser_sees_the_whole_message_read_only(admin_client_, failed_sms):
    url = reverse("admin:notifications_message_change", args=[failed_sms.pk])
    page = admin_client_.get(url).content.decode()

    assert "13812345678" in page
    assert "<pre" in page and "SmsError: 号码已停机" in page
    assert 'name="body"' not in page  # no form fields to edit
    assert admin_client_.get(f"{CHANGELIST}add/").status_code == 403
    delete = reverse("admin:notifications_message_delete", args=[failed_sms.pk])
    assert admin_client_.get(delete).status_code == 403


def test_a_viewer_sees_masked_messages_but_cannot_retry(
    viewer, failed_sms, sms_outbox, django_capture_on_commit_callbacks
):
    response = viewer.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action is offered at all

    with django_capture_on_commit_callbacks(execute=True):
        viewer.post(CHANGELIST, {"action": "retry_now", "_selected_action": [failed_sms.pk]})
    failed_sms.refresh_from_db()
    assert failed_sms.status == Message.Status.FAILED
    assert sms_outbox == []

    page = viewer.get(reverse("admin:notifications_message_change", args=[failed_sms.pk]))
    assert "138****5678" in page.content.decode()
    assert "13812345678" not in page.content.decode()


def test_station_staff_do_not_see_the_outbox(staff_client, failed_sms):
    assert staff_client.get(CHANGELIST).status_code == 403
