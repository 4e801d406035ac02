import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from notifications import services
from notifications.models import Message
from notifications.services import Channel, notify
from notifications.sms import SmsMessage

from .conftest import SIGNATURE, TRACK_URL


def test_notify_writes_one_message_and_sends_it_after_commit(
    notify_receipt, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = notify_receipt()
        # Nothing leaves before the caller's change is committed.
        assert sms_outbox == []
        assert Message.objects.get().status == Message.Status.PENDING

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert sms_outbox == [SmsMessage(recipient="13812345678", text=message.body)]


def test_the_receipt_sms_carries_signature_station_tracking_code_and_link(notify_receipt):
    message = notify_receipt()

    assert message.channel == Channel.SMS
    assert message.body.startswith(SIGNATURE)
    assert "中垛乡人大代表联络站" in message.body
    assert "K7M2QX9P" in message.body
    assert message.body.endswith(TRACK_URL)
    assert message.subject == message.html_body == ""


def test_the_receipt_sms_is_chinese_and_short_in_its_own_words(notify_receipt):
    with translation.override("zh-hans"):
        body = notify_receipt().body

    own_words = body.removeprefix(SIGNATURE)
    for value in [TRACK_URL, "中垛乡人大代表联络站", "K7M2QX9P"]:
        own_words = own_words.replace(value, "")
    assert "received" not in own_words and "已收到" in own_words
    # One SMS segment holds 70 Chinese characters; the link takes most of what is left.
    assert len(own_words) <= 25


def test_the_receipt_e_mail_has_a_one_line_subject_and_a_text_body(
    notify_receipt, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_receipt(
            key="suggestion:42:receipt:email",
            channel=Channel.EMAIL,
            recipient="zhang.san@example.com",
        )

    assert "\n" not in message.subject and "K7M2QX9P" in message.subject
    assert TRACK_URL in message.body and "中垛乡人大代表联络站" in message.body
    assert message.html_body == ""
    [email] = mailoutbox
    assert email.to == ["zhang.san@example.com"]
    assert (email.subject, email.body) == (message.subject, message.body)
    assert email.alternatives == []


def test_the_same_key_twice_writes_one_message_and_sends_one_sms(
    notify_receipt, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_receipt()
        second = notify_receipt()
    with django_capture_on_commit_callbacks(execute=True):
        third = notify_receipt()

    assert first is not None
    assert second is None and third is None
    assert Message.objects.count() == 1
    assert len(sms_outbox) == 1


def test_a_key_written_by_a_concurrent_request_is_not_written_again(
    notify_receipt, monkeypatch, sms_outbox, django_capture_on_commit_callbacks
):
    """Another request inserts the same key between our check and our insert."""
    render = services._render

    def render_while_another_request_commits(**kwargs):
        Message.objects.create(
            key="suggestion:42:receipt:sms",
            channel=Channel.SMS,
            recipient="13812345678",
            body="from the other request",
        )
        return render(**kwargs)

    monkeypatch.setattr(services, "_render", render_while_another_request_commits)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify_receipt() is None
        # The savepoint kept the caller's transaction usable (PostgreSQL would refuse otherwise).
        assert Message.objects.count() == 1

    assert callbacks == []
    assert Message.objects.get().body == "from the other request"


def test_nothing_is_written_or_sent_when_the_callers_change_rolls_back(
    notify_receipt, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_receipt()
            raise RuntimeError("the suggestion could not be saved")

    assert callbacks == []
    assert not Message.objects.exists()
    assert sms_outbox == []


@pytest.mark.parametrize("recipient", ["", "   "])
def test_a_blank_recipient_writes_nothing(notify_receipt, recipient):
    with CaptureQueriesContext(connection) as queries:
        assert notify_receipt(recipient=recipient) is None
    assert len(queries) == 0


@pytest.mark.parametrize(
    ("channel", "recipient"),
    [
        (Channel.SMS, "0357-7921234"),  # a landline cannot receive an SMS
        (Channel.SMS, "1381234567"),
        (Channel.EMAIL, "zhang.san at example.com"),
    ],
)
def test_a_recipient_that_cannot_receive_the_channel_writes_nothing(
    notify_receipt, channel, recipient, caplog
):
    assert notify_receipt(channel=channel, recipient=recipient) is None
    assert not Message.objects.exists()
    assert "cannot receive" in caplog.text
    assert recipient not in caplog.text  # the log shows a mask only


@pytest.mark.parametrize("written", ["+86 138 1234 5678", "138-1234-5678", "0086 13812345678"])
def test_mobile_numbers_are_stored_in_one_form(notify_receipt, written):
    assert notify_receipt(recipient=written).recipient == "13812345678"


def test_text_is_not_html_escaped_but_html_is(db, settings, tmp_path):
    folder = tmp_path / "notifications"
    folder.mkdir()
    (folder / "news.sms.txt").write_text("{{ station_name }}")
    (folder / "news.subject.txt").write_text("{{ station_name }}\n")
    (folder / "news.txt").write_text("{{ station_name }}")
    (folder / "news.html").write_text("<p>{{ station_name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    context = {"station_name": "白额村 & 东村联络点 <一>"}

    sms = notify(
        key="news:sms",
        channel=Channel.SMS,
        recipient="13812345678",
        template="news",
        context=context,
    )
    email = notify(
        key="news:email",
        channel=Channel.EMAIL,
        recipient="li@example.com",
        template="news",
        context=context,
    )

    assert sms.body == f"{SIGNATURE}白额村 & 东村联络点 <一>"
    assert email.subject == email.body == "白额村 & 东村联络点 <一>"
    assert email.html_body == "<p>白额村 &amp; 东村联络点 &lt;一&gt;</p>"


def test_the_message_is_rendered_in_the_active_language_and_kept_as_rendered(
    db, settings, tmp_path
):
    template = tmp_path / "notifications" / "lang.sms.txt"
    template.parent.mkdir()
    template.write_text("{% load i18n %}{% get_current_language as language %}{{ language }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    with translation.override("en"):
        english = notify(
            key="lang:en", channel=Channel.SMS, recipient="13812345678", template="lang", context={}
        )
    with translation.override("zh-hans"):
        chinese = notify(
            key="lang:zh", channel=Channel.SMS, recipient="13812345678", template="lang", context={}
        )
    template.write_text("changed later")

    english.refresh_from_db()
    assert english.body == f"{SIGNATURE}en"
    assert chinese.body == f"{SIGNATURE}zh-hans"


def test_a_message_shows_its_channel_and_a_masked_recipient(notify_receipt):
    sms = notify_receipt()
    email = notify_receipt(key="k:email", channel=Channel.EMAIL, recipient="zhang@example.com")

    with translation.override("en"):
        assert str(sms) == "SMS 138****5678"
        assert str(email) == "e-mail z***@example.com"
