"""Inbound texts while the database is down: kept on disk by the webhook, handled exactly once by
process_inbound_spool when it is back, the reply sent as a text of its own (services.inbound_spool).

The outage is the database refusing every statement for the length of a request (Django's
execute_wrapper raising what a dropped connection raises), on SQLite and PostgreSQL alike."""

import contextlib
import io
import json
import logging
import stat

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from twilio.request_validator import RequestValidator

from messaging.choices import Channel, MessageStatus
from messaging.models import InboundMessage, Message, Suppression

pytestmark = pytest.mark.django_db
MOBILE = "+447400123456"
INBOUND_PATH = "/messaging/twilio/inbound/"
SID = "SM" + "c" * 32


def _refuse_everything(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
        return execute(sql, params, many, context)  # pytest-django's own transaction keeps working
    raise OperationalError("server closed the connection unexpectedly")


@contextlib.contextmanager
def database_down():
    with connection.execute_wrapper(_refuse_everything):
        yield


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    settings.INBOUND_SPOOL_DIR = tmp_path / "spool"
    return settings.INBOUND_SPOOL_DIR


def _params(body, sid=SID):
    return {"MessageSid": sid, "From": MOBILE, "To": "+447400000001", "Body": body, "AccountSid": "AC1"}


def _post(client, settings, params, *, signature=None):
    url = settings.WAGTAILADMIN_BASE_URL + INBOUND_PATH
    if signature is None:
        signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    return client.post(INBOUND_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)


def _process():
    out = io.StringIO()
    call_command("process_inbound_spool", stdout=out)
    return out.getvalue()


def _kept(spool):
    return sorted(path.name for path in spool.glob("*.json"))


def test_a_text_during_an_outage_is_kept_and_handled_exactly_once_when_the_database_is_back(
    client, settings, spool
):
    with database_down():
        first = _post(client, settings, _params("HELP"))
        again = _post(client, settings, _params("HELP"))  # Twilio's fallback URL: the same text again
    for response in (first, again):
        assert response.status_code == 200
        assert response.content.decode().strip().endswith("<Response />")  # empty TwiML: nothing lost
    assert _kept(spool) == [f"{SID}.json"]
    assert stat.S_IMODE((spool / f"{SID}.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(spool.stat().st_mode) == 0o700
    assert not InboundMessage.objects.exists()

    assert "Handled 1 kept inbound texts; 0 refused" in _process()
    inbound = InboundMessage.objects.get()
    assert (inbound.provider_ref, inbound.from_number, inbound.body, inbound.handled_by) == (
        SID,
        MOBILE,
        "HELP",
        "help",
    )
    reply = Message.objects.get()
    assert (reply.channel, reply.recipient, reply.campaign_id, reply.status) == (
        Channel.SMS,
        MOBILE,
        None,
        MessageStatus.CREATED,
    )
    assert reply.body == inbound.reply  # as the TwiML reply would have been: no second name or STOP line
    assert reply.body.startswith(f"{settings.MESSAGING_SENDER_NAME}: we send texts")
    assert reply.forget_after_send
    assert _kept(spool) == []

    assert "Handled 0 kept inbound texts" in _process()
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_kept_file_handled_again_after_a_crash_sends_nothing_twice(client, settings, spool):
    with database_down():
        _post(client, settings, _params("HELP"))
    saved = (spool / f"{SID}.json").read_bytes()
    _process()
    (spool / f"{SID}.json").write_bytes(saved)  # as if the run died between its commit and the removal
    _process()
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1
    assert _kept(spool) == []


def test_a_stop_kept_during_an_outage_suppresses_the_number_afterwards(client, settings):
    with database_down():
        _post(client, settings, _params("STOP"))
    assert not Suppression.objects.exists()
    _process()
    assert Suppression.objects.filter(channel=Channel.SMS, address=MOBILE).exists()
    assert "you will not get any more texts" in Message.objects.get().body


def test_a_text_that_needs_no_reply_sends_none(client, settings):
    with database_down():
        _post(client, settings, _params("just saying hello"))
    _process()
    assert InboundMessage.objects.count() == 1
    assert not Message.objects.exists()


def test_while_the_database_is_still_down_the_texts_wait(client, settings, spool):
    with database_down():
        _post(client, settings, _params("HELP"))
        _post(client, settings, _params("STOP", sid="SM" + "d" * 32))
        output = _process()
    assert "2 still waiting" in output
    assert len(_kept(spool)) == 2
    _process()
    assert InboundMessage.objects.count() == 2
    assert _kept(spool) == []


def test_a_request_without_a_valid_signature_is_refused_not_kept(client, settings, spool):
    with database_down():
        response = _post(client, settings, _params("HELP"), signature="forged")
    assert response.status_code == 403
    assert _kept(spool) == []


def test_a_file_in_the_spool_is_trusted_only_with_twilios_signature(client, settings, spool):
    spool.mkdir(mode=0o700)
    forged = {
        "url": settings.WAGTAILADMIN_BASE_URL + INBOUND_PATH,
        "params": _params("STOP"),
        "signature": "x",
    }
    (spool / f"{SID}.json").write_text(json.dumps(forged))
    (spool / ("SM" + "e" * 32 + ".json")).write_text("not json")
    assert "0 kept inbound texts; 2 refused" in _process()
    assert not InboundMessage.objects.exists()
    assert not Suppression.objects.exists()
    assert _kept(spool) == []
    assert len(list((spool / "refused").iterdir())) == 2


def test_a_file_renamed_to_another_sid_is_refused(client, settings, spool):
    with database_down():
        _post(client, settings, _params("HELP"))
    (spool / f"{SID}.json").rename(spool / ("SM" + "f" * 32 + ".json"))
    assert "1 refused" in _process()
    assert not InboundMessage.objects.exists()


def test_a_message_sid_that_is_no_twilio_sid_is_not_kept(client, settings, spool):
    with database_down(), pytest.raises(OperationalError):
        _post(client, settings, _params("HELP", sid="../../etc/passwd"))
    assert not spool.exists() or _kept(spool) == []


def test_nothing_about_a_kept_text_is_logged(client, settings, caplog):
    caplog.set_level(logging.DEBUG)
    with database_down():
        _post(client, settings, _params("My son Tom hates school"))
    _process()
    assert "kept in the spool" in caplog.text
    assert MOBILE not in caplog.text
    assert "Tom" not in caplog.text
    assert SID not in caplog.text


def test_a_kept_text_that_fails_to_be_handled_stays_and_holds_up_no_other(client, settings, spool):
    from messaging.signals import registry

    def broken(event):
        raise ValueError("a bug in a handler")

    with database_down():
        _post(client, settings, _params("BROKEN"))
        _post(client, settings, _params("HELP", sid="SM" + "d" * 32))
    registry.register_keyword("BROKEN", broken)
    try:
        output = _process()
    finally:
        registry.unregister_keyword("BROKEN")
    assert "Handled 1 kept inbound texts" in output
    assert "1 still waiting" in output
    assert _kept(spool) == [f"{SID}.json"]
    assert list(InboundMessage.objects.values_list("provider_ref", flat=True)) == ["SM" + "d" * 32]
