"""Texting the service in tests as Twilio delivers texts: a signed POST to the real inbound webhook."""

import itertools
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

from messaging.sms import TEXT_BREAK

PHONE = "+447700900123"
INBOUND_PATH = "/messaging/twilio/inbound/"
_sids = itertools.count(1)


def new_sid():
    return f"SM{next(_sids):032x}"


def text(client, settings, body, *, phone=PHONE, sid=None):
    """Text the service as Twilio would deliver it; return our reply ('' for none). A reply of several
    texts comes back as one string, the texts separated by TEXT_BREAK."""
    params = {"MessageSid": sid or new_sid(), "From": phone, "To": "+447400000001", "Body": body}
    url = settings.WAGTAILADMIN_BASE_URL + INBOUND_PATH
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    response = client.post(INBOUND_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200, response.content
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own TwiML
    return TEXT_BREAK.join(message.text or "" for message in root.iter("Message"))


def invite_by_text(consultation, contact):
    """An invitation text to `contact` for `consultation`, as a campaign leaves it: their YES answers it."""
    from messaging.choices import Channel, MessageStatus, Purpose
    from messaging.models import Campaign, Message

    campaign = Campaign.objects.create(
        name=f"Invite {consultation.pk}",
        kind="consultation_invitation",
        purpose=Purpose.CONSULTATIONS,
        sms_template="((link)) or reply YES",
        link_personaliser=f"consultation:{consultation.pk}",
    )
    Message.objects.create(
        campaign=campaign,
        contact=contact,
        channel=Channel.SMS,
        recipient=contact.mobile,
        body="Have your say. Reply YES to answer by text.",
        status=MessageStatus.DELIVERED,
        idempotency_key=f"invite-{consultation.pk}-{contact.pk}",
    )
